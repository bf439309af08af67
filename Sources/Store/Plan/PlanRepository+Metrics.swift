import Foundation
import Postgres
import StrandedCore

extension PlanRepository {
    /// Records (or corrects) a metric's value for a period; a correction is
    /// audited with the old value.
    public func setMetricValue(
        _ value: Double,
        for period: CalendarDate,
        metric key: String,
        planID: Int64,
        by author: String
    ) async throws {
        let who = try Self.author(author)
        try await client.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT id FROM evaluation_metric WHERE plan_id = \(planID) AND key = \(key) FOR UPDATE
                """
            )
            guard let row = rows.first else { throw PlanStoreError.unknownMetric(key: key) }
            let metricID: Int64 = try row.decode("id")
            let before = try await connection.query(
                """
                SELECT value FROM metric_value WHERE metric_id = \(metricID) AND period = \(period)
                """
            ).first.map { try $0.decode("value", as: Double.self) }
            guard before != value else { return }
            try await connection.execute(
                """
                INSERT INTO metric_value (metric_id, period, value, recorded_by)
                VALUES (\(metricID), \(period), \(value), \(who))
                ON CONFLICT (metric_id, period)
                DO UPDATE SET value = excluded.value, recorded_by = excluded.recorded_by, recorded_at = now()
                """
            )
            try await Self.recordChange(
                on: connection,
                planID: planID,
                by: who,
                entity: "metric_value",
                key: "\(key)@\(period.iso)",
                field: "value",
                before: before,
                after: value
            )
        }
    }

    /// The values entered for each metric of a plan, by metric key, in period order.
    public func metricValues(planID: Int64) async throws -> [String: [MetricPoint]] {
        var result: [String: [MetricPoint]] = [:]
        for row in try await client.query(
            """
            SELECT m.key, v.period, v.value
            FROM metric_value v JOIN evaluation_metric m ON m.id = v.metric_id
            WHERE m.plan_id = \(planID)
            ORDER BY m.key, v.period
            """
        ) {
            result[try row.decode("key"), default: []].append(
                MetricPoint(period: try row.decode("period"), value: try row.decode("value"))
            )
        }
        return result
    }

    /// Metric keys whose values come live from the weekly lists rather than
    /// being typed in, and the column of `weekly_stranded_counts` for each.
    static let liveMetricColumns: [String: PostgresQuery] = [
        "stranded-patients-7": "stranded",
        "super-stranded-patients-21": "super_stranded",
    ]

    /// The keys of the metrics read live from the weekly lists.
    public static var liveMetricKeys: Set<String> { Set(liveMetricColumns.keys) }

    /// The stranded (7+) and super-stranded (21+) weekly counts, read live
    /// from the view `weekly_stranded_counts(week_start date, stranded bigint,
    /// super_stranded bigint)` that the ward-list import maintains, so the
    /// plan's evidence is never a stale copy. Empty while that view does not
    /// exist yet (a database migrated before the import work).
    public func liveMetricSeries() async throws -> [String: [MetricPoint]] {
        try await client.withConnection { connection in
            let exists = try await connection.query("SELECT to_regclass('weekly_stranded_counts') IS NOT NULL AS present")[0]
                .decode("present", as: Bool.self)
            guard exists else { return [:] }
            var result: [String: [MetricPoint]] = [:]
            for (key, column) in Self.liveMetricColumns {
                result[key] = try await connection.query(
                    """
                    SELECT week_start, \(fragment: column)::double precision AS value
                    FROM weekly_stranded_counts ORDER BY week_start
                    """
                ).map { row in
                    MetricPoint(period: try row.decode("week_start"), value: try row.decode("value"))
                }
            }
            return result
        }
    }
}
