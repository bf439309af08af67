import Foundation
import Reports
import Store
import StrandedCore

/// A trend query as a user gives it (CLI options, API parameters), checked.
public struct TrendRequest: Sendable, Equatable {
    public var scope: TrendScope
    public var code: String?
    public var from: CalendarDate
    public var to: CalendarDate
    public var format: TrendExportFormat
    public var control: DisclosureControl

    public init(scope: TrendScope, code: String?, from: CalendarDate, to: CalendarDate, format: TrendExportFormat, control: DisclosureControl) {
        self.scope = scope
        self.code = code
        self.from = from
        self.to = to
        self.format = format
        self.control = control
    }

    /// A problem a user can fix, with what to do.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Parses and checks the parameters. Defaults: the 52 weeks up to
    /// `latest` (the latest week with a list, else this week), the system
    /// scope, CSV, no suppression unless `publication`.
    public static func parse(
        from: String?,
        to: String?,
        scope: String?,
        code: String?,
        format: String?,
        publication: Bool,
        suppressBelow: String?,
        policy: String? = nil,
        latest: CalendarDate
    ) throws(Problem) -> TrendRequest {
        func date(_ text: String?, _ name: String) throws(Problem) -> CalendarDate? {
            guard let text, !text.isEmpty else { return nil }
            do {
                return try CalendarDate.input(text, field: name)
            } catch {
                throw Problem(message: error.message)
            }
        }
        let end = try date(to, "to") ?? latest
        let start = try date(from, "from") ?? end.mondayOfWeek.adding(days: -7 * 51)
        guard start <= end else {
            throw Problem(message: "from (\(start.iso)) is after to (\(end.iso)): give the earlier date as from")
        }
        guard start.days(until: end) <= 7 * 53 * 10 else {
            throw Problem(message: "from \(start.iso) to \(end.iso) is more than ten years: ask for a shorter period")
        }
        let scopeText = (scope ?? "system").lowercased()
        guard let scopeValue = TrendScope(rawValue: scopeText) else {
            throw Problem(message: "scope \"\(scopeText)\" is not one of system, organisation, site, ward")
        }
        let formatText = (format ?? "csv").lowercased()
        guard let formatValue = TrendExportFormat(rawValue: formatText) else {
            throw Problem(message: "format \"\(formatText)\" is not one of csv, json, long")
        }
        let trimmed = code?.trimmingCharacters(in: .whitespaces)
        let codeValue = (trimmed?.isEmpty ?? true) ? nil : trimmed
        if scopeValue == .system, codeValue != nil {
            throw Problem(message: "the system scope takes no code: leave code out, or choose scope organisation, site or ward")
        }
        var control = DisclosureControl.none
        if let suppressBelow, !suppressBelow.isEmpty {
            guard let threshold = Int(suppressBelow), (1...100).contains(threshold) else {
                throw Problem(message: "suppress-below \"\(suppressBelow)\" is not a whole number from 1 to 100")
            }
            control = .suppressBelow(threshold)
        } else if publication {
            control = .publication
        }
        if let policy, !policy.isEmpty {
            switch policy.lowercased() {
            case "nhs-digital", "nhsdigital": control = .nhsDigital
            case "threshold": if control == .none { control = .publication }
            case "none": control = .none
            default: throw Problem(message: "policy \"\(policy)\" is not one of threshold, nhs-digital")
            }
        }
        return TrendRequest(
            scope: scopeValue,
            code: codeValue,
            from: start.mondayOfWeek,
            to: end.mondayOfWeek,
            format: formatValue,
            control: control
        )
    }
}

/// Reads trend series from the summary tables and renders exports.
public struct TrendService: Sendable {
    let store: TrendStore
    /// The board rounds' days, for the red bed-days figures.
    let redDayStore: RedDayStore
    /// The aim, measured on stays.
    public let aim: AimFigures
    /// The running rules: the length-of-stay lines the figures count, and the
    /// delay reasons' labels and agencies in exports.
    public let policy: StrandedPolicy

    public init(database: Database, policy: StrandedPolicy) {
        store = TrendStore(database: database, policy: policy)
        redDayStore = RedDayStore(database: database)
        aim = AimFigures(database: database, thresholds: policy.thresholds)
        self.policy = policy
    }

