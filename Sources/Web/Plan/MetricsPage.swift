import Foundation
import Reports
import Store
import StrandedCore
import Workflow

/// The metrics page: each metric of the evaluation framework with its
/// chart against the target, RAG, trend, values with their sources and,
/// for plan editors, the form to record a value.
struct MetricsPage {
    struct Value {
        let period: String
        let value: String
        let source: String
    }
    struct Row {
        let cells: [String]
    }
    struct MetricView {
        let id: String
        let name: String
        let definition: String
        let unit: String
        let period: String
        let periodExample: String
        let direction: String
        let target: String
        let source: String
        let live: Bool
        let fed: Bool
        let rag: String
        let ragLabel: String
        let ragExplanation: String
        let trend: String
        let hasValues: Bool
        let svg: String
        let chartTitle: String
        let headers: [String]
        let rows: [Row]
        let values: [Value]
        let actions: String
        let mayEdit: Bool
        /// Fed metrics take values from the service, but their target is still the board's to set.
        let mayEditTarget: Bool
        let entryPeriod: String
        let entryValue: String
        let entrySource: String
        let periodError: String?
        let valueError: String?
        let sourceError: String?
        let entryTarget: String
        let targetError: String?
    }

    let notice: String?
    let mayEdit: Bool
    let metrics: [MetricView]

    init(metrics: [EvaluatedMetric], entry: MetricEntry?, notice: String?, mayEdit: Bool) {
        self.notice = notice
        self.mayEdit = mayEdit
        self.metrics = metrics.map { evaluated in
            let metric = evaluated.metric
            let setting = evaluated.setting
            let chart = MetricCharts.chart(
                name: metric.name,
                unit: metric.unit,
                period: setting.period,
                points: evaluated.points.map { ($0.period, $0.value) },
                target: setting.target
            )
            let typed = entry?.metric == metric.id ? entry : nil
            let rating = evaluated.assessment.rating
            return MetricView(
                id: metric.id,
                name: metric.name,
                definition: metric.definition,
                unit: metric.unit,
                period: setting.period.label,
                periodExample: setting.period.example,
                direction: metric.direction == .higherIsBetter ? "Higher is better" : "Lower is better",
                target: setting.target.map { MetricCharts.number($0) + (metric.target.map { " (as written: \($0))" } ?? "") }
                    ?? metric.target.map { "\($0) (not a figure the RAG can use)" } ?? "None agreed",
                source: metric.source,
                live: evaluated.isLive,
                fed: evaluated.isFed && !evaluated.isLive,
                rag: rating?.rawValue ?? "none",
                ragLabel: rating.map(RAGLabel.text) ?? "Not rated",
                ragExplanation: evaluated.assessment.explanation,
                trend: evaluated.assessment.trend.label,
                hasValues: !evaluated.points.isEmpty,
                svg: chart.svg,
                chartTitle: chart.title,
                headers: chart.table.headers,
                rows: chart.table.rows.map(Row.init),
                values: evaluated.points.reversed().map {
                    Value(period: setting.period.name($0.period), value: MetricCharts.number($0.value), source: evaluated.sources[$0.period] ?? "")
                },
                actions: metric.actions.joined(separator: ", "),
                mayEdit: mayEdit && !evaluated.isFed,
                mayEditTarget: mayEdit,
                entryPeriod: typed?.period ?? "",
                entryValue: typed?.value ?? "",
                entrySource: typed?.source ?? "",
                periodError: typed?.errors["period"] ?? typed?.errors["metric"],
                valueError: typed?.errors["value"],
                sourceError: typed?.errors["source"],
                entryTarget: typed?.target ?? setting.target.map(MetricCharts.number) ?? "",
                targetError: typed?.errors["target"]
            )
        }
    }
}
