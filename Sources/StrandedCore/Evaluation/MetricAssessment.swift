import Foundation

/// Which way a metric has moved between its last two values, judged by its direction.
public enum MetricTrend: String, Hashable, Sendable, Codable {
    case improving, worsening, steady
    /// Fewer than two values.
    case unknown

    public var label: String {
        switch self {
        case .improving: return "Improving"
        case .worsening: return "Worsening"
        case .steady: return "No change"
        case .unknown: return "Not enough values"
        }
    }
}

/// A metric's latest value judged against its target, and its trend.
public struct MetricAssessment: Hashable, Sendable {
    /// Nil when there is no value or no target to judge against.
    public let rating: RAGRating?
    public let trend: MetricTrend
    public let explanation: String

    /// The rule: green when the latest value meets the target in the
    /// metric's direction; amber when it misses by no more than `amberMargin`
    /// (a fraction of the target, e.g. 0.05); red beyond that. The trend
    /// compares the latest value with the one before it.
    public static func assess(
        values: [Double],
        direction: ImprovementDirection,
        target: Double?,
        amberMargin: Double
    ) -> MetricAssessment {
        var trend = MetricTrend.unknown
        if values.count >= 2 {
            let (previous, latest) = (values[values.count - 2], values[values.count - 1])
            if latest == previous {
                trend = .steady
            } else {
                trend = (latest > previous) == (direction == .higherIsBetter) ? .improving : .worsening
            }
        }
        guard let latest = values.last else {
            return MetricAssessment(rating: nil, trend: trend, explanation: "No values recorded yet.")
        }
        guard let target else {
            return MetricAssessment(rating: nil, trend: trend, explanation: "No target agreed, so not rated.")
        }
        let shortfall = direction == .higherIsBetter ? target - latest : latest - target
        let margin = abs(target) * amberMargin
        if shortfall <= 0 {
            return MetricAssessment(rating: .green, trend: trend, explanation: "The latest value meets the target.")
        }
        if shortfall <= margin {
            return MetricAssessment(
                rating: .amber,
                trend: trend,
                explanation: "The latest value is within \(Int((amberMargin * 100).rounded()))% of the target."
            )
        }
        return MetricAssessment(
            rating: .red,
            trend: trend,
            explanation: "The latest value misses the target by more than \(Int((amberMargin * 100).rounded()))%."
        )
    }
}
