import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport
import Workflow

@Suite("Importing ward lists against the database")
struct WardListImportTests {
    static let header = "site_code,ward_code,nhs_number,admission_date\n"

    @Test func acceptsQuarantinesAndReportsNewWards() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            var rows = (1...40).map { "ACU1,W1,\(nhs($0)),2026-11-0\($0 % 9 + 1)" }
            rows.append("ACU1,W1,9990000019,2026-11-02")  // bad check digit
            let report = try await fixture.importText(Self.header + rows.joined(separator: "\n"), snapshotDate: "2026-11-16")
            #expect(report.verdict == .accepted)
            #expect(report.importedRows == 40)
            #expect(report.invalidRows == 1)
            #expect(report.rowErrors.first?.line == 42)
            #expect(report.rowErrors.first?.value == "999 *** 0019")
            #expect(report.newWards == ["ACU1/W1"])
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM list_row") == 40)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM ward WHERE registered_by_import") == 1)
        }
    }

    @Test func rejectsAFileOverTheThresholdAndChangesNothing() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let rows = ["ACU1,W1,\(nhs(1)),2026-11-01", "ACU1,W1,\(nhs(2)),not a date", "XXX9,W1,\(nhs(3)),2026-11-01"]
            let report = try await fixture.importText(Self.header + rows.joined(separator: "\n"), snapshotDate: "2026-11-16")
            #expect(report.verdict == .rejected)
            #expect(report.fileError?.contains("2 of 3 data rows") == true)
            #expect(report.rowErrors.map(\.line) == [3, 4])
            #expect(report.rowErrors[1].reason.contains("site \"XXX9\" is not registered"))
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM list_row") == 0)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM ward") == 0)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM import_file WHERE verdict = 'rejected'") == 1)
        }
    }

    @Test(arguments: [
        ("", "the file is empty"),
        ("site_code,ward_code\nACU1,W1\n", "missing required column"),
        (header, "no data rows"),
        (
            "site_code,ward_code,nhs_number,admission_date,snapshot_date\nACU1,W1,9990000018,2026-11-01,2026-11-16\nACU1,W1,9990000026,2026-11-01,2026-11-09\n",
            "different dates"
        ),
        ("site_code,ward_code,nhs_number,admission_date,snapshot_date\nACU1,W1,9990000018,2026-11-01,2026-12-01\n", "after today"),
    ])
    func fileLevelErrorsRejectTheWholeFile(text: String, expected: String) async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let snapshot: String? = text.contains("snapshot_date") ? nil : "2026-11-16"
            let report = try await fixture.importText(text, snapshotDate: snapshot)
            #expect(report.verdict == .rejected)
            #expect(report.fileError?.contains(expected) == true, "\(report.fileError ?? "no error")")
        }
    }

    @Test func theSameContentTwiceIsADuplicateEvenWithOtherLineEndings() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let text = Self.header + "ACU1,W1,\(nhs(1)),2026-11-01\nACU1,W1,\(nhs(2)),2026-11-02\n"
            let first = try await fixture.importText(text, snapshotDate: "2026-11-16")
            let again = try await fixture.importText("\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n"), snapshotDate: "2026-11-16")
            #expect(first.verdict == .accepted)
            #expect(again.verdict == .duplicate)
            #expect(again.duplicateOf == first.importID)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM list_row") == 2)
        }
    }

    @Test func twoConcurrentImportsOfOneFileApplyOnce() async throws {
        try await TestCluster.withDatabase(poolSize: 6) { database in
            let fixture = try await ImportFixture(database: database)
            let text = Self.header + (1...300).map { "ACU1,W\($0 % 5),\(nhs($0)),2026-11-0\($0 % 9 + 1)" }.joined(separator: "\n")
            async let a = fixture.importText(text, snapshotDate: "2026-11-16")
            async let b = fixture.importText(text, snapshotDate: "2026-11-16")
            let verdicts = try await [a.verdict, b.verdict].map(\.rawValue).sorted()
            #expect(verdicts == ["accepted", "duplicate"])
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM list_row") == 300)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM snapshot") == 1)
        }
    }

    @Test func aNewFileForTheSameSiteAndDateSupersedesTheEarlier() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let first = try await fixture.importText(
                Self.header + "ACU1,W1,\(nhs(1)),2026-11-01\nACU1,W1,\(nhs(2)),2026-11-01\n",
                snapshotDate: "2026-11-16"
            )
            let second = try await fixture.importText(Self.header + "ACU1,W1,\(nhs(1)),2026-11-01\n", snapshotDate: "2026-11-16")
            #expect(second.verdict == .accepted)
            #expect(second.supersededImports == [first.importID!])
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM snapshot WHERE superseded_by_import IS NULL") == 1)
            #expect(try await fixture.scalar("SELECT stranded AS n FROM snapshot WHERE superseded_by_import IS NULL") == 1)
            // The case only the replaced list had is withdrawn, not left open.
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM patient_case WHERE status = 'open'") == 1)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM patient_case WHERE status = 'withdrawn'") == 1)
            let recent = try await WardListStore(database: database).recentImports()
            #expect(recent.first { $0.id == first.importID }?.supersededBy == second.importID)
        }
    }

    @Test func casesOpenCloseAndJoinJourneysAcrossThreeWeeks() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let header = "site_code,ward_code,nhs_number,local_patient_id,admission_date\n"
            // Week 1: A (LoS 15) and B (LoS 3) at the acute site; C at a second ward.
            _ = try await fixture.importText(
                header + """
                    ACU1,W1,\(nhs(1)),,2026-11-01
                    ACU1,W1,\(nhs(2)),,2026-11-13
                    ACU1,W2,,MRN77,2026-10-20
                    """,
                snapshotDate: "2026-11-16"
            )
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM patient_case WHERE status = 'open'") == 2)
            // Week 2: A is gone from the acute list (transferred); B now LoS 10 opens a case; C stays.
            let week2 = try await fixture.importText(
                header + """
                    ACU1,W1,\(nhs(2)),,2026-11-13
                    ACU1,W2,,MRN77,2026-10-20
                    """,
                snapshotDate: "2026-11-23"
            )
            #expect(week2.cases.opened == 1)
            #expect(week2.cases.discharged == 1)
            let finalLoS = try await fixture.scalar("SELECT final_los AS n FROM patient_case WHERE nhs_number = '\(nhs(1))'")
            #expect(finalLoS == 15)
            // A appears at the community hospital: same journey by NHS number.
            _ = try await fixture.importText(header + "COM1,C1,\(nhs(1)),,2026-11-16\n", snapshotDate: "2026-11-23")
            // Two more weeks later A has LoS 7 there.
            _ = try await fixture.importText(
                header.replacingOccurrences(of: "\n", with: ",snapshot_date\n") + "COM1,C1,\(nhs(1)),,2026-11-16,2026-11-23\n",
                snapshotDate: nil
            )
            let journeys = try await fixture.scalar("SELECT count(DISTINCT journey_id) AS n FROM patient_case WHERE nhs_number = '\(nhs(1))'")
            #expect(journeys == 1)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM patient_case WHERE nhs_number = '\(nhs(1))'") == 2)
            let total = try await fixture.scalar(
                """
                SELECT sum(coalesce(final_los, last_los))::int AS n FROM patient_case WHERE nhs_number = '\(nhs(1))'
                """
            )
            #expect(total == 15 + 7)
        }
    }

    @Test func aQuarantinedRowOrAMissingWardKeepsTheCaseOpen() async throws {
        try await TestCluster.withDatabase { database in
            var fixture = try await ImportFixture(database: database)
            fixture = fixture
            var importer = WardListImporter(database: database, policy: .standard)
            importer.importPolicy.maxInvalidShare = 0.5
            let header = "site_code,ward_code,nhs_number,admission_date\n"
            _ = try await fixture.importText(
                header + "ACU1,W1,\(nhs(1)),2026-11-01\nACU1,W2,\(nhs(2)),2026-11-01\nACU1,W1,\(nhs(3)),2026-11-01\n",
                snapshotDate: "2026-11-16"
            )
            // Next week: patient 1's row is broken (bad date); ward W2 is missing entirely.
            let url = URL(fileURLWithPath: fixture.directory).appendingPathComponent("w2.csv")
            try Data((header + "ACU1,W1,\(nhs(1)),31/02/2026\nACU1,W1,\(nhs(3)),2026-11-01\nACU1,W1,\(nhs(4)),2026-11-20\n").utf8).write(to: url)
            let report = try await importer.importFile(
                at: url,
                source: .cli,
                snapshotDate: CalendarDate(iso: "2026-11-23"),
                today: ImportFixture.today
            )
            #expect(report.verdict == .accepted)
            #expect(report.cases.discharged == 0)
            #expect(report.cases.heldOpen == 2)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM patient_case WHERE status = 'open' AND held_open_reason IS NOT NULL") == 2)
            let reasons = try await database.client.query(
                """
                SELECT nhs_number || ': ' || held_open_reason AS reason FROM patient_case WHERE held_open_reason IS NOT NULL ORDER BY 1
                """
            ).map { try $0.decode("reason", as: String.self) }
            #expect(reasons == ["\(nhs(1)): row quarantined in the list of 2026-11-23", "\(nhs(2)): ward missing from the list of 2026-11-23"])

            // The week after, both are back to normal: patient 1's row is fine
            // and patient 2 absent with ward W2 listed again — discharged.
            let url3 = URL(fileURLWithPath: fixture.directory).appendingPathComponent("w3.csv")
            try Data((header + "ACU1,W1,\(nhs(1)),2026-11-01\nACU1,W2,\(nhs(5)),2026-11-01\n").utf8).write(to: url3)
            let third = try await importer.importFile(
                at: url3,
                source: .cli,
                snapshotDate: CalendarDate(iso: "2026-11-30"),
                today: CalendarDate(iso: "2026-11-30")!
            )
            #expect(third.verdict == .accepted)
            #expect(third.cases.heldOpen == 0)
            let states = try await database.client.query(
                """
                SELECT nhs_number || ' ' || status || ' ' || COALESCE(held_open_reason, '-') AS state FROM patient_case ORDER BY nhs_number
                """
            ).map { try $0.decode("state", as: String.self) }
            #expect(states == ["\(nhs(1)) open -", "\(nhs(2)) discharged -", "\(nhs(3)) discharged -", "\(nhs(5)) open -"])
        }
    }
}

