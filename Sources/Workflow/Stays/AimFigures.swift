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
        let (report, sites) = try await report(from: from, to: to, today: today)
        switch scope {
        case .system: return report.system
        case .organisation: return code.flatMap { report.organisations[$0] } ?? nil
        case .site: return sites.first { $0.code == code }.flatMap { report.sites[$0.site.id] } ?? nil
        case .ward: return nil
        }
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
