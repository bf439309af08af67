import Foundation
import Store
import StrandedCore

/// Feeds the service's own weekly figures into their evaluation metrics:
/// Level 1 reviews on time, escalations opened and resolved, red bed-days
/// from the board rounds (once any day of the week was recorded). (Stranded 7+
/// and 21+ need no feed: their metrics read the weekly lists live.) Run by
/// the weekly cycle when the chief executive summary is built, the end of the
/// week's work; running it again for a week changes nothing unless the
/// figures did.
public struct MetricFeed: Sendable {
    let figures: ServiceFigureStore
    let redDays: RedDayStore
    let strandedDays: Int
    let plan: PlanService
    let framework: EvaluationFramework

    public init(database: Database, policy: StrandedPolicy, framework: EvaluationFramework) {
        figures = ServiceFigureStore(database: database, policy: policy)
        redDays = RedDayStore(database: database)
        strandedDays = policy.thresholds.strandedDays
        plan = PlanService(database: database, policy: policy.planRAG)
        self.framework = framework
    }

    /// The values for `week`, by metric id (on time only when forms were due).
    public func values(week: ReviewWeek) async throws -> [MetricValueInput] {
        let f = try await figures.figures(week: week)
        var result: [MetricValueInput] = []
        func add(_ feed: ServiceFeed, _ value: Double) {
            guard let id = framework.metricID(fedBy: feed) else { return }
            result.append(MetricValueInput(metric: id, period: week.monday, value: value, source: Self.source))
        }
        if f.level1Due > 0 {
            add(.level1OnTime, (1000 * Double(f.level1OnTime) / Double(f.level1Due)).rounded() / 10)
        }
        add(.escalationsOpened, Double(f.escalationsOpened))
        add(.escalationsResolved, Double(f.escalationsResolved))
        let days = try await redDays.weeklyCounts(from: week.monday, to: week.monday, strandedDays: strandedDays).sites
        if days.contains(where: { $0.recorded > 0 }) {
            add(.redBedDays, Double(days.reduce(0) { $0 + $1.red }))
        }
        return result
    }

    public static let source = "Stranded weekly review (fed automatically)"

    /// Records the week's values; nil when no plan has been imported (nothing to feed).
    @discardableResult
    public func feed(week: ReviewWeek, actor: String) async throws -> MetricRecordCounts? {
        guard try await plan.repository.currentPlanID() != nil else { return nil }
        let values = try await values(week: week)
        return try await EvaluationService(plan: plan, framework: framework).recordFed(values, by: actor)
    }
}
