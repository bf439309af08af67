import Foundation

/// Who is accountable or responsible for an action, or owns a task handed
/// over at closure.
///
/// In the plan file an owner is a plain string. A string of 1–4 ASCII letters
/// starting with a capital (`"BH"`, `"DHa"`, `"JMW"`) is a person's initials
/// and must appear in the document's people key (`PlanDocument.validate()`
/// checks this); anything else (`"Chief Executives"`, `"System Flow
/// Executive"`, or a name with role as the closure report writes it) is free
/// text. So a body whose name is four letters or fewer must be written out in
/// full.
public enum Owner: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A person from the people key, by initials.
    case person(initials: String)
    /// Free text, as the source writes it: a body or group, or a person who is
    /// not in the key.
    case body(String)

    /// Reads an owner as the plan file writes it (see the type's rule).
    public init(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if Owner.looksLikeInitials(trimmed) {
            self = .person(initials: trimmed)
        } else {
            self = .body(trimmed)
        }
    }

    /// The string the plan file stores.
    public var text: String {
        switch self {
        case .person(let initials): initials
        case .body(let text): text
        }
    }

    public var description: String { text }

    /// The initials, when this owner is a person from the key.
    public var initials: String? {
        if case .person(let initials) = self { return initials }
        return nil
    }

    /// 1–4 ASCII letters, the first a capital.
    public static func looksLikeInitials(_ text: String) -> Bool {
        guard (1...4).contains(text.count), let first = text.unicodeScalars.first,
            ("A"..."Z").contains(first)
        else { return false }
        return text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "an owner must be initials from the people key or a name, not an empty string"
            )
        }
        self.init(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
