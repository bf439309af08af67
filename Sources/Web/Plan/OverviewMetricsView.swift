import Foundation
import Reports
import Store
import StrandedCore
import Workflow

/// The overview's second table: each evaluation metric's RAG and trend
/// beside the RAG of the actions it evaluates, so whether the plan is being
/// delivered and whether it is making a difference read together.
struct OverviewMetricsView {
    struct ActionBadge {
        let code: String
        let rag: String
        let label: String
    }
    struct Row {
        let id: String
        let name: String
        let latest: String
        let target: String
        let rag: String
        let ragLabel: String
        let trend: String
        let actions: [ActionBadge]
    }

    let rows: [Row]

    init(_ metrics: [EvaluatedMetric], document: PlanDocument, today: CalendarDate, policy: RAGPolicy) {
        rows = metrics.map { evaluated in
            let rating = evaluated.assessment.rating
            return Row(
                id: evaluated.metric.id,
                name: evaluated.metric.name,
                latest: evaluated.points.last.map { "\(MetricCharts.number($0.value)) (\(evaluated.setting.period.name($0.period)))" } ?? "No values",
                target: evaluated.setting.target.map(MetricCharts.number) ?? "None agreed",
                rag: rating?.rawValue ?? "none",
                ragLabel: rating.map(RAGLabel.text) ?? "Not rated",
                trend: evaluated.assessment.trend.label,
                actions: evaluated.metric.actions.compactMap { code in
                    guard let action = document.action(code) else { return nil }
                    let assessment = action.rag(on: today, policy: policy)
                    return ActionBadge(code: code, rag: assessment.rating.rawValue, label: RAGLabel.text(assessment.rating))
                }
            )
        }
    }
}
