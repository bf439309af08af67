import Foundation

/// A wall-clock time within a review week: a day (0 = Monday … 6 = Sunday),
/// an hour and a minute, on the timetable's local calendar.
///
/// Kept as wall-clock parts rather than an offset in seconds from Monday
/// midnight, because "Wednesday 17:00" must stay 17:00 on the ward clock in
/// the week the clocks change, when the week is 167 or 169 hours long.
public struct WeekTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days after Monday: 0 = Monday … 6 = Sunday.
    public var dayOffset: Int
    public var hour: Int
    public var minute: Int

    public init(dayOffset: Int, hour: Int, minute: Int = 0) {
        self.dayOffset = dayOffset
        self.hour = hour
        self.minute = minute
    }

    /// Whether the parts name a real time in a week.
    public var isValid: Bool {
        (0...6).contains(dayOffset) && (0...23).contains(hour) && (0...59).contains(minute)
    }

    /// `"Wed 17:00"`.
    public var description: String {
        let day = (0...6).contains(dayOffset) ? WeekTime.dayNames[dayOffset] : "day+\(dayOffset)"
        return "\(day) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    public static func < (lhs: WeekTime, rhs: WeekTime) -> Bool {
        (lhs.dayOffset, lhs.hour, lhs.minute) < (rhs.dayOffset, rhs.hour, rhs.minute)
    }

    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
}

extension WeekTime: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case dayOffset, hour, minute
    }

    /// `{"dayOffset": 2, "hour": 17, "minute": 0}`; `minute` may be left out.
    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            dayOffset: try c.decode(Int.self, forKey: .dayOffset),
            hour: try c.decode(Int.self, forKey: .hour),
            minute: try c.decodeIfPresent(Int.self, forKey: .minute) ?? 0
        )
    }
}

/// The fixed points of the weekly cycle (DESIGN.md §3).
public enum Milestone: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Ward length-of-stay lists are due in.
    case listsDue = "lists-due"
    /// Level 1 forms are due; incomplete ones escalate.
    case level1Deadline = "level1-deadline"
    /// The Level 2 agenda is built (and frozen).
    case level2AgendaBuilt = "level2-agenda-built"
    /// The Level 2 multi-agency meeting starts.
    case level2Meeting = "level2-meeting"
    /// The chief executive summary is built (and frozen).
    case chiefExecutiveSummaryBuilt = "ce-summary-built"
    /// The chief executive call starts.
    case chiefExecutiveCall = "ce-call"

    public var label: String {
        switch self {
        case .listsDue: return "Ward lists due"
        case .level1Deadline: return "Level 1 forms due"
        case .level2AgendaBuilt: return "Level 2 agenda built"
        case .level2Meeting: return "Level 2 meeting"
        case .chiefExecutiveSummaryBuilt: return "Chief executive summary built"
        case .chiefExecutiveCall: return "Chief executive call"
        }
    }

    public var description: String { rawValue }
}

/// When each milestone of the weekly cycle falls, as wall-clock times in one
/// time zone (Europe/London).
///
/// Defaults (DESIGN.md §3): lists in by Monday 12:00; Level 1 forms due
/// Wednesday 17:00; Level 2 agenda built Thursday 08:00 for a 10:00 meeting;
/// chief executive summary built Friday 09:00 for a 12:00 call. Systems run
/// their meetings on different days, so every time is configurable: the value
/// decodes from JSON with every key optional and unknown keys refused.
public struct WeeklyTimetable: Hashable, Sendable {
    public var listsDue: WeekTime
    public var level1Deadline: WeekTime
    public var level2AgendaBuilt: WeekTime
    public var level2Meeting: WeekTime
    public var chiefExecutiveSummaryBuilt: WeekTime
    public var chiefExecutiveCall: WeekTime
    /// IANA time zone the times are read in; `"Europe/London"` unless a test
    /// or an unusual deployment says otherwise.
    public var timeZoneIdentifier: String
    /// Hours a ward has to review a form opened after its week's Level 1
    /// deadline (its list came in late): such a form is due this long after
    /// it was opened, so it is never overdue the moment it appears.
    public var lateListGraceHours: Int

