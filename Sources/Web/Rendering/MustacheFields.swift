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
        switch value {
        case is String, is Substring, is Bool, is Int, is Int64, is Double, is any MustacheParent:
            return value
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
                fields[label] = flatten(present)
            }
            return fields
        case .collection?, .set?:
            return mirror.children.map { flatten($0.value) }
        case .optional?:
            return unwrapped(value).map(flatten) ?? value
        default:
            return value
        }
    }

    /// The wrapped value of an optional (nil when it is nil); anything else as it is.
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map { unwrapped($0.value) } ?? nil
    }
}
