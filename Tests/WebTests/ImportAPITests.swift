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
import Web
import Workflow

@Suite("Importing through the API and the pages")
struct ImportAPITests {
    static let sites = """
        organisation_code,organisation_name,site_code,site_name,setting
        R9A,Northshire Hospitals,ACU1,Northshire General,acute
        """
    static let good = "site_code,ward_code,nhs_number,admission_date\nACU1,W1,9990000018,2026-11-01\nACU1,W1,9990000026,2026-11-10\n"
    static let bad = "site_code,ward_code,nhs_number,admission_date\nACU1,W1,9990000019,2026-11-01\n"

    /// A snapshot date outside 1900–2100 (or not a date) is the caller's
    /// mistake: a 400 naming the field, never a 500 from date arithmetic.
    @Test(arguments: ["0001-01-01", "-2026-11-16", "2201-01-01", "31/02/2026"])
    func aSnapshotDateOutsideTheAcceptedYearsIsA400NamingTheField(_ date: String) async throws {
        try await TestCluster.withDatabase { database in
            try await SiteReferenceImporter(database: database).importCSV(Self.sites)
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            try await app.test(.router) { raw in
                let client = clerk.client(raw)
                try await client.execute(
                    uri: "/api/imports?snapshot_date=\(date)",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: Self.good)
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("snapshot_date"))
                }
            }
            #expect(try await database.client.query("SELECT count(*)::int AS n FROM snapshot")[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test func postAnswers201Then200Then422WithTheReport() async throws {
        try await TestCluster.withDatabase { database in
            try await SiteReferenceImporter(database: database).importCSV(Self.sites)
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            // A data clerk, signed in.
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            try await app.test(.router) { raw in
                let client = clerk.client(raw)
                try await client.execute(
                    uri: "/api/imports?snapshot_date=2026-11-16&file_name=week.csv",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: Self.good)
                ) { response in
                    #expect(response.status == .created)
                    let json = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                    #expect(json?["verdict"] as? String == "accepted")
                    #expect(json?["importedRows"] as? Int == 2)
                }
                try await client.execute(
                    uri: "/api/imports?snapshot_date=2026-11-16",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: Self.good)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("\"verdict\":\"duplicate\""))
                }
                let boundary = "XyZ123"
                let multipart =
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"snapshot_date\"\r\n\r\n2026-11-16\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"broken.csv\"\r\nContent-Type: text/csv\r\n\r\n\(Self.bad)\r\n--\(boundary)--\r\n"
                var rejectedID = 0
                try await client.execute(
                    uri: "/api/imports",
                    method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                    body: ByteBuffer(string: multipart)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let json = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                    #expect(json?["fileName"] as? String == "broken.csv")
                    #expect((json?["fileError"] as? String)?.contains("1 of 1 data rows") == true)
                    rejectedID = json?["importID"] as? Int ?? 0
                }
                // The page a data clerk opens shows what to fix, line by line.
                try await client.execute(uri: "/imports/\(rejectedID)", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("This file was rejected"))
                    #expect(html.contains("999 *** 0019"))
                    #expect(html.contains("fails the check digit"))
                    #expect(response.headers[.cacheControl] == "no-store")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                }
                try await client.execute(uri: "/imports", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("broken.csv"))
                    #expect(html.contains("verdict-rejected"))
                    #expect(html.contains("verdict-accepted"))
                }
                try await client.execute(
                    uri: "/api/imports",
                    method: .post,
                    headers: [.contentType: "application/pdf"],
                    body: ByteBuffer(string: "x")
                ) { response in
                    #expect(response.status == .unsupportedMediaType)
                }
            }
        }
    }

    @Test func theInboxMovesFilesWithTheirReports() async throws {
        try await TestCluster.withDatabase { database in
            try await SiteReferenceImporter(database: database).importCSV(Self.sites)
            let inbox = URL(fileURLWithPath: try makeScratchDirectory("inbox"))
            try Data(Self.good.utf8).write(to: inbox.appendingPathComponent("ACU1-2026-11-16.csv"))
            try Data(Self.bad.utf8).write(to: inbox.appendingPathComponent("ACU1-2026-11-09.csv"))
            try Data("half a fi".utf8).write(to: inbox.appendingPathComponent("still-copying.csv.part"))
            let watcher = InboxWatcher(
                directory: inbox,
                importers: InboxImporters(database: database, policy: .standard, logger: Logger(label: "test")),
                logger: Logger(label: "test")
            )
            try await watcher.processAll()
            let done = try FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent("done").path).sorted()
            let rejected = try FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent("rejected").path).sorted()
            #expect(done == ["ACU1-2026-11-16.csv", "ACU1-2026-11-16.csv.report.json"])
            #expect(rejected == ["ACU1-2026-11-09.csv", "ACU1-2026-11-09.csv.report.json"])
            #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("still-copying.csv.part").path))
            let report = try String(contentsOf: inbox.appendingPathComponent("done/ACU1-2026-11-16.csv.report.json"), encoding: .utf8)
            #expect(report.contains("\"snapshotDate\" : \"2026-11-16\""))
        }
    }
}