    public init(
        listsDue: WeekTime = WeekTime(dayOffset: 0, hour: 12),
        level1Deadline: WeekTime = WeekTime(dayOffset: 2, hour: 17),
        level2AgendaBuilt: WeekTime = WeekTime(dayOffset: 3, hour: 8),
        level2Meeting: WeekTime = WeekTime(dayOffset: 3, hour: 10),
        chiefExecutiveSummaryBuilt: WeekTime = WeekTime(dayOffset: 4, hour: 9),
        chiefExecutiveCall: WeekTime = WeekTime(dayOffset: 4, hour: 12),
        timeZoneIdentifier: String = "Europe/London",
        lateListGraceHours: Int = 48
    ) {
        self.listsDue = listsDue
        self.level1Deadline = level1Deadline
        self.level2AgendaBuilt = level2AgendaBuilt
        self.level2Meeting = level2Meeting
        self.chiefExecutiveSummaryBuilt = chiefExecutiveSummaryBuilt
        self.chiefExecutiveCall = chiefExecutiveCall
        self.timeZoneIdentifier = timeZoneIdentifier
        self.lateListGraceHours = lateListGraceHours
    }

    /// When a Level 1 form is due: its week's deadline or, for a form opened
    /// after that deadline, `lateListGraceHours` after it was opened.
    public func formDue(week: ReviewWeek, openedAt: Date) -> Date {
        let deadline = instant(of: .level1Deadline, in: week)
        guard openedAt > deadline else { return deadline }
        return openedAt.addingTimeInterval(TimeInterval(lateListGraceHours) * 3600)
    }

    /// The timetable of DESIGN.md §3.
    public static let standard = WeeklyTimetable()

    /// The wall-clock time of a milestone.
    public func time(of milestone: Milestone) -> WeekTime {
        switch milestone {
        case .listsDue: return listsDue
        case .level1Deadline: return level1Deadline
        case .level2AgendaBuilt: return level2AgendaBuilt
        case .level2Meeting: return level2Meeting
        case .chiefExecutiveSummaryBuilt: return chiefExecutiveSummaryBuilt
        case .chiefExecutiveCall: return chiefExecutiveCall
        }
    }

    /// The time zone of the timetable (Europe/London if the identifier is
    /// unknown; ``problems()`` reports that case so it cannot pass unnoticed).
    public var timeZone: TimeZone { TimeZone(identifier: timeZoneIdentifier) ?? .london }

    /// The calendar date on which a milestone falls in a week.
    public func date(of milestone: Milestone, in week: ReviewWeek) -> CalendarDate {
        week.day(time(of: milestone).dayOffset)
    }

    /// The instant of a milestone in a given week.
    ///
    /// Built from the wall-clock parts with a Gregorian calendar in the
    /// timetable's zone, so Wednesday 17:00 is 17:00 GMT (UTC) in winter and
    /// 17:00 BST (16:00 UTC) in summer, including the weeks the clocks change.
    /// A time inside the hour skipped in spring (01:00–01:59 on the last Sunday
    /// of March in London) is moved forward by the length of the gap (01:30
    /// becomes 02:30 BST), and a time in the hour repeated in autumn is its
    /// first occurrence (BST), as Foundation resolves them; the defaults are
    /// all in office hours on weekdays and never meet either.
    public func instant(of milestone: Milestone, in week: ReviewWeek) -> Date {
        let time = time(of: milestone)
        let date = week.day(time.dayOffset)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(
            year: date.year,
            month: date.month,
            day: date.day,
            hour: time.hour,
            minute: time.minute
        )
        guard let instant = calendar.date(from: components) else {
            preconditionFailure("no instant for \(date.iso) \(time) in \(timeZoneIdentifier)")
        }
        return instant
    }

