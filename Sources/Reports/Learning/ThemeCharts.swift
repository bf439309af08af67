import Foundation
import StrandedCore

/// Charts of prevention themes.
public enum ThemeCharts {
    /// A theme's weekly count: on a plan action's page, the action's outcome
    /// (new cases coded with the theme each week), with its table of numbers.
    public static func weekly(label: String, weeks: [(week: CalendarDate, cases: Int)]) -> TrendChart {
        let title = "New cases coded “\(label)” by week"
        let svg = SVGChart.lines(
            title: title,
            weeks: weeks.map(\.week),
            lines: [.init(name: label, values: weeks.map { Double($0.cases) }, style: .solidCircles)]
        )
        let table = ChartTable(headers: ["Week", "Cases"], rows: weeks.map { [$0.week.iso, String($0.cases)] })
        return TrendChart(title: title, svg: svg, table: table)
    }
}
