import Foundation
import Postgres
import StrandedCore

/// The weekly trend tables of migrations 0008 and 0013: marked stale in the
/// transactions that change their sources (an accepted list, an opened week,
/// a saved form), recomputed before they are read, and recomputed from the
/// raw tables by ``rebuild()``.
///
/// Every refresh is set-based and scoped: a list refreshes only its sites'
/// weeks from the week before it to the latest week they have a list for
/// (normally two weeks), so its cost follows the list's size, not the history's.
public struct TrendStore: Sendable {
    let database: Database
    /// The running rules: who is stranded (bed days, the LoS histogram) and
    /// the Level 1 deadline that "on time" means.
    let policy: StrandedPolicy

    public init(database: Database, policy: StrandedPolicy) {
        self.database = database
        self.policy = policy
    }

    // MARK: Lists

    /// After a list dated `snapshotDate` was accepted for `siteIDs`: marks
    /// their weeks stale, in the import's transaction. They are recomputed
    /// before the trend tables are next read (``refreshStale()``), so a
    /// national import pays a few hundred rows here, not the recomputation.
    ///
    /// The marks cover the week before too (a patient back on this list
    /// reopens a case the previous week counted as discharged, and the cases
    /// this list opened may have been counted as opened a week later), and run
    /// on to the latest week these sites have a list for (a list imported out
    /// of order changes when later weeks' cases opened).
    static func markListsStale(on connection: PostgresConnection, siteIDs: [Int64], snapshotDate: CalendarDate) async throws {
        guard !siteIDs.isEmpty else { return }
        let sites = PostgresArray(siteIDs.sorted())
        let week = ReviewWeek.containing(snapshotDate)
        let latest: CalendarDate? = try await connection.query(
            """
            SELECT max(snapshot_date) AS latest FROM snapshot WHERE site_id = ANY(\(sites)::bigint[]) AND superseded_by_import IS NULL
            """
        )[0].decode("latest")
        let last = max(week, ReviewWeek.containing(latest ?? snapshotDate))
        try await connection.execute(
            """
            INSERT INTO trend_list_stale (site_id, week_start)
            SELECT site_id, week_start::date
            FROM unnest(\(sites)::bigint[]) AS site_id,
                 generate_series(\(week.previous.monday)::date, \(last.monday)::date, interval '7 days') AS week_start
            ORDER BY 2, 1
            ON CONFLICT DO NOTHING
            """
        )
    }

