import Foundation
import Postgres
import StrandedCore

/// The reads behind the Level 1 pages people wait on, each in one statement.
///
/// A page read used to be several round trips through the pool (the scope
/// check, the audit insert, the freshness stamps, …); under load each one
/// waits for a connection and a worker thread again. Here the scope check,
/// the audited read and the page's data go together: the audit row is
/// inserted by the same statement, only when the record was found in scope,
/// and commits with it, which is what the separate calls did.
extension ReviewStore {
    /// A ward within `scope` with the stamp of its week's page
    /// (``wardWeekStamp(wardID:week:)`` and the board round's ``RedDayStore/wardStamp(wardID:)``,
    /// joined by "/"), its read recorded as `audit` by `actor`; nil, and
    /// nothing recorded, when the ward is unknown or out of scope.
    public func wardForPage(
        id: Int64,
        week: ReviewWeek,
        scope: RecordScope,
        audit entry: AuditEntry,
        by actor: AuditActor = .currentOrSystem
    ) async throws -> (ward: WardInfo, stamp: String)? {
        let query: PostgresQuery = """
            WITH found AS (
                SELECT w.id, w.code, w.name, s.code AS site_code, s.name AS site_name
                FROM ward w JOIN site s ON s.id = w.site_id WHERE w.id = \(id) AND \(fragment: scope.condition())
            ), audited AS (
                \(fragment: AuditTrail.insert(entry, by: actor, forEachRowOf: "found"))
            )
            SELECT found.*,
                   (SELECT count(*) || ':' || COALESCE(sum(version), 0) || ':' || COALESCE(sum(source_import), 0) || ':'
                           || count(*) FILTER (WHERE discharged) || ':' || COALESCE(max(updated_at)::text, '')
                    FROM level1_form WHERE ward_id = found.id AND week_start = \(week.monday))
                   || '/' ||
                   (\(fragment: RedDayStore.wardRevisionSQL(wardID: "found.id"))) AS stamp
            FROM found
            """
        let rows = try await database.client.query(query.prepared)
        guard let row = rows.first else { return nil }
        let ward = WardInfo(
            id: try row.decode("id"),
            code: try row.decode("code"),
            name: try row.decode("name"),
            siteCode: try row.decode("site_code"),
            siteName: try row.decode("site_name")
        )
        return (ward, try row.decode("stamp"))
    }

    /// One form within `scope`, its read recorded by `actor` (a "read" of
    /// the `level1_form`, with its case and NHS number), with the
    /// form the ward list offers next (``nextToReview(wardID:week:after:)``)
    /// and its case's board-round days (as ``RedDayStore/days(caseIDs:)``
    /// reads them); nil, and nothing recorded, when the form is unknown or out of scope.
    public func formForPage(
        id: Int64,
        scope: RecordScope,
        by actor: AuditActor = .currentOrSystem
    ) async throws -> (form: Level1FormRecord, nextID: Int64?, days: [RecordedDay])? {
        let read = AuditEntry(action: "read", entityType: "level1_form", entityID: String(id))
        let query: PostgresQuery = """
            WITH found AS (
                \(fragment: PostgresQuery(unsafeSQL: Self.formColumns)) WHERE f.id = \(id) AND \(fragment: scope.condition())
            ), audited AS (
                \(fragment: AuditTrail.insert(read, by: actor, forEachRowOf: "found", caseColumn: "case_id", nhsNumberColumn: "nhs_number"))
            )
            SELECT found.*, (\(fragment: Self.nextToReviewSQL(wardID: "found.ward_id", week: "found.week_start", excluding: "found.id"))) AS next_id,
                   (\(fragment: Self.caseDaysSQL(caseID: "found.case_id"))) AS days
            FROM found
            """
        // Planning these joins took longer than running them: planned once per connection.
        let rows = try await database.client.query(query.prepared)
        guard let row = rows.first else { return nil }
        return (try Self.record(row), try row.decode("next_id"), try row.decode("days", as: PostgresJSON<[RecordedDay]>.self).value)
    }

    /// A case's board-round days as a JSON array in date order, as
    /// ``RedDayStore/days(caseIDs:)`` reads them; `caseID` is a column of the enclosing statement.
    static func caseDaysSQL(caseID: PostgresQuery) -> PostgresQuery {
        """
        SELECT COALESCE(jsonb_agg(jsonb_build_object('date', d.day, 'status', d.status, 'reason', d.reason) ORDER BY d.day), '[]'::jsonb)
        FROM patient_case c
        JOIN board_round_day d ON d.site_id = c.site_id AND d.patient_key = c.patient_key AND d.admission_date = c.admission_date
        WHERE c.id = \(fragment: caseID)
        """
    }

    /// The form the ward list shows first among those still to do (not
    /// started or in progress), other than `formID`: where "next" on a form goes.
    public func nextToReview(wardID: Int64, week: ReviewWeek, excluding formID: Int64) async throws -> Int64? {
        let query: PostgresQuery =
            "SELECT (\(fragment: Self.nextToReviewSQL(wardID: "\(wardID)::bigint", week: "\(week.monday)::date", excluding: "\(formID)::bigint"))) AS next_id"
        return try await database.client.query(query.prepared)[0].decode("next_id")
    }

    /// The ward list's order (``wardWeek(wardID:week:scope:)``), first form to
    /// do; the arguments are column references of the enclosing statement or bound values.
    ///
    /// The order is longest stay first (`los` is never null), then family name:
    /// only the forms with the longest stay still to do are joined to their
    /// list rows for the name, not the whole ward's (every form page asks).
    static func nextToReviewSQL(wardID: PostgresQuery, week: PostgresQuery, excluding formID: PostgresQuery) -> PostgresQuery {
        """
        SELECT n.id FROM level1_form n
        JOIN ward nw ON nw.id = n.ward_id
        JOIN list_row nr ON nr.import_id = n.source_import AND nr.site_id = nw.site_id AND nr.line_no = n.source_line
        WHERE n.ward_id = \(fragment: wardID) AND n.week_start = \(fragment: week) AND n.id <> \(fragment: formID)
          AND n.status IN ('not-started', 'in-progress')
          AND n.los = (SELECT max(m.los) FROM level1_form m
                       WHERE m.ward_id = \(fragment: wardID) AND m.week_start = \(fragment: week) AND m.id <> \(fragment: formID)
                         AND m.status IN ('not-started', 'in-progress'))
        ORDER BY nr.family_name, n.id
        LIMIT 1
        """
    }
}
