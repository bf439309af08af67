import Foundation

/// A date on the calendar, with no time of day and no time zone.
///
/// Length of stay, review weeks and due dates are all differences of calendar
/// dates (DESIGN.md §7: never timestamps divided by 86,400), so they are
/// counted here on the proleptic Gregorian calendar and clock changes cannot
/// shift them.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date, or nil if the day does not exist (e.g. 31 April).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `yyyy-mm-dd`.
    public init?(iso text: some StringProtocol) {
        // Byte-level: a ward list holds several dates per row, 100,000 rows a file.
        let string = String(text)
        guard
            let date = string.utf8.withContiguousStorageIfAvailable({ CalendarDate.parseISO($0) })
                ?? CalendarDate.parseISO(Array(string.utf8))
        else { return nil }
        self = date
    }

    /// Parses `yyyy-mm-dd` or the UK form `dd/mm/yyyy` (`d/m/yyyy` too).
    public init?(isoOrUK text: some StringProtocol) {
        let string = String(text)
        guard
            let date = string.utf8.withContiguousStorageIfAvailable({ CalendarDate.parseISO($0) ?? CalendarDate.parseUK($0) })
                ?? CalendarDate.parseISO(Array(string.utf8)) ?? CalendarDate.parseUK(Array(string.utf8))
        else { return nil }
        self = date
    }

    private static func digits(_ bytes: some RandomAccessCollection<UInt8>, _ from: Int, _ count: Int) -> Int? {
        var value = 0
        var index = bytes.index(bytes.startIndex, offsetBy: from)
        for _ in 0..<count {
            let digit = Int(bytes[index]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
            index = bytes.index(after: index)
        }
        return value
    }

    static func parseISO(_ b: some RandomAccessCollection<UInt8>) -> CalendarDate? {
        guard b.count == 10 else { return nil }
        let dash = UInt8(ascii: "-")
        guard b[b.index(b.startIndex, offsetBy: 4)] == dash, b[b.index(b.startIndex, offsetBy: 7)] == dash,
            let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2)
        else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    static func parseUK(_ b: some RandomAccessCollection<UInt8>) -> CalendarDate? {
        guard (8...10).contains(b.count) else { return nil }
        let slash = UInt8(ascii: "/")
        guard let first = b.firstIndex(of: slash) else { return nil }
        let dayLength = b.distance(from: b.startIndex, to: first)
        guard (1...2).contains(dayLength), let second = b[b.index(after: first)...].firstIndex(of: slash) else { return nil }
        let monthLength = b.distance(from: b.index(after: first), to: second)
        let yearStart = b.distance(from: b.startIndex, to: second) + 1
        guard (1...2).contains(monthLength), b.count - yearStart == 4,
            let d = digits(b, 0, dayLength), let m = digits(b, dayLength + 1, monthLength), let y = digits(b, yearStart, 4)
        else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    /// The date `day` days after 1970-01-01 (negative before).
    public init(daysSinceEpoch: Int) {
        // Howard Hinnant's civil_from_days: exact for the whole Gregorian range.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: CalendarDate) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let r = (daysSinceEpoch + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// The Monday on or before this date: the start of its review week.
    public var mondayOfWeek: CalendarDate { adding(days: 1 - isoWeekday) }

    /// The last day of this date's month.
    public var endOfMonth: CalendarDate {
        CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))!
    }

    /// `yyyy-mm-dd`.
    public var iso: String {
        let y = String(year)
        let m = month < 10 ? "0\(month)" : String(month)
        let d = day < 10 ? "0\(day)" : String(day)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + m + "-" + d
    }

    /// `dd/mm/yyyy`, as UK staff write dates.
    public var uk: String {
        let m = month < 10 ? "0\(month)" : String(month)
        let d = day < 10 ? "0\(day)" : String(day)
        return d + "/" + m + "/" + String(year)
    }

    public var description: String { iso }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a date as yyyy-mm-dd, got \"\(text)\"")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

extension CalendarDate {
    /// Today's date in the given time zone (Europe/London for everything clinical).
    public static func today(in timeZone: TimeZone = .london, now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}

extension TimeZone {
    /// The time zone every clinical date and deadline is reckoned in.
    public static let london = TimeZone(identifier: "Europe/London")!
}