    /// Recomputes every (site, week) marked stale by an accepted list, in one
    /// transaction. Refreshes take turns (one advisory lock), so each sums the
    /// others' committed rows; a list committed meanwhile leaves its marks for the next.
    static func refreshStaleLists(on connection: PostgresConnection, thresholds: StrandedThresholds) async throws {
        try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended('trend-list-refresh', 0))")
        // The tables in the order a rebuild locks them, so the two queue rather than deadlock.
        try await connection.execute("LOCK TABLE trend_ward_week, trend_rollup_week, trend_list_stale IN ROW EXCLUSIVE MODE")
        try await markEveryWeekStaleIfComputedWithOtherThresholds(on: connection, thresholds: thresholds)
        let marks = try await connection.query("DELETE FROM trend_list_stale RETURNING site_id, week_start")
        guard !marks.isEmpty else { return }
        var sitesByWeek: [CalendarDate: Set<Int64>] = [:]
        for mark in marks {
            sitesByWeek[try mark.decode("week_start"), default: []].insert(try mark.decode("site_id"))
        }
        // Consecutive weeks with the same sites (a national list marks two) are
        // one pass, of at most a year, as in a rebuild (a long catch-up stays in small statements).
        let weeks = sitesByWeek.keys.sorted().compactMap { ReviewWeek(monday: $0) }
        var start = 0
        while start < weeks.count {
            let sites = sitesByWeek[weeks[start].monday]!
            var end = start
            while end + 1 < weeks.count, end - start < 51, weeks[end + 1] == weeks[end].next,
                sitesByWeek[weeks[end + 1].monday] == sites
            { end += 1 }
            try await refreshLists(on: connection, sites: PostgresArray(sites.sorted()), from: weeks[start], to: weeks[end], thresholds: thresholds)
            start = end + 1
        }
        try await refreshSystem(on: connection, from: weeks.first!, to: weeks.last!)
    }

    /// Recomputes `trend_ward_week` and the site rows of `trend_rollup_week`
    /// for `sites` and the weeks `from`…`to`.
    static func refreshLists(
        on connection: PostgresConnection,
        sites: PostgresArray,
        from: ReviewWeek,
        to: ReviewWeek,
        thresholds: StrandedThresholds
    ) async throws {
        let first = from.monday
        let lastDay = to.sunday
        // The lines are the policy's, passed as parameters: the day before the
        // stranded line is where a stranded patient's bed days start; the LoS
        // histogram starts at the lowest line a report counts (every band's
        // count is read from it).
        let strandedDays = thresholds.strandedDays
        let dayBeforeStranded = thresholds.strandedDays - 1
        let histogramStart = thresholds.lowestReportedDays
        let dayBeforeHistogram = thresholds.lowestReportedDays - 1
        // Just after an import the statistics do not know the new rows yet; a
        // nested loop planned for "1 row" would be quadratic, and JIT
        // compiling costs more than running. The settings are restored after.
        let saved = try await connection.query("SELECT current_setting('enable_nestloop') AS nestloop, current_setting('jit') AS jit")[0]
        let nestloop: String = try saved.decode("nestloop")
        let jit: String = try saved.decode("jit")
        try await connection.execute("SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)")
        try await connection.execute(
            """
            DELETE FROM trend_ward_week WHERE site_id = ANY(\(sites)::bigint[]) AND week_start BETWEEN \(first) AND \(lastDay)
            """
        )
        try await connection.execute(
            """
            WITH wk AS MATERIALIZED (
                -- Each site's latest current list of each week.
                SELECT site_id, import_id, snapshot_date, list_kind, week_start
                FROM site_week_list
                WHERE site_id = ANY(\(sites)::bigint[]) AND week_start BETWEEN \(first) AND \(lastDay)
            ), listed AS MATERIALIZED (
                SELECT wk.week_start, wk.site_id, wk.snapshot_date, wk.list_kind, w.id AS ward_id, r.los, r.patient_key, r.admission_date
                FROM wk
                -- An index probe per list (LATERAL … OFFSET 0), so the cost follows the lists read, not the history.
                CROSS JOIN LATERAL (
                    SELECT r.ward_code, r.los, r.patient_key, r.admission_date FROM list_row r
                    WHERE r.import_id = wk.import_id AND r.site_id = wk.site_id OFFSET 0
                ) r
                JOIN ward w ON w.site_id = wk.site_id AND w.code = r.ward_code
            ), stock AS (
                SELECT week_start, ward_id, min(snapshot_date) AS snapshot_date,
                       COALESCE(sum(least(7, los - \(dayBeforeStranded))) FILTER (WHERE los >= \(strandedDays)), 0)::int AS bed_days,
                       CASE WHEN min(list_kind) = 'census' THEN count(*)::int END AS inpatients,
                       CASE WHEN min(list_kind) = 'census' THEN count(*) FILTER (WHERE los < \(strandedDays))::int END AS under_seven
                FROM listed GROUP BY week_start, ward_id
            ), per_day AS (
                SELECT week_start, ward_id, los, count(*)::int AS n FROM listed WHERE los >= \(histogramStart) GROUP BY 1, 2, 3
            ), hist AS (
                -- Each LoS day's count preceded by zeros for the days since the previous one.
                SELECT week_start, ward_id, trend_array_cat(chunk ORDER BY los) AS los_hist
                FROM (
                    SELECT week_start, ward_id, los,
                           array_fill(0, ARRAY[los - lag(los, 1, \(dayBeforeHistogram)) OVER (PARTITION BY week_start, ward_id ORDER BY los) - 1]) || n AS chunk
                    FROM per_day
                ) days
                GROUP BY week_start, ward_id
            ), newly AS (
                -- Cases opened in the week, on their ward on the week's list;
                -- one gone again by then was discharged from the ward it was last on.
                SELECT date_trunc('week', c.opened_on)::date AS week_start, COALESCE(l.ward_id, c.last_ward_id) AS ward_id, count(*)::int AS n
                FROM patient_case c
                LEFT JOIN listed l ON l.site_id = c.site_id AND l.week_start = date_trunc('week', c.opened_on)::date
                                  AND l.patient_key = c.patient_key AND l.admission_date = c.admission_date
                WHERE c.site_id = ANY(\(sites)::bigint[]) AND c.status <> 'withdrawn'
                  AND c.opened_on BETWEEN \(first) AND \(lastDay)
                GROUP BY 1, 2
            ), gone AS (
                SELECT date_trunc('week', c.discharged_on)::date AS week_start, c.last_ward_id AS ward_id, count(*)::int AS n
                FROM patient_case c
                WHERE c.site_id = ANY(\(sites)::bigint[]) AND c.status = 'discharged'
                  AND c.discharged_on BETWEEN \(first) AND \(lastDay)
                GROUP BY 1, 2
            ), keys AS (
                SELECT week_start, ward_id FROM stock UNION SELECT week_start, ward_id FROM newly
                UNION SELECT week_start, ward_id FROM gone
            )
            INSERT INTO trend_ward_week (week_start, ward_id, site_id, snapshot_date,
                                         newly_stranded, stranded_discharged, stranded_bed_days, inpatients, under_seven, los_hist)
            SELECT k.week_start, k.ward_id, w.site_id, st.snapshot_date,
                   COALESCE(n.n, 0), COALESCE(g.n, 0), COALESCE(st.bed_days, 0), st.inpatients, st.under_seven,
                   COALESCE(h.los_hist, '{}')
            FROM keys k
            JOIN ward w ON w.id = k.ward_id
            LEFT JOIN stock st ON st.week_start = k.week_start AND st.ward_id = k.ward_id
            LEFT JOIN hist h ON h.week_start = k.week_start AND h.ward_id = k.ward_id
            LEFT JOIN newly n ON n.week_start = k.week_start AND n.ward_id = k.ward_id
            LEFT JOIN gone g ON g.week_start = k.week_start AND g.ward_id = k.ward_id
            """
        )
        try await connection.execute(
            """
            DELETE FROM trend_rollup_week WHERE scope = 'site' AND site_id = ANY(\(sites)::bigint[])
              AND week_start BETWEEN \(first) AND \(lastDay)
            """
        )
        try await connection.execute(
            """
            INSERT INTO trend_rollup_week (week_start, scope, site_id, setting,
                                           newly_stranded, stranded_discharged, stranded_bed_days, inpatients, under_seven, los_hist)
            SELECT t.week_start, 'site', t.site_id, s.setting,
                   sum(t.newly_stranded), sum(t.stranded_discharged), sum(t.stranded_bed_days), sum(t.inpatients), sum(t.under_seven),
                   trend_hist_sum(t.los_hist)
            FROM trend_ward_week t JOIN site s ON s.id = t.site_id
            WHERE t.site_id = ANY(\(sites)::bigint[]) AND t.week_start BETWEEN \(first) AND \(lastDay)
            GROUP BY t.week_start, t.site_id, s.setting
            """
        )
        try await connection.execute("SELECT set_config('enable_nestloop', \(nestloop), true), set_config('jit', \(jit), true)")
    }

    /// Recomputes the system rows (one per setting) of the weeks `from`…`to` from the site rows.
    static func refreshSystem(on connection: PostgresConnection, from: ReviewWeek, to: ReviewWeek) async throws {
        let first = from.monday
        let lastDay = to.sunday
        // One writer of the system rows at a time (a stale refresh and a
        // rebuild): the sum then includes every other writer's committed site rows.
        try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended('trend-system', 0))")
        try await connection.execute(
            """
            DELETE FROM trend_rollup_week WHERE scope = 'system' AND week_start BETWEEN \(first) AND \(lastDay)
            """
        )
        try await connection.execute(
            """
            INSERT INTO trend_rollup_week (week_start, scope, site_id, setting,
                                           newly_stranded, stranded_discharged, stranded_bed_days, inpatients, under_seven, los_hist)
            SELECT week_start, 'system', 0, setting,
                   sum(newly_stranded), sum(stranded_discharged), sum(stranded_bed_days), sum(inpatients), sum(under_seven),
                   trend_hist_sum(los_hist)
            FROM trend_rollup_week
            WHERE scope = 'site' AND week_start BETWEEN \(first) AND \(lastDay)
            GROUP BY week_start, setting
            """
        )
    }

    // MARK: Reviews

    /// Refreshes the review figures of the weeks `from`…`to`, of one ward or
    /// of every ward. `timetable` gives the Level 1 deadline that "on time" means.
    static func refreshReviews(
        on connection: PostgresConnection,
        from: ReviewWeek,
        to: ReviewWeek,
        wardID: Int64? = nil,
        timetable: WeeklyTimetable
    ) async throws {
        let first = from.monday
        let last = to.monday
        // Each week's Level 1 deadline as an instant, from the timetable (StrandedCore
        // owns the Europe/London arithmetic), passed to SQL as (week, deadline) pairs.
        var weeks: [CalendarDate] = []
        var deadlines: [Date] = []
        var each = from
        while each <= to {
            weeks.append(each.monday)
            deadlines.append(timetable.instant(of: .level1Deadline, in: each))
            each = each.next
        }
        let due = FormDueSQL.dueAt(form: "f", deadline: "d.deadline", graceHours: timetable.lateListGraceHours)
        // Counts are recomputed, not incremented, so two writers of one ward's
        // week must not interleave: a form save takes its week's lock shared
        // and its ward-week's exclusively; a week-wide refresh takes each
        // week's lock exclusively (in week order).
        var week = from
        while week <= to {
            try await lockReviewWeek(on: connection, week: week, wardID: wardID)
            week = week.next
        }
        try await connection.execute(
            """
            DELETE FROM trend_review_week WHERE week_start BETWEEN \(first) AND \(last) AND (\(wardID)::bigint IS NULL OR ward_id = \(wardID))
            """
        )
        try await connection.execute(
            """
            DELETE FROM trend_review_reason WHERE week_start BETWEEN \(first) AND \(last) AND (\(wardID)::bigint IS NULL OR ward_id = \(wardID))
            """
        )
        // One pass over the forms (a national week is ~45,000): each form's
        // JSON is read once, for its day status and its reasons.
        try await connection.execute(
            """
            WITH forms AS MATERIALIZED (
                SELECT f.id, f.week_start, f.ward_id, w.site_id, f.discharged,
                       f.status = ANY(\(FormStatus.doneParameter)::text[]) AS done,
                       f.completed_at <= \(fragment: due) AS in_time,
                       CASE WHEN NOT f.discharged THEN f.review #> '{q1,reasons}' END AS reasons,
                       f.review ->> 'status' = 'red' AS red
                FROM level1_form f JOIN ward w ON w.id = f.ward_id
                JOIN unnest(\(PostgresArray(weeks.map(\.iso)))::date[], \(PostgresArray(deadlines))::timestamptz[]) AS d(week_start, deadline)
                  ON d.week_start = f.week_start
                WHERE f.week_start BETWEEN \(first) AND \(last) AND (\(wardID)::bigint IS NULL OR f.ward_id = \(wardID))
            ), weekly AS (
                INSERT INTO trend_review_week (week_start, ward_id, site_id, forms_due, on_time, completed, red_days)
                SELECT week_start, ward_id, site_id,
                       count(*) FILTER (WHERE NOT discharged),
                       count(*) FILTER (WHERE NOT discharged AND done AND in_time),
                       count(*) FILTER (WHERE NOT discharged AND done),
                       count(*) FILTER (WHERE NOT discharged AND red)
                FROM forms GROUP BY week_start, ward_id, site_id
            )
            INSERT INTO trend_review_reason (week_start, ward_id, site_id, reason_code, patients, primary_patients)
            SELECT f.week_start, f.ward_id, f.site_id, e.value->>'code', count(DISTINCT f.id),
                   count(DISTINCT f.id) FILTER (WHERE (e.value->>'isPrimary')::boolean)
            FROM forms f CROSS JOIN LATERAL jsonb_array_elements(f.reasons) AS e(value)
            WHERE f.reasons IS NOT NULL AND jsonb_typeof(f.reasons) = 'array' AND e.value->>'code' IS NOT NULL
            GROUP BY f.week_start, f.ward_id, f.site_id, e.value->>'code'
            """
        )
    }

    /// Takes one week's review lock: exclusively for the whole week, or
    /// shared for the week and exclusively for one ward's part of it. The keys
    /// are also spelled in SQL by ``markStaleAfterSave(on:formID:)``.
    static func lockReviewWeek(on connection: PostgresConnection, week: ReviewWeek, wardID: Int64?) async throws {
        if let wardID {
            try await connection.execute("SELECT pg_advisory_xact_lock_shared(hashtextextended(\("trend-review:\(week.monday.iso)"), 0))")
            try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("trend-review:\(week.monday.iso):\(wardID)"), 0))")
        } else {
            try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("trend-review:\(week.monday.iso)"), 0))")
        }
    }

    /// After a week was opened: marks its figures stale when forms were
    /// created or moved, and the previous week's too when forms were marked
    /// discharged (that may be last week's). They are recomputed before they
    /// are next read (``refreshStaleReviews()``), so opening a national week
    /// pays one row, not a pass over its forms. Opening again with nothing to
    /// do costs nothing.
    static func refreshAfterOpening(on connection: PostgresConnection, week: ReviewWeek, opening: WeekOpening) async throws {
        guard opening.created > 0 || opening.refreshed > 0 || opening.discharged > 0 else { return }
        let weeks = opening.discharged > 0 ? [week.previous.monday.iso, week.monday.iso] : [week.monday.iso]
        try await connection.execute(
            """
            INSERT INTO trend_review_stale (week_start) SELECT unnest(\(PostgresArray(weeks))::date[]) ON CONFLICT DO NOTHING
            """
        )
    }

    /// Recomputes whatever was marked stale — lists' figures, then review
    /// figures — before the trend tables are read. Costs two empty
    /// transactions when nothing is.
    public func refreshStale() async throws {
        try await database.client.withTransaction { connection in
            try await Self.refreshStaleLists(on: connection, thresholds: policy.thresholds)
        }
        try await refreshStaleReviews()
    }

    /// Recomputes the review figures marked stale: whole weeks (an opened
    /// week) in one transaction; a concurrent caller waits on the marks and
    /// then finds none. Then the ward-weeks saved forms marked, each in a
    /// transaction of its own, so a save on one ward waits for at most its
    /// own ward-week's recomputation.
    public func refreshStaleReviews() async throws {
        try await database.client.withTransaction { connection in
            let weeks = try await connection.query("DELETE FROM trend_review_stale RETURNING week_start")
                .compactMap { ReviewWeek(monday: try $0.decode("week_start")) }.sorted()
            for week in weeks {
                try await Self.refreshReviews(on: connection, from: week, to: week, timetable: policy.timetable)
            }
        }
        let marks = try await database.client.query("SELECT week_start, ward_id FROM trend_review_ward_stale ORDER BY week_start, ward_id")
        for mark in marks {
            guard let week = ReviewWeek(monday: try mark.decode("week_start")) else { continue }
            let wardID: Int64 = try mark.decode("ward_id")
            try await database.client.withTransaction { connection in
                try await Self.refreshStaleWardWeek(on: connection, week: week, wardID: wardID, timetable: policy.timetable)
            }
        }
    }

    /// After a form was saved: marks its ward's week stale, in the save's
    /// transaction, rather than recomputing it there — that held the
    /// ward-week's lock through the save's commit, so saves on one ward ran
    /// one at a time.
    ///
    /// The save holds its week's and ward-week's review locks shared (saves
    /// do not wait for each other) from before its mark to its commit, and a
    /// refresh takes the ward-week's lock exclusively before it deletes the
    /// mark and recomputes: so the refresh either sees the save committed, or
    /// the save marks again after the refresh committed. A part of the save's
    /// own statement (a CTE over `source`, the saved rows with their
    /// `week_start` and `ward_id`): the table's lock is taken before the
    /// advisory locks, in the order a rebuild takes them.
    static func markStaleAfterSave(forEachRowOf source: String) -> PostgresQuery {
        """
        WITH form AS MATERIALIZED (
            SELECT week_start, ward_id, 'trend-review:' || to_char(week_start, 'YYYY-MM-DD') AS week_key
            FROM \(fragment: PostgresQuery(unsafeSQL: source))
        ), locked AS MATERIALIZED (
            SELECT week_start, ward_id,
                   pg_advisory_xact_lock_shared(hashtextextended(week_key, 0)) AS week_lock,
                   pg_advisory_xact_lock_shared(hashtextextended(week_key || ':' || ward_id, 0)) AS ward_lock
            FROM form
        )
        INSERT INTO trend_review_ward_stale (week_start, ward_id)
        SELECT week_start, ward_id FROM locked
        ON CONFLICT DO NOTHING
        """
    }

    /// Recomputes one ward-week a save marked, if it is still marked once
    /// its lock is held (another refresher may have done it meanwhile).
    static func refreshStaleWardWeek(on connection: PostgresConnection, week: ReviewWeek, wardID: Int64, timetable: WeeklyTimetable) async throws {
        // The tables in the order a rebuild locks them, so the two queue rather than deadlock.
        try await connection.execute("LOCK TABLE trend_review_week, trend_review_reason, trend_review_ward_stale IN ROW EXCLUSIVE MODE")
        try await lockReviewWeek(on: connection, week: week, wardID: wardID)
        let marked = try await connection.query(
            """
            DELETE FROM trend_review_ward_stale WHERE week_start = \(week.monday) AND ward_id = \(wardID) RETURNING ward_id
            """
        )
        guard !marked.isEmpty else { return }
        try await refreshReviews(on: connection, from: week, to: week, wardID: wardID, timetable: timetable)
    }

    // MARK: Rebuild

    /// What a rebuild recomputed.
    public struct RebuildSummary: Sendable, Equatable {
        public var wardWeeks = 0
        public var reviewWeeks = 0
        public var firstWeek: CalendarDate?
        public var lastWeek: CalendarDate?
    }

    /// Recomputes every trend table from the raw data, in one transaction
    /// (readers see the old figures until it commits).
    public func rebuild() async throws -> RebuildSummary {
        try await database.client.withTransaction { connection in
            // Imports, form saves and refreshes that mark or recompute trends wait until the rebuild commits.
            try await connection.execute(
                """
                LOCK TABLE trend_ward_week, trend_rollup_week, trend_review_week, trend_review_reason, trend_review_stale, trend_list_stale,
                    trend_review_ward_stale IN EXCLUSIVE MODE
                """
            )
            try await connection.execute("SET LOCAL work_mem = '256MB'")
            try await connection.execute("DELETE FROM trend_ward_week")
            try await connection.execute("DELETE FROM trend_rollup_week")
            try await connection.execute("DELETE FROM trend_review_week")
            try await connection.execute("DELETE FROM trend_review_reason")
            try await connection.execute("DELETE FROM trend_review_stale")
            try await connection.execute("DELETE FROM trend_review_ward_stale")
            try await connection.execute("DELETE FROM trend_list_stale")
            var summary = RebuildSummary()
            if let (from, to) = try await Self.weeksWithListFigures(on: connection) {
                let sites = PostgresArray(try await connection.query("SELECT id FROM site ORDER BY id").map { try $0.decode("id", as: Int64.self) })
                // A year at a time keeps each statement's working set small.
                var start = from
                while start <= to {
                    let end = min(start.adding(weeks: 51), to)
                    try await Self.refreshLists(on: connection, sites: sites, from: start, to: end, thresholds: policy.thresholds)
                    try await Self.refreshSystem(on: connection, from: start, to: end)
                    start = end.next
                }
                summary.firstWeek = from.monday
                summary.lastWeek = to.monday
            }
            try await Self.recordThresholds(policy.thresholds, on: connection)
            let forms = try await connection.query("SELECT min(week_start) AS first, max(week_start) AS last FROM level1_form")[0]
            if let first: CalendarDate = try forms.decode("first"), let last: CalendarDate = try forms.decode("last"),
                let from = ReviewWeek(monday: first), let to = ReviewWeek(monday: last)
            {
                try await Self.refreshReviews(on: connection, from: from, to: to, timetable: policy.timetable)
            }
            summary.wardWeeks = try await connection.query("SELECT count(*)::int AS n FROM trend_ward_week")[0].decode("n")
            summary.reviewWeeks = try await connection.query("SELECT count(*)::int AS n FROM trend_review_week")[0].decode("n")
            return summary
        }
    }
}

extension WardListImportSession {
    /// The import's hook (one call at the end of ``apply``): marks the trend
    /// figures of the list's sites stale, in the import's transaction.
    func markTrendsStale(siteIDs: [Int64], snapshotDate: CalendarDate) async throws {
        try await TrendStore.markListsStale(on: connection, siteIDs: siteIDs, snapshotDate: snapshotDate)
    }
}

extension TrendStore {
    /// Marks one list's trend weeks stale and recomputes them at once (with
    /// whatever else is marked): for measuring what the deferred refresh of a
    /// list costs (the trend benchmark), or repairing one list's weeks.
    public func refresh(siteIDs: [Int64], snapshotDate: CalendarDate) async throws {
        try await database.client.withTransaction { connection in
            try await Self.markListsStale(on: connection, siteIDs: siteIDs, snapshotDate: snapshotDate)
        }
        try await database.client.withTransaction { connection in
            try await Self.refreshStaleLists(on: connection, thresholds: policy.thresholds)
        }
    }
}