    /// Red bed-days per week, the red share of stranded patients' days and
    /// the top red reasons by agency, for the system, an organisation or a site.
    /// `top`: how many red reasons to name.
    public func redDays(scope: TrendScope, code: String?, from: CalendarDate, to: CalendarDate, top: Int = 5) async throws -> RedDayTrend {
        let counts = try await redDayStore.weeklyCounts(
            from: from.mondayOfWeek,
            to: to,
            strandedDays: policy.thresholds.strandedDays
        )
        return RedDayTrend.make(
            sites: counts.sites.map {
                RedDaySiteWeek(
                    week: $0.week,
                    siteCode: $0.siteCode,
                    organisationCode: $0.organisationCode,
                    red: $0.red,
                    recorded: $0.recorded,
                    strandedRecorded: $0.strandedRecorded,
                    strandedRed: $0.strandedRed
                )
            },
            reasons: counts.reasons.map {
                RedReasonSiteWeek(week: $0.week, siteCode: $0.siteCode, organisationCode: $0.organisationCode, reason: $0.reason, red: $0.red)
            },
            scope: scope,
            code: code,
            from: from,
            to: to,
            policy: policy.redDays,
            top: top
        )
    }

    /// The latest week with a list, or this week.
    public func latestWeek(today: CalendarDate = .today()) async throws -> CalendarDate {
        try await store.latestWeek() ?? today.mondayOfWeek
    }

    /// The first week with a list, if any.
    public func firstWeek() async throws -> CalendarDate? {
        try await store.firstWeek()
    }

    /// The series of `scope` (one unit when `code` is given) for the weeks
    /// `from`…`to`. Throws ``TrendRequest/Problem`` for an unknown code.
    public func series(scope: TrendScope, code: String?, from: CalendarDate, to: CalendarDate) async throws -> TrendSeries {
        try await series(scope: scope, code: code, from: from, to: to, daily: nil)
    }

    /// The series with, for exports, the board rounds' days and the aim
    /// measured on stays (the dashboard shows those in sections of their
    /// own). The aim's figures are those known on `today`: a week's
    /// admissions count once they have all had their days.
    public func exportSeries(scope: TrendScope, code: String?, from: CalendarDate, to: CalendarDate, today: CalendarDate) async throws
        -> TrendSeries
    {
        try await series(scope: scope, code: code, from: from, to: to, daily: today)
    }

