import Foundation

/// One week of the review cycle, identified by its Monday.
///
/// Everything weekly (the list, the Level 1 forms, the Level 2 meeting, the
/// chief executive call, the trend point) belongs to one `ReviewWeek`. Weeks
/// run Monday to Sunday on the Europe/London calendar (DESIGN.md §3), and are
/// keyed by a calendar date rather than an instant so that storage, URLs and
/// comparisons never depend on a time zone or a clock change.
public struct ReviewWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The Monday the week starts on.
    public let monday: CalendarDate

    /// The week starting on `monday`; nil when the date is not a Monday, so a
    /// week can never be keyed by two different dates.
    public init?(monday: CalendarDate) {
        guard monday.isoWeekday == 1 else { return nil }
        self.monday = monday
    }

    private init(uncheckedMonday: CalendarDate) {
        monday = uncheckedMonday
    }

    /// The week a calendar date falls in.
    public static func containing(_ date: CalendarDate) -> ReviewWeek {
        ReviewWeek(uncheckedMonday: date.mondayOfWeek)
    }

    /// The week an instant falls in, reckoned on the wall calendar of
    /// `timeZone` (Europe/London by default): at 00:30 on a Monday in British
    /// Summer Time the new week has begun, although in UTC it is still Sunday.
    public static func containing(_ instant: Date, timeZone: TimeZone = .london) -> ReviewWeek {
        containing(CalendarDate.today(in: timeZone, now: instant))
    }

    /// The week before.
    public var previous: ReviewWeek { adding(weeks: -1) }

    /// The week after.
    public var next: ReviewWeek { adding(weeks: 1) }

    /// The week `weeks` weeks later (earlier when negative).
    public func adding(weeks: Int) -> ReviewWeek {
        ReviewWeek(uncheckedMonday: monday.adding(days: 7 * weeks))
    }

    /// Whole weeks from this week to `other` (positive when `other` is later).
    public func weeks(until other: ReviewWeek) -> Int {
        monday.days(until: other.monday) / 7
    }

    /// The Sunday the week ends on.
    public var sunday: CalendarDate { monday.adding(days: 6) }

    /// The date `offset` days after the Monday (0 = Monday … 6 = Sunday).
    public func day(_ offset: Int) -> CalendarDate { monday.adding(days: offset) }

    /// The seven dates of the week, Monday first.
    public var dates: [CalendarDate] { (0..<7).map(day) }

    /// Whether `date` falls in this week.
    public func contains(_ date: CalendarDate) -> Bool { monday <= date && date <= sunday }

    /// `"w/c 6 Jan 2025"` ("week commencing"): how UK health and care papers
    /// name a week, for page titles and agendas.
    public var label: String {
        "w/c \(monday.day) \(ReviewWeek.shortMonths[monday.month - 1]) \(monday.year)"
    }

    /// `"Week commencing Monday 6 January 2025"`, for documents.
    public var longLabel: String {
        "Week commencing Monday \(monday.day) \(ReviewWeek.months[monday.month - 1]) \(monday.year)"
    }

    /// The ISO 8601 week, `"2025-W02"`: the ISO week-numbering year and week
    /// (weeks start on Monday, week 1 holds the first Thursday), handy for
    /// file names and export columns that sort correctly.
    public var isoWeek: String {
        let thursday = monday.adding(days: 3)
        let weekYear = thursday.year
        let firstThursdayOrdinal = CalendarDate(year: weekYear, month: 1, day: 1)!.days(until: thursday)
        let week = firstThursdayOrdinal / 7 + 1
        return "\(weekYear)-W" + (week < 10 ? "0\(week)" : "\(week)")
    }

    /// The Monday as `yyyy-mm-dd`: the stable key used in storage and URLs.
    public var description: String { monday.iso }

    public static func < (lhs: ReviewWeek, rhs: ReviewWeek) -> Bool { lhs.monday < rhs.monday }

    private static let shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December",
    ]
}

extension ReviewWeek: Codable {
    /// Decodes from the Monday as `yyyy-mm-dd`, refusing any other weekday so
    /// a week can only ever have one key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let date = try container.decode(CalendarDate.self)
        guard let week = ReviewWeek(monday: date) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "a review week is keyed by its Monday; \(date.iso) is not a Monday (its week starts \(date.mondayOfWeek.iso))"
            )
        }
        self = week
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(monday)
    }
}
