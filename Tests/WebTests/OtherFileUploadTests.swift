import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Workflow

@testable import Web

/// The imports page takes the board-round days file and the stays extract
/// as it takes ward lists, and the inbox tells the three apart by their header.
@Suite("Board-round days and stays extracts: page uploads and the inbox")
struct OtherFileUploadTests {
    static let staysHeader = "site_code,ward_code,nhs_number,local_patient_id,admission_date,discharge_date,destination"

    /// Today's Monday, so a day of this week is inside the correction window.
    static let monday = CalendarDate.today().mondayOfWeek

    func page(_ client: some TestClientProtocol, _ uri: String, file: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(
            uri: uri,
            method: .post,
            headers: [.contentType: "multipart/form-data; boundary=XyZ123"],
            body: ByteBuffer(string: ImportAPITests.multipart([("file", "upload.csv", file)]))
        ) { response in (response.status, String(buffer: response.body)) }
    }

    @Test func theImportsPageTakesAStaysExtractAndSaysWhatItRecordedOrWhyNothing() async throws {
        try await TestCluster.withDatabase { database in
            let spool = try makeScratchDirectory("uploads")
            let app = try await ImportAPITests.app(database, spool: spool)
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            try await app.test(.router) { raw in
                let client = clerk.client(raw)
                let form = try await client.execute(uri: "/imports", method: .get) { String(buffer: $0.body) }
                #expect(form.contains("action=\"/imports/stays\"") && form.contains("action=\"/imports/red-days\""))

                let good = "\(Self.staysHeader)\nACU1,AMU,9990000018,,2026-11-30,2026-12-01,usual-residence\n"
                let (status, body) = try await page(client, "/imports/stays", file: good)
                #expect(status == .ok)
                #expect(body.contains("All 1 row recorded: 1 new stay, 0 updated, 0 unchanged."))

                let bad = "\(Self.staysHeader)\nACU1,AMU,9990000019,,2026-11-30,,\n"
                let (refused, refusal) = try await page(client, "/imports/stays", file: bad)
                #expect(refused == .unprocessableContent)
                #expect(refusal.contains("nothing was recorded") && refusal.contains("nhs_number"))
                #expect(!refusal.contains("9990000019"), "NHS numbers are masked on the page")

                let (unreadable, message) = try await page(client, "/imports/stays", file: "site_code,ward_code\nACU1,AMU\n")
                #expect(unreadable == .unprocessableContent)
                #expect(message.contains("The file could not be read") && message.contains("admission_date"))

                // The page speaks of its own field.
                let (missing, text) = try await client.execute(
                    uri: "/imports/stays",
                    method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=XyZ123"],
                    body: ByteBuffer(string: ImportAPITests.multipart([("note", nil, "x")]))
                ) { ($0.status, String(buffer: $0.body)) }
                #expect(missing == .badRequest)
                #expect(text.contains("“Stays extract file” field"), "\(text)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool) == [])
        }
    }

    @Test func theImportsPageTakesABoardRoundDaysFile() async throws {
        try await TestCluster.withDatabase { database in
            let spool = try makeScratchDirectory("uploads")
            let app = try await ImportAPITests.app(database, spool: spool)
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            try await app.test(.router) { raw in
                let client = clerk.client(raw)
                try await client.execute(
                    uri: "/api/imports?snapshot_date=\(Self.monday.iso)",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: ImportAPITests.good)
                ) { #expect($0.status == .created) }
                let days = "site_code,ward_code,date,nhs_number,status,reason\nACU1,W1,\(Self.monday.iso),9990000018,red,awaiting-test\n"
                let (status, body) = try await page(client, "/imports/red-days", file: days)
                #expect(status == .ok, "\(body)")
                #expect(body.contains("All 1 row recorded: 1 new day, 0 corrected, 0 unchanged."))

                let wrong = "site_code,ward_code,date,nhs_number,status,reason\nACU1,W1,\(Self.monday.iso),9990000018,amber,\n"
                let (refused, refusal) = try await page(client, "/imports/red-days", file: wrong)
                #expect(refused == .unprocessableContent)
                #expect(refusal.contains("status") && refusal.contains("nothing was recorded"))
            }
        }
    }

    @Test func theInboxTellsTheThreeFilesApartByTheirHeader() async throws {
        try await TestCluster.withDatabase { database in
            try await SiteReferenceImporter(database: database).importCSV(ImportAPITests.sites)
            let inbox = URL(fileURLWithPath: try makeScratchDirectory("inbox"))
            let list = "ACU1-2026-11-16.csv"
            try Data(ImportAPITests.good.utf8).write(to: inbox.appendingPathComponent(list))
            let wednesday = ISO8601DateFormatter().date(from: "2026-11-18T12:00:00Z")!
            let watcher = InboxWatcher(
                directory: inbox,
                importers: InboxImporters(database: database, policy: .standard, logger: Logger(label: "test"), now: { wednesday }),
                logger: Logger(label: "test")
            )
            try await watcher.processAll()
            // With a BOM and CRLF, as Excel saves them.
            let days = "\u{FEFF}site_code,ward_code,date,nhs_number,status,reason\r\nACU1,W1,2026-11-18,9990000018,red,awaiting-test\r\n"
            try Data(days.utf8).write(to: inbox.appendingPathComponent("board-round.csv"))
            let stays = "\(Self.staysHeader)\nACU1,AMU,9990000026,,2026-11-10,2026-11-12,usual-residence\n"
            try Data(stays.utf8).write(to: inbox.appendingPathComponent("stays.csv"))
            let broken = "site_code,ward_code,date,status\nACU1,W1,2026-11-18,red\n"
            try Data(broken.utf8).write(to: inbox.appendingPathComponent("days-without-patients.csv"))
            try await watcher.processAll()

            let done = try FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent("done").path).sorted()
            #expect(done == ["ACU1-2026-11-16.csv", "ACU1-2026-11-16.csv.report.json", "board-round.csv", "board-round.csv.report.json", "stays.csv", "stays.csv.report.json"])
            let rejected = try FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent("rejected").path).sorted()
            #expect(rejected == ["days-without-patients.csv", "days-without-patients.csv.report.json"])
            let report = try String(contentsOf: inbox.appendingPathComponent("rejected/days-without-patients.csv.report.json"), encoding: .utf8)
            #expect(report.contains("\"fileError\"") && report.contains("board-round days"))

            let red: Int = try await database.client.query("SELECT count(*)::int AS n FROM board_round_day WHERE status = 'red'")[0].decode("n")
            let held: Int = try await database.client.query("SELECT count(*)::int AS n FROM stay")[0].decode("n")
            #expect(red == 1 && held == 1)
        }
    }
}