    /// `daily`: nil for the summary tables' figures only; else the day the
    /// board rounds and the aim are read as of.
    private func series(scope: TrendScope, code: String?, from: CalendarDate, to: CalendarDate, daily today: CalendarDate?) async throws
        -> TrendSeries
    {
        let storeScope = TrendStore.Scope(rawValue: scope.rawValue) ?? .system
        if let code, !(try await store.unitExists(scope: storeScope, code: code)) {
            throw TrendRequest.Problem(message: "no \(scope.rawValue) has the code \"\(code)\": check the code (wards are SITE/WARD)")
        }
        let figures = try await store.figures(scope: storeScope, code: code, from: from.mondayOfWeek, to: to.mondayOfWeek)
        struct Key: Hashable {
            let code: String
            let setting: String
            let week: CalendarDate
        }
        var weeks: [Key: TrendWeek] = [:]
        var names: [String: String] = [:]
        func slot(_ code: String, _ name: String?, _ setting: String, _ week: CalendarDate, _ change: (inout TrendWeek) -> Void) {
            if let name, names[code] == nil { names[code] = name }
            let key = Key(code: code, setting: setting, week: week)
            var value = weeks[key] ?? TrendWeek(week: week)
            change(&value)
            weeks[key] = value
        }
        for row in figures.stock {
            slot(row.unitCode, row.unitName, row.setting, row.week) { week in
                week.patientsAtLeast = row.patientsAtLeast
                week.newlyStranded = row.newlyStranded
                week.strandedDischarged = row.strandedDischarged
                week.strandedBedDays = row.strandedBedDays
                week.inpatients = row.inpatients
                week.underSeven = row.underSeven
                week.losHistogram = row.losHistogram
            }
        }
        for row in figures.reviews {
            slot(row.unitCode, row.unitName, row.setting, row.week) { week in
                week.formsDue = row.formsDue
                week.onTime = row.onTime
                week.completed = row.completed
                week.redDays = row.redDays
            }
        }
        for row in figures.reasons {
            slot(row.unitCode, nil, row.setting, row.week) { week in
                week.reasons[row.reasonCode] = TrendWeek.ReasonCount(patients: row.patients, primary: row.primaryPatients)
            }
        }
        if let escalations = figures.escalations {
            // Every week shown gets counts (0 when none), so "none" differs from "not recorded".
            for key in weeks.keys { weeks[key]?.escalations = TrendWeek.Escalations() }
            for row in escalations {
                slot(row.unitCode, row.unitName, row.setting, row.week) { week in
                    var counts = week.escalations ?? TrendWeek.Escalations()
                    if row.level == .level2 {
                        counts.level2Opened += row.opened
                        counts.level2Resolved += row.resolved
                    } else {
                        counts.chiefExecutiveOpened += row.opened
                        counts.chiefExecutiveResolved += row.resolved
                    }
                    week.escalations = counts
                }
            }
        }
        if let today {
            let days = try await store.boardRounds(scope: storeScope, code: code, from: from.mondayOfWeek, to: to.mondayOfWeek)
            for row in days {
                slot(row.unitCode, row.unitName, row.setting, row.week) { week in
                    var days = week.boardRound ?? TrendWeek.BoardRoundDays()
                    days.recorded += row.days
                    if row.stranded { days.strandedRecorded += row.days }
                    if row.red {
                        days.red += row.days
                        if row.stranded { days.strandedRed += row.days }
                        if let reason = row.reason { days.redReasons[reason, default: 0] += row.days }
                    }
                    week.boardRound = days
                }
            }
            for (unit, aimWeeks) in try await aimSeries(scope: scope, code: code, from: from, to: to, today: today) {
                // Only weeks whose admissions have all had their days: a running week would read low.
                for aimWeek in aimWeeks where aimWeek.complete {
                    slot(unit, nil, "acute", aimWeek.weekStart) { week in
                        week.aim = TrendWeek.AimCounts(admissions: aimWeek.admissions, movedOn: aimWeek.movedOn)
                    }
                }
            }
        }
        let parts = weeks.map { (code: $0.key.code, name: names[$0.key.code] ?? $0.key.code, setting: $0.key.setting, week: $0.value) }
        return TrendSeries.assemble(
            scope: scope,
            from: from.mondayOfWeek,
            to: to.mondayOfWeek,
            parts: parts,
            escalationsAvailable: figures.escalations != nil
        )
    }

    /// The aim's weeks per unit of `scope` (the units' codes as the trend
    /// tables give them); units where it is not measured are absent, and so
    /// are wards, for which it is not reported.
    func aimSeries(scope: TrendScope, code: String?, from: CalendarDate, to: CalendarDate, today: CalendarDate) async throws
        -> [(unit: String, weeks: [AimWeek])]
    {
        guard scope != .ward else { return [] }
        let (report, sites) = try await aim.report(from: from, to: to, today: today)
        switch scope {
        case .system:
            return report.system.map { [("SYSTEM", $0)] } ?? []
        case .organisation:
            return report.organisations.compactMap { organisation, weeks in
                guard let weeks, code == nil || organisation == code else { return nil }
                return (organisation, weeks)
            }
        case .site:
            return sites.compactMap { site in
                guard code == nil || site.code == code, let weeks = report.sites[site.site.id] ?? nil else { return nil }
                return (site.code, weeks)
            }
        case .ward:
            return []
        }
    }

    /// The export a request asks for, with the aim as known on `today`.
    public func export(_ request: TrendRequest, today: CalendarDate = .today(in: .london)) async throws -> String {
        let series = try await exportSeries(scope: request.scope, code: request.code, from: request.from, to: request.to, today: today)
        return TrendExport(control: request.control, taxonomy: policy.delayReasons, thresholds: policy.thresholds, redDays: policy.redDays)
            .render(series, as: request.format)
    }

    /// Recomputes every trend table from the raw data.
    public func rebuild() async throws -> TrendStore.RebuildSummary {
        try await store.rebuild()
    }

    /// Organisations and sites, for filters.
    public func units() async throws -> (organisations: [TrendStore.Unit], sites: [TrendStore.Unit]) {
        try await store.units()
    }
}
