import Foundation
import StrandedCore

/// Charts of evaluation metrics.
public enum MetricCharts {
    /// A metric's values by period with its target drawn as a line, and the
    /// table of the numbers.
    public static func chart(
        name: String,
        unit: String,
        period: MetricPeriod,
        points: [(period: CalendarDate, value: Double)],
        target: Double?
    ) -> TrendChart {
        let title = "\(name) (\(unit))"
        let svg = SVGChart.lines(
            title: title,
            weeks: points.map(\.period),
            lines: [.init(name: name, values: points.map { $0.value }, style: .solidCircles)],
            band: target.map { SVGChart.Band(low: $0, high: $0, label: "Target: \(number($0))") }
        )
        let table = ChartTable(
            headers: ["Period", "Value"] + (target == nil ? [] : ["Target"]),
            rows: points.map { [period.name($0.period), number($0.value)] + (target.map { [number($0)] } ?? []) }
        )
        return TrendChart(title: title, svg: svg, table: table)
    }

    /// Whole numbers without a decimal point; others as written.
    public static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
