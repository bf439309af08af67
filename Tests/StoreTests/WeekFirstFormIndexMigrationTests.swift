import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Migration 0042: the forms' week-first index")
struct WeekFirstFormIndexMigrationTests {
    /// A database with forms in it upgrades: the forms stay, read through the
    /// week-first index, and one form per case and week is still enforced.
    @Test func upgradesADatabaseWithForms() async throws {
        let (client, applied) = try await MigrationUpgrade.upgrade(
            from: 41,
            seed: """
                INSERT INTO level1_form (case_id, week_start, ward_id, snapshot_date, source_import, source_line, los, review)
                SELECT c, w, 7 + c % 3, w, 1, c, 30, '{"q1": {"reasons": []}}'::jsonb
                FROM generate_series(1, 200) c, (VALUES (date '2026-11-16'), (date '2026-11-23')) AS weeks(w)
                """
        )
        #expect(applied.contains(42))

        let indexes = try await client.query("SELECT indexname FROM pg_indexes WHERE tablename = 'level1_form' ORDER BY indexname")
            .map { try $0.decode("indexname", as: String.self) }
        #expect(indexes == ["level1_form_case_id_week_start_key", "level1_form_pkey", "level1_form_week_ward"])

        // A ward's week, read through the new index.
        try await client.execute("SET enable_seqscan = off")
        let plan = try await client.query("EXPLAIN SELECT count(*) FROM level1_form WHERE ward_id = 8 AND week_start = '2026-11-23'")
            .map { try $0.decode("QUERY PLAN", as: String.self) }.joined(separator: "\n")
        #expect(plan.contains("level1_form_week_ward"))
        let forms: Int = try await client.query("SELECT count(*)::int AS n FROM level1_form WHERE ward_id = 8 AND week_start = '2026-11-23'")[0]
            .decode("n")
        #expect(forms == 67)
        let duplicate = await #expect(throws: PostgresError.self) {
            try await client.execute(
                """
                INSERT INTO level1_form (case_id, week_start, ward_id, snapshot_date, source_import, source_line, los, review)
                VALUES (1, '2026-11-23', 7, '2026-11-23', 1, 1, 30, '{}')
                """
            )
        }
        #expect(duplicate?.sqlState == "23505")
        await client.close()
    }
}