@Suite("Weekly counts from the lists")
struct WeeklyCountTests {
    @Test func aSiteWithTwoListsInOneWeekCountsOnce() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let header = "site_code,ward_code,nhs_number,admission_date\n"
            _ = try await fixture.importText(header + "ACU1,W1,\(nhs(1)),2026-11-01\nACU1,W1,\(nhs(2)),2026-11-10\n", snapshotDate: "2026-11-16")
            _ = try await fixture.importText(
                header + "ACU1,W1,\(nhs(1)),2026-11-01\nACU1,W1,\(nhs(2)),2026-11-10\nACU1,W1,\(nhs(3)),2026-11-08\n",
                snapshotDate: "2026-11-18"
            )
            _ = try await fixture.importText(header + "COM1,C1,\(nhs(4)),2026-10-01\n", snapshotDate: "2026-11-16")
            let rows = try await database.client.query("SELECT week_start::text AS week, stranded, super_stranded FROM weekly_stranded_counts")
            #expect(rows.count == 1)
            #expect(try rows[0].decode("week") == "2026-11-16")
            // ACU1's Wednesday list only (LoS 17, 8 and 10: three at 7+), plus COM1's one patient (LoS 46).
            // Counting both ACU1 lists would give 5.
            #expect(try rows[0].decode("stranded") == 4)
            #expect(try rows[0].decode("super_stranded") == 1)
        }
    }
}
