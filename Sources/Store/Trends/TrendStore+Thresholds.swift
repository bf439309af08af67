import Postgres
import StrandedCore

/// The stored list figures depend on two numbers of the thresholds: the
/// stranded line (bed days, the census count under it) and where the LoS
/// histogram starts (the lowest line a report counts). The other lines are
/// summed from the histogram when read, so they may change freely. When the
/// running policy's numbers differ from those the figures were computed with
/// (a deployment changed its configuration), every week is marked stale and
/// the usual stale refresh — the daemon's first round at start, or the first
/// reader — recomputes them, in its turn with the other refreshes, rather than
/// a rebuild that would hold the tables for the length of the history.
extension TrendStore {
    /// Called by every stale refresh, holding the refresh lock, before it
    /// takes the marks. Costs one single-row read when nothing changed.
    static func markEveryWeekStaleIfComputedWithOtherThresholds(
        on connection: PostgresConnection,
        thresholds: StrandedThresholds
    ) async throws {
        let recorded = try await connection.query("SELECT stranded_days, histogram_start_days FROM trend_computed_with").first
        if let recorded, try recorded.decode("stranded_days", as: Int.self) == thresholds.strandedDays,
            try recorded.decode("histogram_start_days", as: Int.self) == thresholds.lowestReportedDays
        {
            return
        }
        if let (from, to) = try await weeksWithListFigures(on: connection) {
            try await connection.execute(
                """
                INSERT INTO trend_list_stale (site_id, week_start)
                SELECT s.id, week_start::date
                FROM site s, generate_series(\(from.monday)::date, \(to.monday)::date, interval '7 days') AS week_start
                ORDER BY 2, 1
                ON CONFLICT DO NOTHING
                """
            )
        }
        try await recordThresholds(thresholds, on: connection)
    }

    /// Records that the list figures are now computed with `thresholds`.
    static func recordThresholds(_ thresholds: StrandedThresholds, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO trend_computed_with (stranded_days, histogram_start_days)
            VALUES (\(thresholds.strandedDays), \(thresholds.lowestReportedDays))
            ON CONFLICT (only_row) DO UPDATE SET stranded_days = EXCLUDED.stranded_days,
                                                 histogram_start_days = EXCLUDED.histogram_start_days
            """
        )
    }

    /// The first and last week any list figure may fall in: the current lists,
    /// the cases' openings and discharges, and weeks already stored (which a
    /// recomputation must clear if nothing is left in them); nil with none.
    static func weeksWithListFigures(on connection: PostgresConnection) async throws -> (first: ReviewWeek, last: ReviewWeek)? {
        let range = try await connection.query(
            """
            SELECT min(d) AS first, max(d) AS last FROM (
                SELECT snapshot_date AS d FROM snapshot WHERE superseded_by_import IS NULL
                UNION ALL SELECT opened_on FROM patient_case UNION ALL SELECT discharged_on FROM patient_case
                UNION ALL SELECT min(week_start) FROM trend_ward_week UNION ALL SELECT max(week_start) FROM trend_ward_week
            ) dates
            """
        )[0]
        guard let first: CalendarDate = try range.decode("first"), let last: CalendarDate = try range.decode("last") else { return nil }
        return (ReviewWeek.containing(first), ReviewWeek.containing(last))
    }
}
