import Foundation
import StrandedCore

/// The one-page weekly escalation summary for the chief executive call:
/// what the call reads, as data. Built by ``EscalationSummary/make(week:figures:activity:referredCases:taxonomy:)``
/// from list figures (Store), escalation activity and referred cases (the
/// escalation engine); rendered as HTML, Markdown and JSON.
///
/// It holds no patient identifiers by construction: no field can carry a
/// name or an NHS number, and the free text of referred cases is scrubbed
/// (``ReferredCaseSynopsis``).
public struct EscalationSummary: Codable, Sendable, Equatable {
    public var week: ReviewWeek
    /// The whole system first, then each organisation, then each site.
    public var headline: Headline
    public var level1: Level1Timeliness
    public var escalations: EscalationActivity
    /// Top delay reasons, grouped by the agency responsible for clearing them.
    public var delayReasons: [AgencyDelayReasons]
    /// The 12 weeks ending with this one, oldest first.
    public var trend: [TrendPoint]
    public var referredCases: [ReferredCaseSynopsis]
    /// Caveats the reader must see (data not connected, sites without a list).
    public var notes: [String]
    /// One line: the week's top three prevention themes, each rising or
    /// falling against the weeks before; nil in summaries built before themes.
    public var preventionThemes: String?
    /// One line: the aim, measured on stays, for the latest week whose
    /// admissions are all known, against the band; nil in summaries built before it.
    public var aim: String?
    /// One line: the last whole week's red bed-days from the board rounds,
    /// the red share of stranded patients' days and the top red reasons; nil
    /// in summaries built before board rounds.
    public var redDays: String?

    public struct Headline: Codable, Sendable, Equatable {
        public var system: HeadlineRow
        public var organisations: [HeadlineRow]
        public var sites: [HeadlineRow]

        /// Reading order: the system, then each organisation followed by its sites.
        public var rows: [HeadlineRow] {
            var result = [system]
            for organisation in organisations {
                result.append(organisation)
                result += sites.filter { $0.organisationCode == organisation.code }
            }
            result += sites.filter { site in !organisations.contains { $0.code == site.organisationCode } }
            return result
        }
    }
}

/// One line of the headline table: patients stranded and super stranded (7+ and 21+ under the standard thresholds).
public struct HeadlineRow: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable { case system, organisation, site }
    public var level: Level
    public var code: String
    public var name: String
    /// The organisation a site belongs to; nil for the system and organisation rows.
    public var organisationCode: String?
    public var stranded: CountChange
    public var superStranded: CountChange
    /// False when this site (or no site of the organisation) sent a list dated in the week.
    public var reported: Bool
}

/// A count this week with its change against last week and against the
/// average of the four weeks before this one.
///
/// Weeks without a list are left out of the average (a missing list is not
/// zero patients); nil when none of the four weeks had one, and the change
/// against last week is nil when last week had no list.
public struct CountChange: Codable, Sendable, Equatable {
    public var current: Int
    public var lastWeek: Int?
    public var changeOnLastWeek: Int?
    public var fourWeekAverage: Double?
    public var changeOnAverage: Double?

    public init(current: Int, lastWeek: Int?, previousFour: [Int]) {
        self.current = current
        self.lastWeek = lastWeek
        changeOnLastWeek = lastWeek.map { current - $0 }
        if previousFour.isEmpty {
            fourWeekAverage = nil
            changeOnAverage = nil
        } else {
            let average = Double(previousFour.reduce(0, +)) / Double(previousFour.count)
            // One decimal place: the page shows no more, and JSON stays stable.
            fourWeekAverage = (average * 10).rounded() / 10
            changeOnAverage = ((Double(current) - average) * 10).rounded() / 10
        }
    }
}

/// How many of the week's Level 1 reviews were completed by the deadline.
public struct Level1Timeliness: Codable, Sendable, Equatable {
    /// Forms due this week (patients discharged during the week owe none).
    public var due: Int
    /// Completed (or escalated with an ask) before the Level 1 deadline.
    public var onTime: Int
    /// Completed after the deadline.
    public var late: Int
    /// Not completed at all when the summary was built.
    public var notCompleted: Int
    /// `onTime / due` as a percentage, one decimal place; nil when none were due.
    public var onTimePercent: Double?
    /// The deadline, as the reader knows it ("Wed 18 Nov 17:00").
    public var deadline: String

    public init(due: Int, onTime: Int, late: Int, deadline: String) {
        self.due = due
        self.onTime = onTime
        self.late = late
        notCompleted = max(0, due - onTime - late)
        onTimePercent = due == 0 ? nil : (Double(onTime) * 1000 / Double(due)).rounded() / 10
        self.deadline = deadline
    }
}

/// Escalations opened and resolved during the week at each level. The
/// escalation engine owns these figures; the summary only reports them.
public struct EscalationActivity: Codable, Sendable, Equatable {
    public var level2Opened: Int
    public var level2Resolved: Int
    /// Open at Level 2 when the summary was built.
    public var level2Open: Int
    public var chiefExecutiveOpened: Int
    public var chiefExecutiveResolved: Int
    public var chiefExecutiveOpen: Int
    /// False when no escalation data was supplied: the page says so rather
    /// than show zeros that look like a quiet week.
    public var connected: Bool

    public init(
        level2Opened: Int,
        level2Resolved: Int,
        level2Open: Int,
        chiefExecutiveOpened: Int,
        chiefExecutiveResolved: Int,
        chiefExecutiveOpen: Int
    ) {
        self.level2Opened = level2Opened
        self.level2Resolved = level2Resolved
        self.level2Open = level2Open
        self.chiefExecutiveOpened = chiefExecutiveOpened
        self.chiefExecutiveResolved = chiefExecutiveResolved
        self.chiefExecutiveOpen = chiefExecutiveOpen
        connected = true
    }

    /// No escalation data: labelled "escalation data not connected" wherever shown.
    public static let notConnected: EscalationActivity = {
        var activity = EscalationActivity(
            level2Opened: 0,
            level2Resolved: 0,
            level2Open: 0,
            chiefExecutiveOpened: 0,
            chiefExecutiveResolved: 0,
            chiefExecutiveOpen: 0
        )
        activity.connected = false
        return activity
    }()
}

/// The delay reasons of one responsible agency, most frequent first.
public struct AgencyDelayReasons: Codable, Sendable, Equatable {
    public var agency: Agency
    public var agencyLabel: String
    public var total: Int
    public var reasons: [ReasonCount]

    public struct ReasonCount: Codable, Sendable, Equatable {
        public var code: DelayReasonCode
        public var label: String
        public var count: Int
    }
}

/// Patients stranded and super stranded in one week (system-wide).
public struct TrendPoint: Codable, Sendable, Equatable {
    public var week: ReviewWeek
    public var stranded: Int
    public var superStranded: Int
    /// False when no site sent a list dated in the week.
    public var reported: Bool

    public init(week: ReviewWeek, stranded: Int, superStranded: Int, reported: Bool = true) {
        self.week = week
        self.stranded = stranded
        self.superStranded = superStranded
        self.reported = reported
    }
}
