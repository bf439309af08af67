import Foundation
import StrandedCore

/// The numbers behind a chart, for the table one click away from it.
public struct ChartTable: Sendable, Equatable {
    public var headers: [String]
    public var rows: [[String]]
}

/// A chart and its table.
public struct TrendChart: Sendable {
    public var title: String
    public var svg: String
    public var table: ChartTable
}

/// The dashboard's charts, built from trend series (pure).
public enum TrendCharts {
    /// All the weeks from `from` to `to` (Mondays), so gaps show as gaps.
    public static func weeks(from: CalendarDate, to: CalendarDate) -> [CalendarDate] {
        var weeks: [CalendarDate] = []
        var week = from.mondayOfWeek
        while week <= to {
            weeks.append(week)
            week = week.adding(days: 7)
        }
        return weeks
    }

    /// Patients at or past the stranded and super-stranded lines of
    /// `thresholds` (the figures' own) by week.
    public static func stranded(_ unit: TrendUnitSeries, weeks: [CalendarDate], thresholds: StrandedThresholds) -> TrendChart {
        let byWeek = Dictionary(unit.weeks.map { ($0.week, $0) }, uniquingKeysWith: { first, _ in first })
        let stranded = weeks.map { byWeek[$0].map { Double($0.stranded(using: thresholds)) } }
        let superStranded = weeks.map { byWeek[$0].map { Double($0.superStranded(using: thresholds)) } }
        let strandedLine = "\(thresholds.strandedDays)+"
        let superStrandedLine = "\(thresholds.superStrandedDays)+"
        // No aim band here: the aim is a share of admissions, which a census
        // cannot see; it is measured on stays (the dashboard's aim section).
        let title = "Stranded (\(strandedLine)) and super stranded (\(superStrandedLine)): \(unit.exportName)"
        let svg = SVGChart.lines(
            title: title,
            weeks: weeks,
            lines: [
                .init(name: "LoS \(strandedLine)", values: stranded, style: .solidCircles),
                .init(name: "LoS \(superStrandedLine)", values: superStranded, style: .dashedSquares),
            ],
            band: nil
        )
        let rows = weeks.map { week -> [String] in
            let figures = byWeek[week]
            let share = figures.flatMap { f -> String? in
                guard let all = f.inpatients, let under = f.underSeven, all > 0 else { return nil }
                return DisclosureControl.format(100 * Double(under) / Double(all))
            }
            return [
                week.iso, figures.map { String($0.stranded(using: thresholds)) } ?? "",
                figures.map { String($0.superStranded(using: thresholds)) } ?? "",
                figures?.inpatients.map(String.init) ?? "", share ?? "",
            ]
        }
        let table = ChartTable(
            headers: [
                "Week", "LoS \(strandedLine)", "LoS \(superStrandedLine)", "Inpatients (census)",
                "Under \(thresholds.strandedDays) days (%)",
            ],
            rows: rows
        )
        return TrendChart(title: title, svg: svg, table: table)
    }

    /// The aim: the share of acute admissions moved on before the stranded
    /// line, by admission week, against the configured band. Weeks whose
    /// admissions are not all known yet are left out of the line (they would
    /// read low) and marked in the table.
    public static func aim(_ aimWeeks: [AimWeek], weeks: [CalendarDate], thresholds: StrandedThresholds) -> TrendChart {
        let byWeek = Dictionary(aimWeeks.map { ($0.weekStart, $0) }, uniquingKeysWith: { first, _ in first })
        let within = "0–\(thresholds.strandedDays - 1) days"
        let title = "Acute admissions moved on within \(within) (%)"
        let shares = weeks.map { week -> Double? in
            guard let figures = byWeek[week], figures.complete, let share = figures.share else { return nil }
            return 100 * share
        }
        let band = thresholds.aim
        let svg = SVGChart.lines(
            title: title,
            weeks: weeks,
            lines: [.init(name: "Moved on within \(within) (%)", values: shares, style: .solidCircles)],
            band: .init(low: Double(band.lowPercent), high: Double(band.highPercent), label: "Aim \(band.label)")
        )
        let rows = weeks.map { week -> [String] in
            guard let figures = byWeek[week] else { return [week.iso, "", "", "", ""] }
            return [
                week.iso, String(figures.admissions), String(figures.movedOn),
                figures.share.map { DisclosureControl.format(100 * $0) } ?? "", figures.complete ? "" : "provisional",
            ]
        }
        return TrendChart(title: title, svg: svg, table: ChartTable(headers: ["Week", "Admissions", "Moved on", "Share (%)", "Note"], rows: rows))
    }

