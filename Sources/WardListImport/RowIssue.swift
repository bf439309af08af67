import StrandedCore

/// A problem with one row (an error quarantines the row; a warning does not).
public struct RowIssue: Sendable, Equatable, Codable {
    public let line: Int
    public let column: String?
    /// The offending value, with NHS numbers masked.
    public let value: String?
    public let reason: String

    public init(line: Int, column: String?, value: String?, reason: String) {
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
    }
}

/// Masks anything that looks like an NHS number for logs and reports: `999 *** 4567`.
public func maskNHSNumber(_ text: String) -> String {
    let digits = text.filter(\.isNumber)
    guard digits.count >= 7 else { return digits.isEmpty ? text : "***" }
    return String(digits.prefix(3)) + " *** " + String(digits.suffix(4))
}
