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
        let (client, applied) = try await MigrationUpgrade.upgrade(from: 46, seed: MigrationUpgrade.fiftyOpenCases, through: 48)
        #expect(applied.contains(48))

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
