import Foundation
import Store
import StrandedCore

/// One metric of the evaluation framework with its values, judged.
public struct EvaluatedMetric: Sendable {
    public let metric: PlanEvaluationMetric
    public let setting: EvaluationFramework.Setting
    public let points: [MetricPoint]
    /// Where each value came from, by period (values recorded before sources were kept have none).
    public let sources: [CalendarDate: String]
    public let assessment: MetricAssessment
    /// Filled in by the service itself (weekly lists, reviews, escalations).
    public let isFed: Bool
    /// Read live from the weekly lists rather than stored.
    public let isLive: Bool
}

/// What recording or importing values refuses.
public enum MetricEntryError: Error, Sendable, Hashable {
    /// Every problem, by line (a file) or by field (the page's form, line 0).
    case refused([MetricRowProblem])
}

/// The evaluation framework with data: every metric with its values, target,
/// RAG and trend; values entered by plan editors or imported from a file.
public struct EvaluationService: Sendable {
    let plan: PlanService
    public let framework: EvaluationFramework

    public init(plan: PlanService, framework: EvaluationFramework) {
        self.plan = plan
        self.framework = framework
    }

    /// Every metric of the current plan and the framework, in order.
    public func metrics() async throws -> (planID: Int64, metrics: [EvaluatedMetric]) {
        let (id, document) = try await plan.current()
        let series = try await plan.metricSeries(planID: id)
        let sources = try await plan.repository.metricValueSources(planID: id)
        let agreed = try await plan.repository.metricTargets(planID: id)
        let evaluated = framework.metrics(of: document).map { metric in
            var setting = framework.setting(metric.id)
            // A target the plan's editors agreed replaces the framework's.
            if let target = agreed[metric.id] { setting.target = target }
            let points = series[metric.id] ?? []
            return EvaluatedMetric(
                metric: metric,
                setting: setting,
                points: points,
                sources: sources[metric.id] ?? [:],
                assessment: MetricAssessment.assess(
                    values: points.map(\.value),
                    direction: metric.direction,
                    target: setting.target,
                    amberMargin: framework.amberMargin
                ),
                isFed: setting.feed != nil || PlanService.liveMetricKeys.contains(metric.id),
                isLive: PlanService.liveMetricKeys.contains(metric.id)
            )
        }
        return (id, evaluated)
    }

    /// The definitions values may be recorded against, by id.
    func definitions() async throws -> (planID: Int64, metrics: [String: PlanEvaluationMetric]) {
        let (id, document) = try await plan.current()
        return (id, Dictionary(framework.metrics(of: document).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Records one value typed on the page; the fields are checked as a file line would be.
    public func record(metric: String, period: String, value: String, source: String, by author: String) async throws -> MetricRecordCounts {
        let csv = "metric,period,value,source\n" + [metric, period, value, source].map(Self.csvCell).joined(separator: ",") + "\n"
        return try await importCSV(Data(csv.utf8), by: author)
    }

    /// Sets a metric's agreed target from the page's text; blank clears it.
    public func setTarget(metric: String, text: String, by author: String) async throws {
        let (planID, metrics) = try await definitions()
        guard metrics[metric] != nil else { throw PlanStoreError.unknownMetric(key: metric) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var target: Double?
        if !trimmed.isEmpty {
            guard let value = Double(trimmed.replacingOccurrences(of: ",", with: "")), value.isFinite else {
                throw MetricEntryError.refused([
                    MetricRowProblem(
                        line: 0,
                        column: "target",
                        message: "\"\(trimmed)\" is not a number; write the target without units, e.g. 85, or leave it blank for none"
                    )
                ])
            }
            target = value
        }
        try await plan.repository.setMetricTarget(target, metric: metric, definitions: metrics, planID: planID, by: author)
    }

    /// Imports a metric values file: every line checked first; any problem
    /// and nothing is recorded; otherwise all of it in one transaction.
    public func importCSV(_ data: Data, by author: String) async throws -> MetricRecordCounts {
        let (planID, metrics) = try await definitions()
        switch MetricValueFile.parse(data, metrics: metrics, framework: framework) {
        case let .failure(error): throw error
        case let .success(values):
            return try await plan.repository.recordMetricValues(values, definitions: metrics, planID: planID, by: author)
        }
    }

    /// Values fed by the service itself (no check against feeds: this is the feed).
    public func recordFed(_ values: [MetricValueInput], by author: String) async throws -> MetricRecordCounts {
        let (planID, metrics) = try await definitions()
        return try await plan.repository.recordMetricValues(values, definitions: metrics, planID: planID, by: author)
    }

    static func csvCell(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
