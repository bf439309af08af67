import Foundation
import StrandedCore

/// One site's board-round days in one week, as the store counts them.
public struct RedDaySiteWeek: Sendable, Equatable {
    public let week: CalendarDate
    public let siteCode: String
    public let organisationCode: String
    /// Red days (red bed-days) recorded.
    public let red: Int
    /// Days recorded, red or green.
    public let recorded: Int
    /// Of those, days of stranded patients (length of stay at or over the
    /// policy's threshold on the day), and how many were red.
    public let strandedRecorded: Int
    public let strandedRed: Int

    public init(week: CalendarDate, siteCode: String, organisationCode: String, red: Int, recorded: Int, strandedRecorded: Int, strandedRed: Int) {
        self.week = week
        self.siteCode = siteCode
        self.organisationCode = organisationCode
        self.red = red
        self.recorded = recorded
        self.strandedRecorded = strandedRecorded
        self.strandedRed = strandedRed
    }
}

/// Red days with one reason at one site in one week.
public struct RedReasonSiteWeek: Sendable, Equatable {
    public let week: CalendarDate
    public let siteCode: String
    public let organisationCode: String
    public let reason: String
    public let red: Int

    public init(week: CalendarDate, siteCode: String, organisationCode: String, reason: String, red: Int) {
        self.week = week
        self.siteCode = siteCode
        self.organisationCode = organisationCode
        self.reason = reason
        self.red = red
    }
}

/// Red bed-days per week for the system, an organisation or a site; the
/// share of stranded patients' days that were red; the top red reasons by
/// the agency responsible. A pure function of the store's counts.
public struct RedDayTrend: Sendable, Equatable {
    public struct Week: Sendable, Equatable {
        public let week: CalendarDate
        public let redBedDays: Int
        public let recordedDays: Int
        /// Red share of stranded patients' recorded days, in whole percent; nil when none were recorded.
        public let strandedRedPercent: Int?
    }

    public struct Reason: Sendable, Equatable {
        public let agency: String
        public let label: String
        public let redDays: Int
    }

    public let weeks: [Week]
    /// Most red days first, at most `top`.
    public let topReasons: [Reason]

    /// Every week from `from` to `to` (Mondays), weeks without days at zero.
    public static func make(
        sites: [RedDaySiteWeek],
        reasons: [RedReasonSiteWeek],
        scope: TrendScope,
        code: String?,
        from: CalendarDate,
        to: CalendarDate,
        policy: RedDayPolicy,
        top: Int = 5
    ) -> RedDayTrend {
        func included(site: String, organisation: String) -> Bool {
            switch scope {
            case .system, .ward: return true
            case .organisation: return code == nil || organisation == code
            case .site: return code == nil || site == code
            }
        }
        let rows = sites.filter { included(site: $0.siteCode, organisation: $0.organisationCode) }
        var weeks: [Week] = []
        var monday = from.mondayOfWeek
        while monday <= to {
            let these = rows.filter { $0.week == monday }
            let strandedRecorded = these.reduce(0) { $0 + $1.strandedRecorded }
            let strandedRed = these.reduce(0) { $0 + $1.strandedRed }
            weeks.append(
                Week(
                    week: monday,
                    redBedDays: these.reduce(0) { $0 + $1.red },
                    recordedDays: these.reduce(0) { $0 + $1.recorded },
                    strandedRedPercent: strandedRecorded == 0 ? nil : Int((Double(strandedRed) * 100 / Double(strandedRecorded)).rounded())
                )
            )
            monday = monday.adding(days: 7)
        }
        var byReason: [String: Int] = [:]
        for row in reasons where included(site: row.siteCode, organisation: row.organisationCode) && row.week >= from.mondayOfWeek && row.week <= to {
            byReason[row.reason, default: 0] += row.red
        }
        let topReasons = byReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(top).map { code, count in
            Reason(agency: policy.reason(code)?.agency.label ?? "Not known", label: policy.label(of: code), redDays: count)
        }
        return RedDayTrend(weeks: weeks, topReasons: Array(topReasons))
    }
}
