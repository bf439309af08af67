import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Web

@Suite("Red/green days files: import and the contract page")
struct RedDayImportWebTests {
    static var today: String { CalendarDate.today(in: .london).iso }

    @Test func aFileIsRecordedWholeOrNotAtAllAndAgainChangesNothing() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let data = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            try await fixture.app().test(.router) { raw in
                let client = data.client(raw)
                let good = """
                    site_code,ward_code,date,nhs_number,case_reference,status,reason
                    ACU1,W1,\(Self.today),999 000 0018,,RED,awaiting-package-of-care
                    ACU1,W1,\(Self.today),9990000026,,green,
                    """
                for expected in [#""recorded":2"#, #""unchanged":2"#] {
                    try await client.execute(
                        uri: "/api/imports/red-days",
                        method: .post,
                        headers: [.contentType: "text/csv"],
                        body: ByteBuffer(string: good)
                    ) { response in
                        #expect(response.status == .ok)
                        #expect(String(buffer: response.body).contains(expected))
                    }
                }
                let bad = """
                    site_code,ward_code,date,nhs_number,case_reference,status,reason
                    ACU1,W1,\(Self.today),9990000034,,green,
                    ACU1,W9,\(Self.today),9990000042,,green,
                    ACU1,W1,\(Self.today),9990000042,,red,
                    ACU1,W1,\(Self.today),9434765918,,green,
                    ACU1,W1,\(Self.today),,C-999999,green,
                    """
                try await client.execute(
                    uri: "/api/imports/red-days",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: bad)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let json = try jsonObject(response.body)
                    let issues = json["issues"] as? [[String: Any]] ?? []
                    #expect(issues.compactMap { $0["line"] as? Int } == [3, 4, 5, 6])
                    #expect(issues.compactMap { $0["column"] as? String } == ["ward_code", "reason", "nhs_number", "case_reference"])
                    #expect(!String(buffer: response.body).contains("9434765918"))
                }
                // Cole (line 2) was fine, but the file was refused whole.
                #expect(try await database.client.query("SELECT count(*) AS n FROM board_round_day")[0].decode("n", as: Int.self) == 2)
                try await client.execute(
                    uri: "/api/imports/red-days",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: "site_code,ward_code,day,nhs_number,status\n")
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("date"))
                }
                try await client.execute(uri: "/imports/red-days/format", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("awaiting-package-of-care"))
                }
            }
        }
    }

    @Test func onlyTheDataRoleImports() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            try await fixture.app().test(.router) { raw in
                let ward = try await fixture.signedIn().client(raw)
                try await ward.execute(uri: "/api/imports/red-days", method: .post, body: ByteBuffer(string: "site_code\n")) {
                    #expect($0.status == .forbidden)
                }
            }
        }
    }
}
