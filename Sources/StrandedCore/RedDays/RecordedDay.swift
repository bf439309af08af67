import Foundation

/// One patient's day as a board round marked it.
public struct RecordedDay: Hashable, Sendable, Codable {
    public var date: CalendarDate
    public var status: DayStatus
    /// The red reason's code; nil on a green day.
    public var reason: String?

    public init(date: CalendarDate, status: DayStatus, reason: String? = nil) {
        self.date = date
        self.status = status
        self.reason = reason
    }
}

/// A run of red days on consecutive calendar dates.
public struct RedRun: Hashable, Sendable, Codable {
    public var first: CalendarDate
    public var last: CalendarDate
    /// The reasons given, in order of first appearance.
    public var reasons: [String]

    public var days: Int { first.days(until: last) + 1 }
}

/// A case's red days: this week, in total and the longest run.
///
/// A run is broken by a green day and by a day nobody recorded: an unmarked
/// day is not known to be red, and counting it as red would escalate a
/// patient because a board round was missed.
public struct RedDayCounts: Hashable, Sendable, Codable {
    /// Red days in the review week (Monday to Sunday).
    public var thisWeek: Int
    /// Red days in the stay so far (up to the week's end).
    public var total: Int
    /// The longest run of consecutive red days in the stay so far; runs cross
    /// week boundaries.
    public var longestRun: Int
    /// Days recorded at all (red or green) up to the week's end: zero means
    /// nobody has marked this patient, which is not the same as no red days.
    public var recordedDays: Int

    public init(thisWeek: Int, total: Int, longestRun: Int, recordedDays: Int) {
        self.thisWeek = thisWeek
        self.total = total
        self.longestRun = longestRun
        self.recordedDays = recordedDays
    }

    /// The counts of `days` (any order, one per date) as seen at the end of `week`.
    public init(days: [RecordedDay], week: ReviewWeek) {
        let upTo = days.filter { $0.date <= week.sunday }
        let red = upTo.filter { $0.status == .red }
        self.init(
            thisWeek: red.filter { $0.date >= week.monday }.count,
            total: red.count,
            longestRun: RedDayCounts.runs(in: upTo).map(\.days).max() ?? 0,
            recordedDays: upTo.count
        )
    }

    /// Every run of red days in `days`, earliest first.
    public static func runs(in days: [RecordedDay]) -> [RedRun] {
        var runs: [RedRun] = []
        for day in days.sorted(by: { $0.date < $1.date }) where day.status == .red {
            if var last = runs.last, last.last.adding(days: 1) == day.date {
                last.last = day.date
                if let reason = day.reason, !last.reasons.contains(reason) { last.reasons.append(reason) }
                runs[runs.count - 1] = last
            } else {
                runs.append(RedRun(first: day.date, last: day.date, reasons: day.reason.map { [$0] } ?? []))
            }
        }
        return runs
    }

    /// "2 red days this week, 5 in total, longest run 3 days", or nil when no
    /// day has been recorded.
    public var line: String? {
        guard recordedDays > 0 else { return nil }
        let week = "\(thisWeek) red day\(thisWeek == 1 ? "" : "s") this week"
        return "\(week), \(total) in total, longest run \(longestRun) day\(longestRun == 1 ? "" : "s")"
    }
}

/// What the ward week's forms show instead of a single red/green choice: the
/// week's days at a glance.
public struct WeekOfDays: Hashable, Sendable {
    public var red: Int
    public var green: Int
    public var unrecorded: Int

    public init(days: [RecordedDay], week: ReviewWeek, upTo today: CalendarDate) {
        let inWeek = days.filter { $0.date >= week.monday && $0.date <= week.sunday }
        red = inWeek.filter { $0.status == .red }.count
        green = inWeek.filter { $0.status == .green }.count
        let elapsed = week.dates.filter { $0 <= today }.count
        unrecorded = max(0, elapsed - inWeek.filter { $0.date <= today }.count)
    }

    /// The status the week summarises to: red if any day was red.
    public var status: DayStatus? {
        if red > 0 { return .red }
        return green > 0 ? .green : nil
    }
}
