import Foundation
import Postgres
import StrandedCore

/// One value to record: a metric, the first day of its period, the value and where it came from.
public struct MetricValueInput: Sendable, Hashable {
    public let metric: String
    public let period: CalendarDate
    public let value: Double
    public let source: String

    public init(metric: String, period: CalendarDate, value: Double, source: String) {
        self.metric = metric
        self.period = period
        self.value = value
        self.source = source
    }
}

/// What recording a set of values did.
public struct MetricRecordCounts: Sendable, Hashable, Codable {
    public var added = 0
    public var changed = 0
    public var unchanged = 0

    public init() {}
}

extension PlanRepository {
    /// Records every value in one transaction (all or nothing), each new or
    /// changed value audited with the old one. A metric the plan lacks is
    /// added from `definitions` first (audited as created), so the evaluation
    /// framework's metrics can hold figures in any plan.
    public func recordMetricValues(
        _ values: [MetricValueInput],
        definitions: [String: PlanEvaluationMetric],
        planID: Int64,
        by author: String
    ) async throws -> MetricRecordCounts {
        let who = try Self.author(author)
        return try await client.withTransaction { connection in
            var counts = MetricRecordCounts()
            var ids: [String: Int64] = [:]
            for input in values {
                let metricID: Int64
                if let known = ids[input.metric] {
                    metricID = known
                } else {
                    metricID = try await Self.metricID(input.metric, definitions: definitions, planID: planID, by: who, on: connection)
                    ids[input.metric] = metricID
                }
                let before = try await connection.query(
                    "SELECT value, source FROM metric_value WHERE metric_id = \(metricID) AND period = \(input.period) FOR UPDATE"
                ).first
                let beforeValue: Double? = try before?.decode("value")
                let beforeSource: String? = try before?.decode("source")
                if beforeValue == input.value && beforeSource == input.source {
                    counts.unchanged += 1
                    continue
                }
                try await connection.execute(
                    """
                    INSERT INTO metric_value (metric_id, period, value, recorded_by, source)
                    VALUES (\(metricID), \(input.period), \(input.value), \(who), \(input.source))
                    ON CONFLICT (metric_id, period)
                    DO UPDATE SET value = excluded.value, source = excluded.source, recorded_by = excluded.recorded_by, recorded_at = now()
                    """
                )
                try await Self.recordChange(
                    on: connection,
                    planID: planID,
                    by: who,
                    entity: "metric_value",
                    key: "\(input.metric)@\(input.period.iso)",
                    field: "value",
                    before: beforeValue.map { MetricValueChange(value: $0, source: beforeSource) },
                    after: MetricValueChange(value: input.value, source: input.source)
                )
                if before == nil { counts.added += 1 } else { counts.changed += 1 }
            }
            return counts
        }
    }

    /// Where each value of a plan's metrics came from, by metric key and period.
    public func metricValueSources(planID: Int64) async throws -> [String: [CalendarDate: String]] {
        var result: [String: [CalendarDate: String]] = [:]
        for row in try await client.query(
            """
            SELECT m.key, v.period, v.source
            FROM metric_value v JOIN evaluation_metric m ON m.id = v.metric_id
            WHERE m.plan_id = \(planID) AND v.source IS NOT NULL
            """
        ) {
            result[try row.decode("key"), default: [:]][try row.decode("period")] = try row.decode("source")
        }
        return result
    }

    /// The metric's row id, adding the metric to the plan from its definition when missing.
    static func metricID(
        _ key: String,
        definitions: [String: PlanEvaluationMetric],
        planID: Int64,
        by who: String,
        on connection: PostgresConnection
    ) async throws -> Int64 {
        if let row = try await connection.query(
            "SELECT id FROM evaluation_metric WHERE plan_id = \(planID) AND key = \(key) FOR UPDATE"
        ).first {
            return try row.decode("id")
        }
        guard let metric = definitions[key] else { throw PlanStoreError.unknownMetric(key: key) }
        // Serialises concurrent first values of new metrics of one plan.
        _ = try await connection.query("SELECT id FROM plan WHERE id = \(planID) FOR UPDATE")
        let id: Int64 = try await connection.query(
            """
            INSERT INTO evaluation_metric (plan_id, key, position, name, definition, unit, direction, source, target)
            SELECT \(planID), \(metric.id), COALESCE(max(position), -1) + 1, \(metric.name), \(metric.definition), \(metric.unit),
                   \(metric.direction.rawValue), \(metric.source), \(metric.target)
            FROM evaluation_metric WHERE plan_id = \(planID)
            ON CONFLICT (plan_id, key) DO UPDATE SET key = excluded.key
            RETURNING id
            """
        )[0].decode("id")
        try await recordChange(
            on: connection,
            planID: planID,
            by: who,
            entity: "evaluation_metric",
            key: key,
            field: "created",
            before: String?.none,
            after: metric.name
        )
        return id
    }
}

/// A metric value as plan_change records it.
struct MetricValueChange: Codable, Sendable {
    let value: Double
    let source: String?
}

extension PlanRepository {
    /// The targets plan editors agreed, by metric key.
    public func metricTargets(planID: Int64) async throws -> [String: Double] {
        var result: [String: Double] = [:]
        for row in try await client.query(
            "SELECT key, target_value FROM evaluation_metric WHERE plan_id = \(planID) AND target_value IS NOT NULL"
        ) {
            result[try row.decode("key")] = try row.decode("target_value")
        }
        return result
    }

    /// Sets (nil: clears) a metric's agreed target, adding the metric to the
    /// plan from `definitions` when missing; audited with the old target.
    public func setMetricTarget(
        _ target: Double?,
        metric key: String,
        definitions: [String: PlanEvaluationMetric],
        planID: Int64,
        by author: String
    ) async throws {
        let who = try Self.author(author)
        try await client.withTransaction { connection in
            let metricID = try await Self.metricID(key, definitions: definitions, planID: planID, by: who, on: connection)
            let before: Double? = try await connection.query(
                "SELECT target_value FROM evaluation_metric WHERE id = \(metricID)"
            )[0].decode("target_value")
            guard before != target else { return }
            try await connection.execute("UPDATE evaluation_metric SET target_value = \(target) WHERE id = \(metricID)")
            try await Self.recordChange(
                on: connection,
                planID: planID,
                by: who,
                entity: "evaluation_metric",
                key: key,
                field: "target",
                before: before,
                after: target
            )
        }
    }
}
