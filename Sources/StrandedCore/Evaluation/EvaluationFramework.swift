import Foundation

/// The figures the service produces itself each week, each feeding one metric.
public enum ServiceFeed: String, CaseIterable, Hashable, Sendable, Codable {
    case stranded
    case superStranded
    case level1OnTime
    case escalationsOpened
    case escalationsResolved
    case redBedDays
    /// The share of acute admissions moved on before the stranded line, from stays.
    case acuteAdmissionsMovedOn
}

/// What the evaluation framework adds to a plan's own metric definitions:
/// how often each is reported, its numeric target where a source gives one,
/// the service figure that feeds it, and the measures the framework names
/// that a plan file may lack (ASCOF, the Better Care Fund's national metrics,
/// and the weekly review's own figures).
///
/// A plan's metrics keep their wording in the plan (one place); this adds
/// only what the plan format has no field for.
public struct EvaluationFramework: Hashable, Sendable {
    public struct Setting: Hashable, Sendable {
        public var period: MetricPeriod
        /// The figure the RAG is judged against; nil when no target is agreed.
        public var target: Double?
        public var feed: ServiceFeed?

        public init(period: MetricPeriod, target: Double? = nil, feed: ServiceFeed? = nil) {
            self.period = period
            self.target = target
            self.feed = feed
        }
    }

    /// Settings by metric id.
    public var settings: [String: Setting]
    /// Metrics the framework names beyond the plan's, added to it when a value is first recorded.
    public var additionalMetrics: [PlanEvaluationMetric]
    /// Amber when the latest value misses the target by no more than this fraction of it.
    public var amberMargin: Double

    public init(settings: [String: Setting], additionalMetrics: [PlanEvaluationMetric], amberMargin: Double) {
        self.settings = settings
        self.additionalMetrics = additionalMetrics
        self.amberMargin = amberMargin
    }

    /// A metric's setting; monthly with no target when the framework does not know it.
    public func setting(_ id: String) -> Setting { settings[id] ?? Setting(period: .month) }

    /// The plan's metrics followed by the framework's additional ones it lacks.
    public func metrics(of plan: PlanDocument) -> [PlanEvaluationMetric] {
        let own = Set(plan.evaluationMetrics.map(\.id))
        return plan.evaluationMetrics + additionalMetrics.filter { !own.contains($0.id) }
    }

    /// The metric a service figure feeds.
    public func metricID(fedBy feed: ServiceFeed) -> String? {
        settings.first { $0.value.feed == feed }?.key
    }
}
