import Foundation

/// How often a metric is reported: each value belongs to one period, named by
/// its first day.
public enum MetricPeriod: String, CaseIterable, Hashable, Sendable, Codable {
    case week, month, quarter

    public var label: String {
        switch self {
        case .week: return "Weekly"
        case .month: return "Monthly"
        case .quarter: return "Quarterly"
        }
    }

    /// How a period is written in a file or form, for messages.
    public var example: String {
        switch self {
        case .week: return "a date in the week, e.g. 2026-11-16"
        case .month: return "yyyy-mm, e.g. 2026-11"
        case .quarter: return "yyyy-Qn, e.g. 2026-Q3"
        }
    }

    /// The first day of the period `text` names: for weeks any date (its
    /// Monday); for months `yyyy-mm` or a date; for quarters `yyyy-Qn` or a
    /// date. Nil when it names none.
    public func start(of text: String) -> CalendarDate? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let date = CalendarDate(isoOrUK: trimmed)
        switch self {
        case .week:
            return date?.mondayOfWeek
        case .month:
            if let date { return CalendarDate(year: date.year, month: date.month, day: 1) }
            let parts = trimmed.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
            return CalendarDate(year: year, month: month, day: 1)
        case .quarter:
            if let date { return CalendarDate(year: date.year, month: (date.month - 1) / 3 * 3 + 1, day: 1) }
            let parts = trimmed.uppercased().split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].hasPrefix("Q"),
                let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter)
            else { return nil }
            return CalendarDate(year: year, month: (quarter - 1) * 3 + 1, day: 1)
        }
    }

    /// The period starting on `start`, as people write it.
    public func name(_ start: CalendarDate) -> String {
        switch self {
        case .week: return "w/c " + start.iso
        case .month: return String(format: "%04d-%02d", start.year, start.month)
        case .quarter: return "\(start.year)-Q\((start.month - 1) / 3 + 1)"
        }
    }
}
