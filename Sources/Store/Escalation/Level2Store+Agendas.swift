import Foundation
import Postgres
import StrandedCore

/// Frozen Level 2 agendas: each build is a new version, never changed.
extension Level2Store {
    /// Freezes a new version of the week's agenda; returns its number.
    public func saveAgenda<Content: Codable & Sendable>(week: ReviewWeek, content: Content, caseIDs: [Int64], by actor: String) async throws -> Int {
        try await database.client.withTransaction { connection in
            // Versions are numbered per week; the lock keeps two builders apart.
            try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("level2-agenda:\(week.monday.iso)"), 0))")
            let version: Int = try await connection.query(
                """
                INSERT INTO level2_agenda (week, version, built_by, case_ids, content)
                SELECT \(week.monday), COALESCE(max(version), 0) + 1, \(actor), \(PostgresArray(caseIDs))::bigint[], \(PostgresJSON(content))
                FROM level2_agenda WHERE week = \(week.monday)
                RETURNING version
                """
            )[0].decode("version")
            try await AuditTrail.record(
                AuditEntry(
                    action: "build",
                    entityType: "level2_agenda",
                    entityID: "\(week.monday.iso)/v\(version)",
                    after: AuditedAgendaBuild(week: week.monday.iso, version: version, builtBy: actor, caseIDs: caseIDs)
                ),
                on: connection
            )
            return version
        }
    }

    /// The number of the week's latest agenda version; nil before the first build.
    public func latestAgendaVersion(week: ReviewWeek) async throws -> Int? {
        try await database.client.query(
            "SELECT max(version) AS version FROM level2_agenda WHERE week = \(week.monday)"
        )[0].decode("version", as: Int?.self)
    }

    /// A version of the week's agenda, the latest when `version` is nil.
    public func agenda<Content: Codable & Sendable>(
        week: ReviewWeek,
        version: Int? = nil,
        as type: Content.Type
    ) async throws -> StoredAgenda<Content>? {
        // Versions are PostgreSQL integers: a larger number asked for cannot
        // exist, and binding it would fail the query instead of finding nothing.
        if let version, Int32(exactly: version) == nil { return nil }
        let rows: PostgresRows
        if let version {
            rows = try await database.client.query(
                """
                SELECT week, version, built_at, built_by, content FROM level2_agenda WHERE week = \(week.monday) AND version = \(version)
                """
            )
        } else {
            rows = try await database.client.query(
                """
                SELECT week, version, built_at, built_by, content FROM level2_agenda WHERE week = \(week.monday) ORDER BY version DESC LIMIT 1
                """
            )
        }
        return try rows.first.map { row in
            StoredAgenda(
                week: try row.decode("week"),
                version: try row.decode("version"),
                builtAt: try row.decode("built_at"),
                builtBy: try row.decode("built_by"),
                content: try row.decode("content", as: PostgresJSON<Content>.self).value
            )
        }
    }

    /// Every version built, newest week and version first (`week` nil: all weeks).
    ///
    /// - Parameter scope: whose cases count (a scoped level2 user sees the
    ///   number of their organisations' cases, as the agenda itself shows them).
    public func agendaVersions(week: ReviewWeek? = nil, scope: RecordScope = .all) async throws -> [AgendaVersionInfo] {
        let condition: PostgresQuery = week.map { "WHERE a.week = \($0.monday)" } ?? ""
        let cases: PostgresQuery =
            scope.all
            ? "cardinality(a.case_ids)"
            : """
            (SELECT count(*)::int FROM patient_case c JOIN site s ON s.id = c.site_id JOIN ward w ON w.id = c.last_ward_id
             WHERE c.id = ANY(a.case_ids) AND \(fragment: scope.condition()))
            """
        return try await database.client.query(
            """
            SELECT a.week, a.version, a.built_at, a.built_by, \(fragment: cases) AS cases FROM level2_agenda a \(fragment: condition)
            ORDER BY a.week DESC, a.version DESC LIMIT 200
            """
        ).map { row in
            AgendaVersionInfo(
                week: try row.decode("week"),
                version: try row.decode("version"),
                builtAt: try row.decode("built_at"),
                builtBy: try row.decode("built_by"),
                cases: try row.decode("cases")
            )
        }
    }
}
