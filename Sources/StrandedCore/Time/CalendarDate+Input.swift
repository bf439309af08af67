import Foundation

/// A date typed into a form or carried in a query string that cannot be used.
public struct DateInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field as the page or query names it.
    public let field: String
    public let message: String

    public var description: String { message }
}

extension CalendarDate {
    /// The years a date given by a person may fall in. Wider than any stay,
    /// birth or review the service holds, narrow enough that arithmetic on
    /// it (weeks before, ranges, PostgreSQL's date type) cannot go wrong.
    public static let acceptedYears: ClosedRange<Int> = 1900...2100

    /// Whether this date is inside ``acceptedYears``.
    public var isAccepted: Bool { Self.acceptedYears.contains(year) }

    /// Parses a date a person gave (`yyyy-mm-dd`, or `dd/mm/yyyy` unless
    /// `isoOnly`) and checks it lies within ``acceptedYears``; the error names
    /// `field` and says what to give instead.
    public static func input(_ text: String, field: String, isoOnly: Bool = false) throws(DateInputError) -> CalendarDate {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let form = isoOnly ? "yyyy-mm-dd" : "yyyy-mm-dd or dd/mm/yyyy"
        // Only a short text is quoted back: a date is short, anything longer is not one.
        let quoted = trimmed.count <= 12 && !trimmed.unicodeScalars.contains { $0.properties.generalCategory == .control } ? " \"\(trimmed)\"" : ""
        guard let date = isoOnly ? CalendarDate(iso: trimmed) : CalendarDate(isoOrUK: trimmed) else {
            throw DateInputError(field: field, message: "\(field)\(quoted) is not a date: give it as \(form), for example 2026-11-16.")
        }
        guard date.isAccepted else {
            throw DateInputError(
                field: field,
                message:
                    "\(field)\(quoted) is outside the years \(acceptedYears.lowerBound)–\(acceptedYears.upperBound): give a date between \(acceptedYears.lowerBound)-01-01 and \(acceptedYears.upperBound)-12-31."
            )
        }
        return date
    }
}
