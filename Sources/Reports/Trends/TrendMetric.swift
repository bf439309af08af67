import Foundation
import StrandedCore

/// A reported value before disclosure control.
public enum TrendValue: Sendable, Equatable {
    /// A count of patients, bed days, forms or escalations.
    case count(Int)
    /// A figure derived from `base` patients (a median, a percentage): shown
    /// only when `base` itself would be shown.
    case measure(Double, base: Int)
    /// Not known for this unit and week (a long-stay list has no under-7 count).
    case missing
}

/// One exported metric: a stable id (CSV column, long-format metric name)
/// and how it is read from a week's figures.
public struct TrendMetric: Sendable {
    public let id: String
    public let label: String
    let read: @Sendable (TrendWeek) -> TrendValue

    init(id: String, label: String, read: @escaping @Sendable (TrendWeek) -> TrendValue) {
        self.id = id
        self.label = label
        self.read = read
    }

    public func value(of week: TrendWeek) -> TrendValue { read(week) }

    /// Every metric, in export order. The length-of-stay counts are one per
    /// line `thresholds` report (the figures' own thresholds); delay reasons
    /// come from `taxonomy`: patients per reason (any of their reasons), then
    /// patients by the agency responsible for their primary reason. The
    /// board rounds' red days follow, by reason and by the agency responsible
    /// (`redDays`), then the aim, measured on admissions.
    public static func all(taxonomy: DelayReasonTaxonomy, thresholds: StrandedThresholds, redDays: RedDayPolicy) -> [TrendMetric] {
        let strandedDays = thresholds.strandedDays
        var metrics = thresholds.reportedLines.map { line in
            TrendMetric(id: lineID(line, thresholds: thresholds), label: lineLabel(line, thresholds: thresholds)) {
                .count($0.patients(atLeast: line.minimumDays))
            }
        }
        metrics += [
            TrendMetric(id: "newly_stranded", label: "Newly stranded") { .count($0.newlyStranded) },
            TrendMetric(id: "stranded_discharged", label: "Stranded patients discharged") { .count($0.strandedDischarged) },
            TrendMetric(id: "stranded_bed_days", label: "Bed days used by stranded patients") { .count($0.strandedBedDays) },
            TrendMetric(id: "median_los_stranded", label: "Median LoS of the stranded (days)") { week in
                week.medianLoS(using: thresholds).map { .measure($0, base: week.stranded(using: thresholds)) } ?? .missing
            },
            TrendMetric(id: "p90_los_stranded", label: "90th percentile LoS of the stranded (days)") { week in
                week.p90LoS(using: thresholds).map { .measure(Double($0), base: week.stranded(using: thresholds)) } ?? .missing
            },
            TrendMetric(id: "census_inpatients", label: "Inpatients (full census lists)") { $0.inpatients.map(TrendValue.count) ?? .missing },
            TrendMetric(id: "census_under_\(strandedDays)", label: "Inpatients under \(strandedDays) days (full census lists)") {
                $0.underSeven.map(TrendValue.count) ?? .missing
            },
            TrendMetric(id: "census_under_\(strandedDays)_pct", label: "Share of inpatients under \(strandedDays) days (%)") { week in
                guard let all = week.inpatients, let under = week.underSeven, all > 0 else { return .missing }
                return .measure(100 * Double(under) / Double(all), base: all)
            },
            TrendMetric(id: "level1_forms_due", label: "Level 1 reviews due") { .count($0.formsDue) },
            TrendMetric(id: "level1_on_time", label: "Level 1 reviews completed on time") { .count($0.onTime) },
            TrendMetric(id: "level1_on_time_pct", label: "Level 1 reviews completed on time (%)") { week in
                week.formsDue > 0 ? .measure(100 * Double(week.onTime) / Double(week.formsDue), base: week.formsDue) : .missing
            },
            TrendMetric(id: "level1_red_weeks", label: "Level 1 reviews summing up the week as red") { .count($0.redDays) },
            TrendMetric(id: "level2_opened", label: "Escalations opened at Level 2") { $0.escalations.map { .count($0.level2Opened) } ?? .missing },
            TrendMetric(id: "level2_resolved", label: "Escalations resolved at Level 2") {
                $0.escalations.map { .count($0.level2Resolved) } ?? .missing
            },
            TrendMetric(id: "ce_call_opened", label: "Escalations opened at the chief executive call") {
                $0.escalations.map { .count($0.chiefExecutiveOpened) } ?? .missing
            },
            TrendMetric(id: "ce_call_resolved", label: "Escalations resolved at the chief executive call") {
                $0.escalations.map { .count($0.chiefExecutiveResolved) } ?? .missing
            },
        ]
        for reason in taxonomy.reasons {
            let code = reason.code.rawValue
            metrics.append(
                TrendMetric(id: "delay_" + identifier(code), label: "Delay reason: \(reason.label)") {
                    .count($0.reasons[code]?.patients ?? 0)
                }
            )
        }
        for agency in Agency.allCases {
            let codes = Set(taxonomy.reasons.filter { $0.agency == agency }.map(\.code.rawValue))
            metrics.append(
                TrendMetric(
                    id: "primary_delay_agency_" + identifier(agency.rawValue),
                    label: "Primary delay reason the responsibility of: \(agency.label)"
                ) { week in
                    .count(week.reasons.filter { codes.contains($0.key) }.reduce(0) { $0 + $1.value.primary })
                }
            )
        }
        metrics += boardRoundMetrics(redDays, strandedDays: strandedDays)
        metrics += aimMetrics(thresholds)
        return metrics
    }

