import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport
import Workflow

/// The patient key is built once in Swift (`PatientKey`); these check that
/// what the database stores and compares is that key, site by site.
@Suite("Patient keys: what Swift builds is what SQL stores and matches")
struct PatientKeyStorageTests {
    static let header = "site_code,ward_code,nhs_number,local_patient_id,admission_date\n"

    @Test func theStoredKeyIsTheSwiftKey() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let report = try await fixture.importText(
                Self.header + """
                    ACU1,W1,\(nhs(1)),H1,2026-11-01
                    ACU1,W1,,H2,2026-11-01
                    """,
                snapshotDate: "2026-11-16"
            )
            #expect(report.verdict == .accepted)
            let stored = try await database.client.query("SELECT patient_key FROM list_row ORDER BY line_no")
                .map { try $0.decode("patient_key", as: String.self) }
            #expect(stored == [PatientKey.nhsNumber(NHSNumber(nhs(1))!).stored, PatientKey.localPatientID("H2").stored])
            let cases = try await database.client.query("SELECT patient_key FROM patient_case ORDER BY patient_key")
                .map { try $0.decode("patient_key", as: String.self) }
            #expect(cases == stored.sorted())
        }
    }

    /// A local id means a patient only at its own site: the same id quarantined
    /// at one site holds that site's case open and leaves the other's to close.
    @Test func aQuarantinedLocalIDHoldsOnlyItsOwnSitesCaseOpen() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            var importer = WardListImporter(database: database, policy: .standard)
            importer.importPolicy.maxInvalidShare = 0.5
            let first = try await fixture.importText(
                Self.header + """
                    ACU1,W1,,X7,2026-11-01
                    COM1,C1,,X7,2026-11-01
                    ACU1,W1,,K1,2026-11-01
                    COM1,C1,,K2,2026-11-01
                    """,
                snapshotDate: "2026-11-16"
            )
            #expect(first.verdict == .accepted)
            #expect(first.cases.opened == 4, "the same local id at two sites is two patients")

            // Next week X7's row at ACU1 is broken; X7 is absent from COM1's list.
            let url = URL(fileURLWithPath: fixture.directory).appendingPathComponent("next.csv")
            try Data(
                (Self.header + """
                    ACU1,W1,,X7,31/02/2026
                    ACU1,W1,,K1,2026-11-01
                    COM1,C1,,K2,2026-11-01
                    """).utf8
            ).write(to: url)
            let next = try await importer.importFile(at: url, source: .cli, snapshotDate: CalendarDate(iso: "2026-11-23"), today: ImportFixture.today)
            #expect(next.verdict == .accepted)
            #expect(next.cases.heldOpen == 1)
            #expect(next.cases.discharged == 1)
            let states = try await database.client.query(
                """
                SELECT s.code || ' ' || c.patient_key || ' ' || c.status AS state
                FROM patient_case c JOIN site s ON s.id = c.site_id WHERE c.patient_key = \(PatientKey.localPatientID("X7").stored)
                ORDER BY s.code
                """
            ).map { try $0.decode("state", as: String.self) }
            #expect(states == ["ACU1 L:X7 open", "COM1 L:X7 discharged"])
        }
    }
}