    /// Every milestone of a week with its instant, in timetable order.
    public func schedule(for week: ReviewWeek) -> [(milestone: Milestone, at: Date)] {
        Milestone.allCases.map { ($0, instant(of: $0, in: week)) }
    }

    /// What is wrong with this timetable, as sentences naming the setting;
    /// empty when usable. The milestones must fall in order within the week,
    /// because each step consumes the one before (an agenda built before the
    /// Level 1 deadline would miss the cases the deadline escalates).
    public func problems() -> [String] {
        var result: [String] = []
        if TimeZone(identifier: timeZoneIdentifier) == nil {
            result.append("timeZoneIdentifier \"\(timeZoneIdentifier)\" is not a known time zone")
        }
        if !(1...336).contains(lateListGraceHours) {
            result.append("lateListGraceHours must be 1–336 (up to two weeks); got \(lateListGraceHours)")
        }
        for milestone in Milestone.allCases where !time(of: milestone).isValid {
            let t = time(of: milestone)
            result.append(
                "\(WeeklyTimetable.key(milestone)) must have dayOffset 0–6 (Monday–Sunday), hour 0–23 and minute 0–59; got dayOffset \(t.dayOffset), hour \(t.hour), minute \(t.minute)"
            )
        }
        for (earlier, later) in zip(Milestone.allCases, Milestone.allCases.dropFirst()) where time(of: later) < time(of: earlier) {
            result.append(
                "\(WeeklyTimetable.key(later)) (\(time(of: later))) must not be before \(WeeklyTimetable.key(earlier)) (\(time(of: earlier)))"
            )
        }
        return result
    }

    /// The configuration key of a milestone's time.
    static func key(_ milestone: Milestone) -> String {
        switch milestone {
        case .listsDue: return CodingKeys.listsDue.stringValue
        case .level1Deadline: return CodingKeys.level1Deadline.stringValue
        case .level2AgendaBuilt: return CodingKeys.level2AgendaBuilt.stringValue
        case .level2Meeting: return CodingKeys.level2Meeting.stringValue
        case .chiefExecutiveSummaryBuilt: return CodingKeys.chiefExecutiveSummaryBuilt.stringValue
        case .chiefExecutiveCall: return CodingKeys.chiefExecutiveCall.stringValue
        }
    }
}

extension WeeklyTimetable: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case listsDue, level1Deadline, level2AgendaBuilt, level2Meeting
        case chiefExecutiveSummaryBuilt, chiefExecutiveCall, timeZoneIdentifier, lateListGraceHours
    }

    /// Every key optional (defaults as ``standard``); unknown keys refused.
    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = WeeklyTimetable.standard
        self.init(
            listsDue: try c.decodeIfPresent(WeekTime.self, forKey: .listsDue) ?? d.listsDue,
            level1Deadline: try c.decodeIfPresent(WeekTime.self, forKey: .level1Deadline) ?? d.level1Deadline,
            level2AgendaBuilt: try c.decodeIfPresent(WeekTime.self, forKey: .level2AgendaBuilt) ?? d.level2AgendaBuilt,
            level2Meeting: try c.decodeIfPresent(WeekTime.self, forKey: .level2Meeting) ?? d.level2Meeting,
            chiefExecutiveSummaryBuilt: try c.decodeIfPresent(WeekTime.self, forKey: .chiefExecutiveSummaryBuilt) ?? d.chiefExecutiveSummaryBuilt,
            chiefExecutiveCall: try c.decodeIfPresent(WeekTime.self, forKey: .chiefExecutiveCall) ?? d.chiefExecutiveCall,
            timeZoneIdentifier: try c.decodeIfPresent(String.self, forKey: .timeZoneIdentifier) ?? d.timeZoneIdentifier,
            lateListGraceHours: try c.decodeIfPresent(Int.self, forKey: .lateListGraceHours) ?? d.lateListGraceHours
        )
    }
}
