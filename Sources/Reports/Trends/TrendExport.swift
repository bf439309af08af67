import Foundation
import StrandedCore

/// Trend exports: a wide CSV (a row per unit and week, a column per metric),
/// the NHS England long format and JSON. Pure functions of a ``TrendSeries``.
/// CSV cells go through ``CSV/cell(_:)`` (RFC 4180 quoting, formula injection defused).
public enum TrendExportFormat: String, Sendable, CaseIterable {
    case csv, json, long

    public var contentType: String {
        self == .json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8"
    }
}

public struct TrendExport: Sendable {
    public var control: DisclosureControl
    public var metrics: [TrendMetric]
    /// The aim's band and the stranded line, stated in JSON beside the aim's figures.
    let thresholds: StrandedThresholds

    /// - Parameters:
    ///   - control: `.none` for internal use; publication mode
    ///     (`.suppressBelow`, `.nhsDigital`) also states its rule in the file.
    ///   - thresholds: those the figures were computed with: they name the
    ///     length-of-stay metrics and the aim's band.
    ///   - redDays: the red reasons and their agencies, for the red-day columns.
    public init(control: DisclosureControl = .none, taxonomy: DelayReasonTaxonomy, thresholds: StrandedThresholds, redDays: RedDayPolicy) {
        self.control = control
        self.thresholds = thresholds
        self.metrics = TrendMetric.all(taxonomy: taxonomy, thresholds: thresholds, redDays: redDays)
    }

    var isPublication: Bool { control != .none }

    public func render(_ series: TrendSeries, as format: TrendExportFormat) -> String {
        switch format {
        case .csv: return csv(series)
        case .long: return long(series)
        case .json: return json(series)
        }
    }

    /// One row per unit and week. In publication mode the last column,
    /// `disclosure_control`, states the rule on every row, so the file opens
    /// in a spreadsheet with the header as its first line.
    public func csv(_ series: TrendSeries) -> String {
        var header = ["week_start", "scope", "code", "name", "setting"] + metrics.map(\.id)
        if isPublication { header.append("disclosure_control") }
        var out = CSV.row(header)
        for unit in series.units {
            for week in unit.weeks {
                var cells = [week.week.iso, series.scope.rawValue, unit.exportCode, unit.exportName, unit.setting ?? "all"]
                cells += metrics.map { control.text($0.value(of: week)) }
                if isPublication { cells.append(control.statement) }
                out += CSV.row(cells)
            }
        }
        return out
    }

    /// The NHS England long format: `Period, Org Code, Org Name, Metric,
    /// Value`, one row per unit, week and known metric. In publication mode a
    /// sixth column, `Disclosure Control`, states the rule.
    public func long(_ series: TrendSeries) -> String {
        var header = ["Period", "Org Code", "Org Name", "Metric", "Value"]
        if isPublication { header.append("Disclosure Control") }
        var out = CSV.row(header)
        // The cells that repeat are escaped once.
        let metricCells = metrics.map { CSV.cell($0.id) }
        let suffix = isPublication ? "," + CSV.cell(control.statement) + "\r\n" : "\r\n"
        for unit in series.units {
            let unitCells = "," + CSV.cell(unit.exportCode) + "," + CSV.cell(unit.exportName) + ","
            for week in unit.weeks {
                let prefix = week.week.iso + unitCells
                for (index, metric) in metrics.enumerated() {
                    let value = metric.value(of: week)
                    if value == .missing { continue }
                    out += prefix + metricCells[index] + "," + CSV.cell(control.text(value)) + suffix
                }
            }
        }
        return out
    }

    /// JSON: the query, the rule (publication mode), the metric labels and
    /// per unit the weeks' values (numbers; `"*"` where suppressed; missing
    /// metrics left out).
    public func json(_ series: TrendSeries) -> String {
        var units: [[String: Any]] = []
        for unit in series.units {
            let weeks: [[String: Any]] = unit.weeks.map { week in
                var entry: [String: Any] = ["week_start": week.week.iso]
                for metric in metrics {
                    let value = metric.value(of: week)
                    if value == .missing { continue }
                    let text = control.text(value)
                    if let number = Int(text) {
                        entry[metric.id] = number
                    } else if let number = Double(text) {
                        entry[metric.id] = number
                    } else {
                        entry[metric.id] = text
                    }
                }
                return entry
            }
            var entry: [String: Any] = ["code": unit.exportCode, "name": unit.exportName, "weeks": weeks]
            entry["setting"] = unit.setting ?? "all"
            units.append(entry)
        }
        var document: [String: Any] = [
            "scope": series.scope.rawValue, "from": series.from.iso, "to": series.to.iso,
            "metrics": metrics.map { ["id": $0.id, "label": $0.label] },
            "units": units,
            "escalations_available": series.escalationsAvailable,
            "aim": [
                "band_low_pct": thresholds.aim.lowPercent,
                "band_high_pct": thresholds.aim.highPercent,
                "moved_on_within_days": thresholds.strandedDays - 1,
                "blank_when":
                    "\(AdmissionsAim.notMeasured) (a unit without stays), or the week's admissions have not all had \(thresholds.strandedDays) days",
            ] as [String: Any],
        ]
        if isPublication { document["disclosure_control"] = control.statement }
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
