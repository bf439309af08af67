import Foundation
import Reports
import Store
import StrandedCore

/// The aim from the stays held: the acute sites, their stays admitted in the
/// weeks asked for, and ``AdmissionsAim`` over them.
public struct AimFigures: Sendable {
    let store: StayStore
    let thresholds: StrandedThresholds

    public init(database: Database, thresholds: StrandedThresholds) {
        store = StayStore(database: database)
        self.thresholds = thresholds
    }

    /// The aim by week for one unit (the system, an organisation by code or a
    /// site by code) over the weeks from `from` to `to`; nil where it is not
    /// measured (no stays), or the unit has no acute site.
    public func weeks(scope: TrendScope, code: String?, from: CalendarDate, to: CalendarDate, today: CalendarDate) async throws -> [AimWeek]? {
        try await unit(scope: scope, code: code, from: from, to: to, today: today).weeks
    }

    /// One unit's aim and which of its acute sites it counts.
    public struct UnitFigures: Sendable {
        /// nil where not measured.
        public var weeks: [AimWeek]?
        /// The unit's acute sites with stays (counted) and without (not measured), by code.
        public var measuredSites: [String]
        public var unmeasuredSites: [String]
    }

    /// The aim by week for one unit, with the acute sites it counts: an
    /// organisation or the system with some sites unmeasured is a partial total.
    public func unit(scope: TrendScope, code: String?, from: CalendarDate, to: CalendarDate, today: CalendarDate) async throws -> UnitFigures {
        let (report, sites) = try await report(from: from, to: to, today: today)
        let members: [(code: String, site: AimSite)]
        let weeks: [AimWeek]?
        switch scope {
        case .system:
            members = sites
            weeks = report.system
        case .organisation:
            members = sites.filter { $0.site.organisationCode == code }
            weeks = code.flatMap { report.organisations[$0] } ?? nil
        case .site:
            members = sites.filter { $0.code == code }
            weeks = members.first.flatMap { report.sites[$0.site.id] } ?? nil
        case .ward:
            members = []
            weeks = nil
        }
        return UnitFigures(
            weeks: weeks,
            measuredSites: members.filter(\.site.hasStays).map(\.code),
            unmeasuredSites: members.filter { !$0.site.hasStays }.map(\.code)
        )
    }

    /// The aim by week for every acute site, organisation and the system over
    /// the weeks from `from` to `to`, with the acute sites' codes.
    public func report(
        from: CalendarDate,
        to: CalendarDate,
        today: CalendarDate
    ) async throws -> (report: AimReport, sites: [(code: String, site: AimSite)]) {
        var weeks: [CalendarDate] = []
        var week = from.mondayOfWeek
        while week <= to {
            weeks.append(week)
            week = week.adding(days: 7)
        }
        let sites = try await store.aimSites()
        guard let last = weeks.last else {
            return (AdmissionsAim.report(stays: [], sites: sites.map(\.site), weeks: [], today: today, thresholds: thresholds), sites)
        }
        let measured = sites.filter(\.site.hasStays).map(\.site.id)
        let stays = try await store.stays(siteIDs: measured, admittedFrom: weeks[0], through: last.adding(days: 6))
        return (AdmissionsAim.report(stays: stays, sites: sites.map(\.site), weeks: weeks, today: today, thresholds: thresholds), sites)
    }
}
