import Foundation
import Reports
import Store
import StrandedCore

/// Feeds the service's own weekly figures into their evaluation metrics:
/// Level 1 reviews on time, escalations opened and resolved, red bed-days
/// from the board rounds (once any day of the week was recorded), and the
/// share of acute admissions moved on before the stranded line. (Stranded 7+
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
    let aim: AimFigures
    let aimThresholds: StrandedThresholds

    public init(database: Database, policy: StrandedPolicy, framework: EvaluationFramework) {
        figures = ServiceFigureStore(database: database, policy: policy)
        redDays = RedDayStore(database: database)
        strandedDays = policy.thresholds.strandedDays
        plan = PlanService(database: database, policy: policy.planRAG)
        self.framework = framework
        aim = AimFigures(database: database, thresholds: policy.thresholds)
        aimThresholds = policy.thresholds
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
        // The aim is fed for the week whose admissions have all had their
        // days: two weeks back, as a Sunday admission needs six more days.
        // Its own period, so a later extract's discharges update that week.
        let aimWeek = AdmissionsAim.latestKnownWeek(asOf: week.monday, thresholds: aimThresholds)
        if let figure = try await aim.weeks(scope: .system, code: nil, from: aimWeek, to: aimWeek, today: week.monday.adding(days: 7))?.first,
            let share = figure.share
        {
            if let id = framework.metricID(fedBy: .acuteAdmissionsMovedOn) {
                result.append(MetricValueInput(metric: id, period: aimWeek, value: (1000 * share).rounded() / 10, source: Self.source))
            }
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