    /// Red bed-days, the red share of stranded patients' days, red days by
    /// reason and by the agency responsible: blank where no board round was recorded.
    static func boardRoundMetrics(_ policy: RedDayPolicy, strandedDays: Int) -> [TrendMetric] {
        func days(_ read: @escaping @Sendable (TrendWeek.BoardRoundDays) -> Int) -> @Sendable (TrendWeek) -> TrendValue {
            { week in week.boardRound.map { .count(read($0)) } ?? .missing }
        }
        var metrics = [
            TrendMetric(id: "board_round_days", label: "Patient-days recorded at board rounds", read: days(\.recorded)),
            TrendMetric(id: "red_bed_days", label: "Red bed-days", read: days(\.red)),
            TrendMetric(id: "stranded_red_days_pct", label: "Share of stranded patients' recorded days that were red (%)") { week in
                guard let days = week.boardRound, days.strandedRecorded > 0 else { return .missing }
                return .measure(100 * Double(days.strandedRed) / Double(days.strandedRecorded), base: days.strandedRecorded)
            },
        ]
        for reason in policy.reasons {
            let code = reason.code
            metrics.append(TrendMetric(id: "red_reason_" + identifier(code), label: "Red days: \(reason.label)", read: days { $0.redReasons[code] ?? 0 }))
        }
        for agency in Agency.allCases {
            let codes = Set(policy.reasons.filter { $0.agency == agency }.map(\.code))
            metrics.append(
                TrendMetric(
                    id: "red_days_agency_" + identifier(agency.rawValue),
                    label: "Red days the responsibility of: \(agency.label)",
                    read: days { $0.redReasons.filter { codes.contains($0.key) }.values.reduce(0, +) }
                )
            )
        }
        return metrics
    }

    /// The aim on admissions: blank where it is not measured (no stays) and
    /// for weeks whose admissions have not all had their days yet.
    static func aimMetrics(_ thresholds: StrandedThresholds) -> [TrendMetric] {
        let within = "within 0–\(thresholds.strandedDays - 1) days"
        return [
            TrendMetric(id: "aim_acute_admissions", label: "Acute admissions (from stays)") { $0.aim.map { .count($0.admissions) } ?? .missing },
            TrendMetric(id: "aim_moved_on", label: "Acute admissions moved on \(within)") { $0.aim.map { .count($0.movedOn) } ?? .missing },
            TrendMetric(id: "aim_moved_on_pct", label: "Acute admissions moved on \(within) (%; aim \(thresholds.aim.label))") { week in
                guard let aim = week.aim, aim.admissions > 0 else { return .missing }
                return .measure(100 * Double(aim.movedOn) / Double(aim.admissions), base: aim.admissions)
            },
        ]
    }

    /// A code as part of a column name: `awaiting-test` → `awaiting_test`.
    static func identifier(_ code: String) -> String { code.replacingOccurrences(of: "-", with: "_") }

    /// `stranded_7_plus` for the stranded line, `los_21_plus` for any other:
    /// the column names the national returns have used for the default lines.
    static func lineID(_ line: LengthOfStayBand, thresholds: StrandedThresholds) -> String {
        (line.minimumDays == thresholds.strandedDays ? "stranded" : "los") + "_\(line.minimumDays)_plus"
    }

    /// "Patients at LoS 21+ (super stranded)": the line, and which of the
    /// thresholds' lines it is.
    static func lineLabel(_ line: LengthOfStayBand, thresholds: StrandedThresholds) -> String {
        var roles: [String] = []
        if line.minimumDays == thresholds.strandedDays { roles.append("stranded") }
        if line.minimumDays == thresholds.superStrandedDays { roles.append("super stranded") }
        return "Patients at LoS \(line.label)" + (roles.isEmpty ? "" : " (\(roles.joined(separator: ", ")))")
    }
}

/// Statistical disclosure control for published exports (DESIGN.md §7).
public enum DisclosureControl: Sendable, Equatable {
    /// Every figure as it is (internal use).
    case none
    /// Counts from 1 to `threshold − 1` shown as `*`; 0 shown as 0.
    case suppressBelow(Int)
    /// NHS Digital's rule: 0 stays 0, 1–7 become `*`, other counts are
    /// rounded to the nearest 5.
    case nhsDigital

    /// The default publication rule: counts under 5 suppressed.
    public static let publication = DisclosureControl.suppressBelow(5)

    /// The rule in words, written into every published file.
    public var statement: String {
        switch self {
        case .none: return ""
        case .suppressBelow(let threshold):
            return
                "Counts from 1 to \(threshold - 1) are shown as *; 0 is shown as 0. Medians and percentages are shown as * when the count they come from is."
        case .nhsDigital:
            return
                "NHS Digital disclosure control: 0 stays 0; 1 to 7 are shown as *; other counts are rounded to the nearest 5. Medians and percentages are shown as * when the count they come from is."
        }
    }

    /// Whether a count is hidden.
    public func hides(_ count: Int) -> Bool {
        switch self {
        case .none: return false
        case .suppressBelow(let threshold): return count > 0 && count < threshold
        case .nhsDigital: return count > 0 && count <= 7
        }
    }

    /// A count as published.
    public func show(_ count: Int) -> String {
        if hides(count) { return "*" }
        if case .nhsDigital = self { return String(Int((Double(count) / 5).rounded(.toNearestOrAwayFromZero)) * 5) }
        return String(count)
    }

    /// A value as published: counts via ``show(_:)``, measures with one
    /// decimal place (hidden with their base), missing as an empty cell.
    public func text(_ value: TrendValue) -> String {
        switch value {
        case .count(let count): return show(count)
        case .measure(let measure, let base):
            if hides(base) { return "*" }
            return Self.format(measure)
        case .missing: return ""
        }
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }
}
