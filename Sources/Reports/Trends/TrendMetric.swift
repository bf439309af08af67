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

    public func value(of week: TrendWeek) -> TrendValue { read(week) }

    /// Every metric, in export order. The length-of-stay counts are one per
    /// line `thresholds` report (the figures' own thresholds); delay reasons
    /// come from `taxonomy`: patients per reason (any of their reasons), then
    /// patients by the agency responsible for their primary reason.
    public static func all(taxonomy: DelayReasonTaxonomy, thresholds: StrandedThresholds) -> [TrendMetric] {
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
            TrendMetric(id: "red_days", label: "Red days recorded") { .count($0.redDays) },
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
                TrendMetric(id: "delay_" + code.replacingOccurrences(of: "-", with: "_"), label: "Delay reason: \(reason.label)") {
                    .count($0.reasons[code]?.patients ?? 0)
                }
            )
        }
        for agency in Agency.allCases {
            let codes = Set(taxonomy.reasons.filter { $0.agency == agency }.map(\.code.rawValue))
            metrics.append(
                TrendMetric(
                    id: "primary_delay_agency_" + agency.rawValue.replacingOccurrences(of: "-", with: "_"),
                    label: "Primary delay reason the responsibility of: \(agency.label)"
                ) { week in
                    .count(week.reasons.filter { codes.contains($0.key) }.reduce(0) { $0 + $1.value.primary })
                }
            )
        }
        return metrics
    }

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
