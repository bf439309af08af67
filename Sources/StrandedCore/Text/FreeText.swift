import Foundation

/// How long a free-text field may be. Every free-text input takes one of
/// these, so a pasted document cannot swell a record (and every page that
/// shows it) without bound.
public struct FreeTextLimit: Hashable, Sendable {
    /// Most characters (as a person counts them) the field accepts.
    public let maxCharacters: Int

    public init(maxCharacters: Int) { self.maxCharacters = maxCharacters }

    /// Narratives, answers, asks, decisions, notes, action descriptions.
    public static let note = FreeTextLimit(maxCharacters: 4_000)
    /// Names of people, roles, owners, titles, themes.
    public static let name = FreeTextLimit(maxCharacters: 200)
    /// Codes and references.
    public static let code = FreeTextLimit(maxCharacters: 40)
}

/// Why a text cannot be kept in a free-text field.
public enum FreeTextProblem: Error, Hashable, Sendable {
    /// A control character other than tab, carriage return or line feed:
    /// PostgreSQL refuses NUL in text outright, and the others are invisible
    /// on a page, so they are never what the person meant to keep.
    case controlCharacter(scalar: UInt32)
    case tooLong(characters: Int, limit: Int)

    /// The message for a person, naming the field as the page labels it and
    /// saying what to do. Never quotes the text itself (it may identify a patient).
    public func message(field: String) -> String {
        switch self {
        case let .controlCharacter(scalar):
            let hex = String(scalar, radix: 16, uppercase: true)
            let name = scalar == 0 ? "NUL" : "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return
                "\(field) contains an invisible control character (\(name)) that cannot be saved; delete it (it usually comes from pasting from another system) and save again."
        case let .tooLong(characters, limit):
            return "\(field) is \(FreeText.grouped(characters)) characters long; the limit is \(FreeText.grouped(limit)): shorten it and save again."
        }
    }
}

/// A free-text field as a page names it, with its limit: declared once where
/// the input is read, checked with ``problem(_:)``.
public struct FreeTextField: Hashable, Sendable {
    /// The field's name in the page's own terms ("Notes", "Action 2: owner").
    public let label: String
    public let limit: FreeTextLimit

    public init(_ label: String, _ limit: FreeTextLimit) {
        self.label = label
        self.limit = limit
    }

    /// The message for a person when `text` cannot be kept here, else nil.
    public func problem(_ text: String?) -> String? {
        guard let text, let problem = FreeText.problem(in: text, limit: limit) else { return nil }
        return problem.message(field: label)
    }
}

/// What text is acceptable in a free-text field: any characters except
/// control characters other than tab, CR and LF, and no more than the
/// field's limit.
public enum FreeText {
    public static func problem(in text: String, limit: FreeTextLimit) -> FreeTextProblem? {
        for scalar in text.unicodeScalars where scalar.properties.generalCategory == .control {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: continue
            default: return .controlCharacter(scalar: scalar.value)
            }
        }
        // Cheap bound first: a text with no more scalars than the limit has no more characters either.
        guard text.unicodeScalars.count > limit.maxCharacters else { return nil }
        let characters = text.count
        return characters > limit.maxCharacters ? .tooLong(characters: characters, limit: limit.maxCharacters) : nil
    }

    /// `4,000`: how the limit is written in messages.
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