    /// Patients by delay reason, stacked by week: the commonest reasons over
    /// the period, the rest as "Other reasons".
    public static func delayReasons(
        _ unit: TrendUnitSeries,
        weeks: [CalendarDate],
        taxonomy: DelayReasonTaxonomy,
        shown: Int = 8
    ) -> TrendChart {
        let byWeek = Dictionary(unit.weeks.map { ($0.week, $0) }, uniquingKeysWith: { first, _ in first })
        var totals: [String: Int] = [:]
        for week in unit.weeks { for (code, count) in week.reasons { totals[code, default: 0] += count.patients } }
        let ranked = totals.filter { $0.value > 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        let top = Array(ranked.prefix(shown))
        let rest = Set(ranked.dropFirst(shown))
        func label(_ code: String) -> String { taxonomy.reason(DelayReasonCode(code))?.label ?? code }
        var categories: [(name: String, values: [Int])] = top.map { code in
            (label(code), weeks.map { byWeek[$0]?.reasons[code]?.patients ?? 0 })
        }
        if !rest.isEmpty {
            categories.append(
                (
                    "Other reasons",
                    weeks.map { week in
                        rest.reduce(0) { $0 + (byWeek[week]?.reasons[$1]?.patients ?? 0) }
                    }
                )
            )
        }
        let title = "Delay reasons by week: \(unit.exportName)"
        let svg = SVGChart.stackedBars(title: title, weeks: weeks, categories: categories)
        let rows = weeks.enumerated().map { index, week in [week.iso] + categories.map { String($0.values[index]) } }
        return TrendChart(title: title, svg: svg, table: ChartTable(headers: ["Week"] + categories.map(\.name), rows: rows))
    }

    /// One small chart per site (stranded and super stranded under
    /// `thresholds`, the figures' own), on the same weeks.
    public static func smallMultiples(_ sites: [TrendUnitSeries], weeks: [CalendarDate], thresholds: StrandedThresholds) -> [TrendChart] {
        let strandedName = "LoS \(thresholds.strandedDays)+"
        let superStrandedName = "LoS \(thresholds.superStrandedDays)+"
        return sites.map { unit in
            let byWeek = Dictionary(unit.weeks.map { ($0.week, $0) }, uniquingKeysWith: { first, _ in first })
            let stranded = weeks.map { byWeek[$0].map { $0.stranded(using: thresholds) } }
            let superStranded = weeks.map { byWeek[$0].map { $0.superStranded(using: thresholds) } }
            let svg = SVGChart.lines(
                title: "\(unit.exportCode) \(unit.exportName)",
                weeks: weeks,
                lines: [
                    .init(name: strandedName, values: stranded.map { $0.map(Double.init) }, style: .solidCircles),
                    .init(name: superStrandedName, values: superStranded.map { $0.map(Double.init) }, style: .dashedSquares),
                ],
                width: 240,
                height: 120,
                compact: true
            )
            let rows = weeks.indices.map { index in
                [weeks[index].iso, stranded[index].map(String.init) ?? "", superStranded[index].map(String.init) ?? ""]
            }
            return TrendChart(
                title: "\(unit.exportCode) \(unit.exportName)",
                svg: svg,
                table: ChartTable(headers: ["Week", strandedName, superStrandedName], rows: rows)
            )
        }
    }
}
