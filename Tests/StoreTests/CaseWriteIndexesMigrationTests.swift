import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Migration 0048: fewer index entries per case write")
struct CaseWriteIndexesMigrationTests {
    /// A database with cases upgrades: the cases stay, the journey index is
    /// gone, every index a query reads is kept, and new pages leave 40% free.
    @Test func upgradesADatabaseWithCases() async throws {
        let client = PostgresClient(configuration: .init(connectionString: try await TestCluster.emptyDatabase()))
        let bundled = try Migrator.bundled().migrations
        #expect(try await Migrator(migrations: bundled.filter { $0.version <= 46 }).migrate(client).last == 46)
        try await client.execute(
            """
            INSERT INTO patient_case (site_id, patient_key, admission_date, nhs_number, journey_id, opened_on, last_seen_on, last_ward_id, last_los, status)
            SELECT 1, 'L:' || n, date '2026-11-01', NULL, NULL, date '2026-11-16', date '2026-11-16', 1, 15, 'open'
            FROM generate_series(1, 50) n
            """
        )
        #expect(try await Migrator(migrations: bundled.filter { $0.version <= 48 }).migrate(client).contains(47))

        let indexes = try await client.query("SELECT indexname FROM pg_indexes WHERE tablename = 'patient_case' ORDER BY indexname")
            .map { try $0.decode("indexname", as: String.self) }
        #expect(
            indexes == [
                "patient_case_open_by_site", "patient_case_pkey", "patient_case_site_discharged", "patient_case_site_id_patient_key_admission_date_key",
                "patient_case_site_opened", "patient_case_unlinked",
            ]
        )
        let options: String = try await client.query(
            "SELECT array_to_string(reloptions, ',') AS options FROM pg_class WHERE oid = 'patient_case'::regclass"
        )[0].decode("options")
        #expect(options.split(separator: ",").contains("fillfactor=60"))
        let cases: Int = try await client.query("SELECT count(*)::int AS n FROM patient_case WHERE status = 'open'")[0].decode("n")
        #expect(cases == 50)
        await client.close()
    }
}
