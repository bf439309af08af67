import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Migration 0050: a case's key indexed in admission order")
struct CaseKeyOrderMigrationTests {
    /// A database with cases upgrades: the cases stay, their key is indexed
    /// site, admission date, patient, a second case for the same stay is
    /// still refused, and the import's upsert, which names the key's columns
    /// in another order, still finds it as its conflict target.
    @Test func upgradesADatabaseWithCasesAndKeepsTheKeyUnique() async throws {
        let (client, applied) = try await MigrationUpgrade.upgrade(from: 49, seed: MigrationUpgrade.fiftyOpenCases)
        #expect(applied.contains(50))

        let definition: String = try await client.query(
            "SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'patient_case_stay_key'"
        )[0].decode("definition")
        #expect(definition == "UNIQUE (site_id, admission_date, patient_key)")
        let keys: Int = try await client.query(
            "SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'patient_case'::regclass AND contype = 'u'"
        )[0].decode("n")
        #expect(keys == 1)

        await #expect(throws: PostgresError.self) {
            try await client.execute(
                """
                INSERT INTO patient_case (site_id, patient_key, admission_date, opened_on, last_seen_on, last_ward_id, last_los, status)
                VALUES (1, 'L:7', date '2026-11-01', date '2026-11-23', date '2026-11-23', 1, 22, 'open')
                """
            )
        }
        let upserted: Int = try await client.query(
            """
            WITH upserted AS (
                INSERT INTO patient_case (site_id, patient_key, admission_date, opened_on, last_seen_on, last_ward_id, last_los, status)
                VALUES (1, 'L:7', date '2026-11-01', date '2026-11-23', date '2026-11-23', 1, 22, 'open')
                ON CONFLICT (site_id, patient_key, admission_date) DO UPDATE SET last_seen_on = EXCLUDED.last_seen_on, last_los = EXCLUDED.last_los
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE NOT inserted)::int AS n FROM upserted
            """
        )[0].decode("n")
        #expect(upserted == 1)
        let cases: Int = try await client.query("SELECT count(*)::int AS n FROM patient_case")[0].decode("n")
        #expect(cases == 50)
        await client.close()
    }
}
