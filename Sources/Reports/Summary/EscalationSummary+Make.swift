import Foundation
import StrandedCore

/// The list-based figures a summary is built from (the Store reads them from
/// the weekly lists and Level 1 forms).
public struct SummaryFigures: Sendable, Equatable {
    /// One site's count in one week: its latest current list dated in that week.
    public struct SiteWeek: Sendable, Equatable {
        public var week: ReviewWeek
        public var siteCode: String
        public var siteName: String
        public var organisationCode: String
        public var organisationName: String
        public var stranded: Int
        public var superStranded: Int

        public init(
            week: ReviewWeek,
            siteCode: String,
            siteName: String,
            organisationCode: String,
            organisationName: String,
            stranded: Int,
            superStranded: Int
        ) {
            self.week = week
            self.siteCode = siteCode
            self.siteName = siteName
            self.organisationCode = organisationCode
            self.organisationName = organisationName
            self.stranded = stranded
            self.superStranded = superStranded
        }
    }

    /// A registered site, so a site that sent no list this week still shows.
    public struct Site: Sendable, Equatable {
        public var code: String
        public var name: String
        public var organisationCode: String
        public var organisationName: String

        public init(code: String, name: String, organisationCode: String, organisationName: String) {
            self.code = code
            self.name = name
            self.organisationCode = organisationCode
            self.organisationName = organisationName
        }
    }

    public var sites: [Site]
    /// Counts for the summary's week and the 11 weeks before it.
    public var siteWeeks: [SiteWeek]
    public var level1Due: Int
    public var level1OnTime: Int
    public var level1Late: Int
    /// Primary delay reasons of the week's Level 1 reviews, with counts.
    public var primaryReasons: [DelayReasonCode: Int]

    public init(
        sites: [Site],
        siteWeeks: [SiteWeek],
        level1Due: Int,
        level1OnTime: Int,
        level1Late: Int,
        primaryReasons: [DelayReasonCode: Int]
    ) {
        self.sites = sites
        self.siteWeeks = siteWeeks
        self.level1Due = level1Due
        self.level1OnTime = level1OnTime
        self.level1Late = level1Late
        self.primaryReasons = primaryReasons
    }
}

extension EscalationSummary {
    /// Weeks in the trend chart, ending with the summary's week.
    public static let trendWeeks = 12
    /// Delay reasons listed per agency.
    public static let reasonsPerAgency = 3

    /// Builds the summary of `week`: pure, so the same inputs give the same page.
    public static func make(
        week: ReviewWeek,
        figures: SummaryFigures,
        activity: EscalationActivity,
        referredCases: [ReferredCaseSynopsis],
        level1Deadline: String,
        taxonomy: DelayReasonTaxonomy
    ) -> EscalationSummary {
        let weeks = (0..<trendWeeks).map { week.adding(weeks: $0 - (trendWeeks - 1)) }
        let byWeek = Dictionary(grouping: figures.siteWeeks, by: \.week)

        func row(
            _ level: HeadlineRow.Level,
            code: String,
            name: String,
            organisation: String? = nil,
            _ include: (SummaryFigures.SiteWeek) -> Bool
        ) -> HeadlineRow {
            // nil: no list from these sites that week.
            func counts(_ w: ReviewWeek) -> (Int, Int)? {
                let rows = (byWeek[w] ?? []).filter(include)
                guard !rows.isEmpty else { return nil }
                return (rows.reduce(0) { $0 + $1.stranded }, rows.reduce(0) { $0 + $1.superStranded })
            }
            let current = counts(week)
            let last = counts(week.previous)
            let four = (1...4).compactMap { counts(week.adding(weeks: -$0)) }
            return HeadlineRow(
                level: level,
                code: code,
                name: name,
                organisationCode: organisation,
                stranded: CountChange(current: current?.0 ?? 0, lastWeek: last?.0, previousFour: four.map(\.0)),
                superStranded: CountChange(current: current?.1 ?? 0, lastWeek: last?.1, previousFour: four.map(\.1)),
                reported: current != nil
            )
        }

        let sites = figures.sites.sorted { ($0.organisationCode, $0.code) < ($1.organisationCode, $1.code) }
        var organisations: [(code: String, name: String)] = []
        for site in sites where !organisations.contains(where: { $0.code == site.organisationCode }) {
            organisations.append((site.organisationCode, site.organisationName))
        }
        let headline = Headline(
            system: row(.system, code: "ALL", name: "Whole system") { _ in true },
            organisations: organisations.map { org in row(.organisation, code: org.code, name: org.name) { $0.organisationCode == org.code } },
            sites: sites.map { site in row(.site, code: site.code, name: site.name, organisation: site.organisationCode) { $0.siteCode == site.code }
            }
        )

        let trend = weeks.map { w -> TrendPoint in
            let rows = byWeek[w] ?? []
            return TrendPoint(
                week: w,
                stranded: rows.reduce(0) { $0 + $1.stranded },
                superStranded: rows.reduce(0) { $0 + $1.superStranded },
                reported: !rows.isEmpty
            )
        }

        var notes: [String] = []
        if !activity.connected {
            notes.append("Escalation data not connected: Level 2 and chief executive call figures and referred cases are not included.")
        }
        let missing = headline.sites.filter { !$0.reported }.map(\.code)
        if !missing.isEmpty {
            notes.append("No list this week from \(missing.joined(separator: ", ")): counted as none.")
        }

        return EscalationSummary(
            week: week,
            headline: headline,
            level1: Level1Timeliness(due: figures.level1Due, onTime: figures.level1OnTime, late: figures.level1Late, deadline: level1Deadline),
            escalations: activity,
            delayReasons: delayReasons(figures.primaryReasons, taxonomy: taxonomy),
            trend: trend,
            referredCases: referredCases,
            notes: notes
        )
    }

    /// Reasons grouped by responsible agency (agencies with most delays first),
    /// each with its top ``reasonsPerAgency`` reasons. Codes the taxonomy does
    /// not know count under "Other".
    static func delayReasons(_ counts: [DelayReasonCode: Int], taxonomy: DelayReasonTaxonomy) -> [AgencyDelayReasons] {
        var groups: [Agency: [AgencyDelayReasons.ReasonCount]] = [:]
        for (code, count) in counts where count > 0 {
            let reason = taxonomy.reason(code)
            groups[reason?.agency ?? .other, default: []].append(
                .init(code: code, label: reason?.label ?? code.rawValue, count: count)
            )
        }
        return groups.map { agency, reasons in
            let sorted = reasons.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
            return AgencyDelayReasons(
                agency: agency,
                agencyLabel: agency.label,
                total: reasons.reduce(0) { $0 + $1.count },
                reasons: Array(sorted.prefix(reasonsPerAgency))
            )
        }
        .sorted { ($1.total, $0.agencyLabel) < ($0.total, $1.agencyLabel) }
    }
}
