import Foundation
import Logging
import Postgres
import Store
import StrandedCore
import Synchronization
import TestSupport
import Testing
import WardListImport
import Workflow

@Suite("Importing hostile ward lists: nothing of a patient echoed, binary refused, rejections audited")
struct ImportHostileInputTests {
    /// A file with no header row: its first line is a (synthetic) patient.
    static let patientValues = ["9991000089", "Qzfamilyname", "Qzgivenname"]
    static let headerless = "R9A01,W01,9991000089,2026-11-01,Qzfamilyname,Qzgivenname\nR9A01,W01,9990000018,2026-11-02,Other,Person\n"

    @Test func aHeaderlessFileIsRejectedWithoutEchoingItsFirstRowAnywhere() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let log = CapturedLog()
            let importer = WardListImporter(database: database, policy: .standard, logger: log.logger)
            let url = URL(fileURLWithPath: fixture.directory).appendingPathComponent("headerless.csv")
            try Data(Self.headerless.utf8).write(to: url)
            let report = try await importer.importFile(
                at: url,
                source: .api,
                snapshotDate: CalendarDate(iso: "2026-11-16"),
                today: ImportFixture.today
            )

            #expect(report.verdict == .rejected)
            let message = try #require(report.fileError)
            #expect(message.contains("missing required columns site_code, ward_code, admission_date"))
            #expect(message.contains("the first line looks like data"))
            // Not in the answer, the stored report, the service log, nor PostgreSQL's log.
            let answer = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
            let importID = try #require(report.importID)
            let (_, stored) = try #require(try await WardListStore(database: database).report(importID: importID))
            let serverLog = try String(contentsOfFile: try await TestCluster.shared.cluster().dataDirectory + "/server.log", encoding: .utf8)
            for value in Self.patientValues {
                #expect(!answer.contains(value), "the answer echoes \(value)")
                #expect(!String(decoding: stored, as: UTF8.self).contains(value), "the stored report echoes \(value)")
                #expect(!log.text.contains(value), "the service log echoes \(value)")
                #expect(!serverLog.contains(value), "PostgreSQL's log echoes \(value)")
            }
            #expect(log.text.contains("ward list rejected"))
        }
    }

    @Test(arguments: [
        (
            [UInt8]("site_code,ward_code,nhs_number,admission_date\nACU1,W1,9990000018,2026-11-01\u{0}\n".utf8),
            "not a text file (binary data at byte 76)"
        ),
        ([0x1F, 0x8B, 0x08, 0x00, 0x12, 0x34, 0x56, 0x78, 0x00, 0x03, 0xAB, 0xCD], "not a text file (binary data at byte 1)"),
        (
            [UInt8]("site_code,ward_code,nhs_number,admission_date\nACU1,W1,9990000018,2026-11-01,Caf".utf8) + [0xE9, 0x0A],
            "not valid UTF-8 at line 2, byte 80"
        ),
        ([0xFF, 0xFE] + [UInt8]("s\u{0}i\u{0}".utf8), "UTF-16"),
    ])
    func aBinaryOrNonUTF8FileIsAFileErrorWithAStoredReport(bytes: [UInt8], expected: String) async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let report = try await fixture.importBytes(bytes, name: "list.csv.gz")
            #expect(report.verdict == .rejected)
            #expect(report.fileError?.contains(expected) == true, "\(report.fileError ?? "no error")")
            #expect(report.importID != nil)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM import_file WHERE verdict = 'rejected'") == 1)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM list_row") == 0)
        }
    }

    @Test func aWardCodeWithALineBreakIsARowErrorAndNoWardIsMade() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            var rows = (1...30).map { "ACU1,W1,\(nhs($0)),2026-11-01" }
            rows.append("ACU1,\"W1\r\nW2\",\(nhs(31)),2026-11-01")
            let report = try await fixture.importText(
                "site_code,ward_code,nhs_number,admission_date\n" + rows.joined(separator: "\n"),
                snapshotDate: "2026-11-16"
            )
            #expect(report.verdict == .accepted)
            #expect(report.importedRows == 30)
            #expect(report.rowErrors.first?.column == "ward_code")
            #expect(report.rowErrors.first?.value == "W1<U+000D><U+000A>W2")
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM ward WHERE code ~ '[[:cntrl:]]'") == 0)
        }
    }

    @Test func aRejectedImportIsAuditedWithWhoAndTheFileNameOnly() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let clerk = AuditActor(username: "data.clerk", roles: "data", authMethod: "token")
            let report = try await AuditActor.$current.withValue(clerk) {
                try await fixture.importText(Self.headerless, name: "week-47.csv", snapshotDate: "2026-11-16")
            }
            #expect(report.verdict == .rejected)
            let entries = try await AuditTrail(database: database).search(AuditQuery(action: "import-rejected"))
            let entry = try #require(entries.first)
            #expect(entries.count == 1)
            #expect(entry.username == "data.clerk" && entry.entityType == "import_file" && entry.entityID == report.importID.map(String.init))
            let after = try #require(entry.after)
            #expect(after.contains("week-47.csv") && after.contains("rejected"))
            for value in Self.patientValues + ["R9A01", "2026-11-01"] { #expect(!after.contains(value), "the audit row holds \(value)") }
        }
    }

    @Test func aControlCharacterInASitesFileCodeIsRefusedWithItsLine() async throws {
        try await TestCluster.withDatabase { database in
            let importer = SiteReferenceImporter(database: database)
            await #expect(throws: SiteReferenceImporter.Problem.self) {
                try await importer.importCSV(
                    "organisation_code,organisation_name,site_code,site_name,setting\nR9A,Northshire,\"AC\nU1\",General,acute\n"
                )
            }
            do {
                try await importer.importCSV(
                    "organisation_code,organisation_name,site_code,site_name,setting\nR9A,Northshire,\"AC\tU1\",General,acute\n"
                )
            } catch let problem as SiteReferenceImporter.Problem {
                #expect(problem.description.contains("line 2") && problem.description.contains("site_code contains a control"))
            }
            #expect(try await ReferenceDataStore(database: database).sites().isEmpty)
            await #expect(throws: ReferenceDataStore.ReferenceError.self) {
                try await ReferenceDataStore(database: database).upsertOrganisation(code: "R9\u{0}A", name: "Northshire")
            }
        }
    }
}
