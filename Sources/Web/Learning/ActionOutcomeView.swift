import Foundation
import Reports
import StrandedCore
import Workflow

/// A plan action's outcome chart: one linked prevention theme's weekly count.
struct ActionOutcomeView {
    let code: String
    let title: String
    let svg: String
    let headers: [String]
    let rows: [ChartRow]

    init(_ outcome: ActionThemeOutcome) {
        let chart = ThemeCharts.weekly(label: outcome.label, weeks: outcome.weeks)
        code = outcome.theme.rawValue
        title = chart.title
        svg = chart.svg
        headers = chart.table.headers
        rows = chart.table.rows.map(ChartRow.init)
    }
}
