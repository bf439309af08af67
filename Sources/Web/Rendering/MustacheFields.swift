import Foundation
import Mustache

/// A page's values as nested dictionaries, made once per render.
///
/// Mustache finds each `{{name}}` in a plain struct by reflecting it again
/// (a `Mirror` and a scan of every stored property on every lookup, and on
/// every miss up the context stack). A hundred-row table made that most of a
/// request's time. Dictionaries are looked up directly, so the page's values
/// are reflected once, here, with the same meaning: stored properties by
/// name, an optional that is nil absent (so the lookup goes on up the stack,
/// as before), arrays kept as arrays for sections and transforms.
enum MustacheFields {
    static func flatten(_ value: Any) -> Any {
        flatten(value, providers: true)
    }

    /// What `flatten` makes of `value` reflecting every view, even those that
    /// build their own fields: what those must equal.
    static func reflected(_ value: Any) -> Any {
        flatten(value, providers: false)
    }

    private static func flatten(_ value: Any, providers: Bool) -> Any {
        switch value {
        case is String, is Substring, is Bool, is Int, is Int64, is Double, is any MustacheParent:
            return value
        case let provider as any MustacheFieldsProvider where providers:
            return provider.mustacheFields
        default:
            break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct?, .class?:
            // A value that renders as text (a date, a reference) stays as it
            // is: Mustache prints it by its description.
            if value is any CustomStringConvertible { return value }
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let present = unwrapped(child.value) else { continue }
                fields[label] = flatten(present, providers: providers)
            }
            return fields
        case .collection?, .set?:
            return mirror.children.map { flatten($0.value, providers: providers) }
        case .optional?:
            return unwrapped(value).map { flatten($0, providers: providers) } ?? value
        default:
            return value
        }
    }

    /// The wrapped value of an optional (nil when it is nil); anything else as it is.
    /// A cast, not a `Mirror`: this runs for every stored property of a page.
    static func unwrapped(_ value: Any) -> Any? {
        guard let optional = value as? any OptionalValue else { return value }
        return optional.wrappedValue.flatMap(unwrapped)
    }
}

/// Any `Optional`, whatever it wraps.
private protocol OptionalValue {
    var wrappedValue: Any? { get }
}

extension Optional: OptionalValue {
    var wrappedValue: Any? { map { $0 } }
}

/// A view that builds its own dictionary for Mustache instead of being
/// reflected: for the views of the busiest pages (a form has a hundred-odd
/// options and rows), where reflecting them was most of a request's time.
/// The dictionary means what ``MustacheFields/flatten(_:)`` would have made:
/// every stored property by name, a nil optional left out, nested values flattened.
protocol MustacheFieldsProvider {
    var mustacheFields: [String: Any] { get }
}

extension Dictionary where Key == String, Value == Any {
    /// Sets `key` to `value` unless it is nil (an absent key lets the lookup
    /// go on up the context stack, as a reflected nil did).
    mutating func setPresent(_ key: String, _ value: String?) {
        if let value { self[key] = value }
    }

    /// Sets `key` to `value`, or to false when it is nil: for a field's
    /// message, which no enclosing context names. A section renders false as
    /// it renders an absent key, but an absent key is looked for in every
    /// context up the stack (two dynamic casts each), ~15 times a form page.
    mutating func setOrFalse(_ key: String, _ value: String?) {
        self[key] = value ?? false
    }
}
