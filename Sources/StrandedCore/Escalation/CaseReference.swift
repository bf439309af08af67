import Foundation

/// How a case is named to people: `C-000157`. One spelling everywhere a case
/// is shown (the agenda, the chief executive call, the summary, error
/// messages, page anchors), so the reference someone reads in a message is
/// the one they can find on the page, and a reference read out on the call
/// can be typed into the audit search.
public struct CaseReference: Hashable, Sendable, CustomStringConvertible, Codable {
    public let caseID: Int64

    public init(caseID: Int64) { self.caseID = caseID }

    /// Reads `C-000157`, `c-157` or `157`; nil for anything else.
    public init?(parsing text: String) {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        if digits.uppercased().hasPrefix("C-") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let id = Int64(digits), id > 0
        else { return nil }
        caseID = id
    }

    /// `C-` and the case id, zero-padded to six digits so references line up
    /// and sort in lists.
    public var description: String {
        let digits = String(caseID)
        return "C-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The page anchor of the case (`C-000157`), for links such as `/ce/2026-11-16#C-000157`.
    public var anchor: String { description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let reference = CaseReference(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a case reference: \(text)"))
        }
        self = reference
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
