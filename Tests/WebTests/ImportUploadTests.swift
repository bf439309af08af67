import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Store
import TestSupport
import Testing
import Workflow

@testable import Web

/// Uploads that are hostile or odd: several files, binary data, a file
/// without a header; and where their bytes live while they are imported.
extension ImportAPITests {
    static func multipart(_ parts: [(name: String, fileName: String?, content: String)], boundary: String = "XyZ123") -> String {
        parts.map { part in
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"\(part.fileName.map { "; filename=\"\($0)\"" } ?? "")\r\n"
                + (part.fileName == nil ? "" : "Content-Type: text/csv\r\n") + "\r\n\(part.content)\r\n"
        }.joined() + "--\(boundary)--\r\n"
    }

    /// An application whose uploads are spooled in a directory of the test's own.
    static func app(_ database: Database, spool: String) async throws -> some ApplicationProtocol {
        try await SiteReferenceImporter(database: database).importCSV(Self.sites)
        var dependencies = try await AppDependencies.forTests(database: database)
        dependencies.uploadDirectory = URL(fileURLWithPath: spool)
        return buildApplication(configuration: .init(), dependencies: dependencies, logger: Logger(label: "test"))
    }

    @Test func twoFilePartsAreRefusedNamingTheFieldAndNothingIsLeftBehind() async throws {
        try await TestCluster.withDatabase { database in
            let spool = try makeScratchDirectory("uploads")
            let app = try await Self.app(database, spool: spool)
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            let body = Self.multipart([("file", "a.csv", Self.good), ("file", "b.csv", Self.good)])
            try await app.test(.router) { raw in
                let client = clerk.client(raw)
                try await client.execute(
                    uri: "/api/imports?snapshot_date=2026-11-16",
                    method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=XyZ123"],
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .badRequest)
                    let message = String(buffer: response.body)
                    #expect(message.contains("more than one file part (“file” and “file”)"), "\(message)")
                }
                // The page speaks of its own field, not of parts or flags.
                try await client.execute(
                    uri: "/imports",
                    method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=XyZ123"],
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .badRequest)
                    let message = String(buffer: response.body)
                    #expect(message.contains("“Ward list file” field"), "\(message)")
                    #expect(!message.contains("--snapshot-date") && !message.contains("part named"))
                }
                try await client.execute(
                    uri: "/imports",
                    method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=XyZ123"],
                    body: ByteBuffer(string: Self.multipart([("snapshot_date", nil, "2026-11-16")]))
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("choose the ward list file in the “Ward list file” field"))
                }
                // Accepted and rejected uploads alike leave nothing in the spool.
                try await client.execute(
                    uri: "/api/imports",
                    method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=XyZ123"],
                    body: ByteBuffer(string: Self.multipart([("snapshot_date", nil, "2026-11-16"), ("file", "w.csv", Self.good)]))
                ) { response in
                    #expect(response.status == .created)
                }
                try await client.execute(
                    uri: "/api/imports?snapshot_date=2026-11-16",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: Self.bad)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                }
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool) == [])
        }
    }

    @Test func aFileWithNULBytesOrAGzipIsA422WithAStoredReport() async throws {
        try await TestCluster.withDatabase { database in
            let spool = try makeScratchDirectory("uploads")
            let app = try await Self.app(database, spool: spool)
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            try await app.test(.router) { raw in
                let client = clerk.client(raw)
                var nul = ByteBuffer(string: "site_code,ward_code,nhs_number,admission_date\nACU1,W1,9990000018,2026-11-01")
                nul.writeBytes([0, 0, 0])
                var rejectedID = 0
                try await client.execute(
                    uri: "/api/imports?snapshot_date=2026-11-16",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: nul
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let json = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                    #expect((json?["fileError"] as? String)?.hasPrefix("not a text file (binary data at byte 76)") == true)
                    rejectedID = json?["importID"] as? Int ?? 0
                }
                try await client.execute(uri: "/api/imports/\(rejectedID)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("binary data at byte 76"))
                }
                // Through the page: a gzip sent by mistake.
                let boundary = "XyZ123"
                var page = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv.gz\"\r\n\r\n")
                page.writeBytes([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x0D])
                page.writeString(
                    "\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"snapshot_date\"\r\n\r\n2026-11-16\r\n--\(boundary)--\r\n"
                )
                var location = ""
                try await client.execute(
                    uri: "/imports",
                    method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                    body: page
                ) { response in
                    #expect(response.status == .seeOther)
                    location = response.headers[.location] ?? ""
                }
                try await client.execute(uri: location, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("not a text file (binary data at byte 1)"))
                }
            }
        }
    }

    @Test func aHeaderlessUploadIsRejectedWithoutEchoingThePatient() async throws {
        try await TestCluster.withDatabase { database in
            let app = try await Self.app(database, spool: try makeScratchDirectory("uploads"))
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            let headerless = "R9A01,W01,9991000089,2026-11-01,Familyname,Givenname\n"
            try await app.test(.router) { raw in
                let client = clerk.client(raw)
                var rejectedID = 0
                try await client.execute(
                    uri: "/api/imports?snapshot_date=2026-11-16",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: headerless)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let body = String(buffer: response.body)
                    #expect(body.contains("the first line looks like data"))
                    for value in ["9991000089", "Familyname", "Givenname"] { #expect(!body.contains(value)) }
                    rejectedID = (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["importID"] as? Int ?? 0
                }
                for uri in ["/api/imports/\(rejectedID)", "/imports/\(rejectedID)"] {
                    try await client.execute(uri: uri, method: .get) { response in
                        let body = String(buffer: response.body)
                        for value in ["9991000089", "Familyname", "Givenname"] { #expect(!body.contains(value), "\(uri) echoes \(value)") }
                    }
                }
            }
        }
    }

    @Test func theSpoolIsPrivate() throws {
        let parent = try makeScratchDirectory("uploads")
        let spool = try PrivateSpool.make(in: URL(fileURLWithPath: parent))
        let (url, handle) = try spool.createFile(named: "upload")
        try handle.close()
        let directoryMode = try FileManager.default.attributesOfItem(atPath: spool.directory.path)[.posixPermissions] as? Int
        let fileMode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        #expect(fileMode == 0o600)
        // Never opens a file that is already there (a planted link, say).
        #expect(throws: PrivateSpool.Failure.self) { try spool.createFile(named: "upload") }
        spool.remove()
        #expect(!FileManager.default.fileExists(atPath: spool.directory.path))
    }

    /// A process killed mid-upload leaves its spool behind; the next start
    /// removes spools untouched for the given age and leaves fresh ones (another
    /// replica's upload in progress) alone.
    @Test func leftoverSpoolsAreRemovedAtStartButFreshOnesKept() throws {
        let parent = URL(fileURLWithPath: try makeScratchDirectory("uploads"))
        let old = try PrivateSpool.make(in: parent)
        let fresh = try PrivateSpool.make(in: parent)
        let (_, handle) = try old.createFile(named: "upload")
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: old.directory.path)
        #expect(PrivateSpool.removeLeftovers(in: parent, olderThan: 3600) == 1)
        #expect(!FileManager.default.fileExists(atPath: old.directory.path))
        #expect(FileManager.default.fileExists(atPath: fresh.directory.path))
        fresh.remove()
    }

    @Test(arguments: [1, 2, 5, 64, 1 << 20])
    func multipartIsStreamedWhateverTheChunking(chunkSize: Int) throws {
        let spool = try PrivateSpool.make(in: URL(fileURLWithPath: try makeScratchDirectory("uploads")))
        defer { spool.remove() }
        let content = Self.good + "ACU1,W1,9990000034,2026-11-03\r\n\r\n--not-the-boundary\r\n"
        let body = Array(
            Self.multipart([("_csrf", nil, "t0k"), ("snapshot_date", nil, "2026-11-16"), ("file", "C:\\lists\\week.csv", content)]).utf8
        )
        var fieldsBeforeFile: [String: String] = [:]
        let spooler = MultipartSpooler(boundary: "XyZ123", spool: spool, wording: .api) { fieldsBeforeFile = $0 }
        var start = 0
        while start < body.count {
            try spooler.feed(ByteBuffer(bytes: body[start..<min(body.count, start + chunkSize)]))
            start += chunkSize
        }
        let received = try spooler.finish()
        #expect(received.name == "week.csv")
        #expect(received.fields == ["_csrf": "t0k", "snapshot_date": "2026-11-16"])
        #expect(fieldsBeforeFile["_csrf"] == "t0k")
        #expect(try String(contentsOf: received.url, encoding: .utf8) == content)
    }

    @Test func anUploadCutOffMidPartIsRefused() throws {
        let spool = try PrivateSpool.make(in: URL(fileURLWithPath: try makeScratchDirectory("uploads")))
        defer { spool.remove() }
        let spooler = MultipartSpooler(boundary: "XyZ123", spool: spool, wording: .api) { _ in }
        try spooler.feed(ByteBuffer(string: "--XyZ123\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nsite_code,ward"))
        #expect(throws: HTTPError.self) { try spooler.finish() }
    }
}
