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

@Suite("Stays extracts: import and the contract page")
struct StayImportWebTests {
    static let header = "site_code,ward_code,nhs_number,local_patient_id,admission_date,discharge_date,destination"

    @Test func anExtractIsRecordedWholeOrNotAtAllAndAgainChangesNothing() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            _ = try await ReferenceDataStore(database: database).upsertSite(
                code: "COM1",
                name: "Northshire Community",
                setting: "community",
                organisationCode: "R9A"
            )
            let data = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            try await fixture.app().test(.router) { raw in
                let client = data.client(raw)
                func post(_ body: String, _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
                    try await client.execute(
                        uri: "/api/imports/stays",
                        method: .post,
                        headers: [.contentType: "text/csv"],
                        body: ByteBuffer(string: body),
                        testCallback: check
                    )
                }
                let first = """
                    \(Self.header)
                    acu1,AMU,999 000 0018,,2026-11-30,2026-11-30,usual-residence
                    ACU1,AMU,,RX1-4471,30/11/2026,,
                    """
                for expected in [#""added":2"#, #""unchanged":2"#] {
                    try await post(first) { response in
                        #expect(response.status == .ok)
                        #expect(String(buffer: response.body).contains(expected))
                    }
                }
                // A later extract: the open stay has ended.
                let later = """
                    \(Self.header)
                    ACU1,AMU,9990000018,,2026-11-30,2026-11-30,usual-residence
                    ACU1,AMU,,RX1-4471,2026-11-30,2026-12-09,care-home
                    """
                try await post(later) { response in
                    #expect(response.status == .ok)
                    let body = String(buffer: response.body)
                    #expect(body.contains(#""updated":1"#) && body.contains(#""unchanged":1"#))
                }
                let bad = """
                    \(Self.header)
                    ACU1,AMU,9990000034,,2026-12-01,,
                    ACU9,AMU,9990000042,,2026-12-01,,
                    COM1,W1,9990000042,,2026-12-01,,
                    ACU1,AMU,9434765918,,2026-12-01,,
                    ACU1,AMU,9990000026,,2026-12-03,2026-12-01,
                    ACU1,AMU,9990000026,,2026-12-01,,home
                    ACU1,AMU,9990000034,,2026-12-01,,
                    """
                try await post(bad) { response in
                    #expect(response.status == .unprocessableContent)
                    let json = try jsonObject(response.body)
                    let issues = json["issues"] as? [[String: Any]] ?? []
                    #expect(issues.compactMap { $0["line"] as? Int } == [3, 4, 5, 6, 7, 8])
                    #expect(issues.map { $0["column"] as? String } == ["site_code", "site_code", "nhs_number", "discharge_date", "destination", nil])
                    #expect(!String(buffer: response.body).contains("9434765918"))
                }
                // Line 2 was fine, but the file was refused whole.
                let stays = try await database.client.query("SELECT count(*) AS n, count(ended_on) AS ended FROM stay")
                #expect(try stays[0].decode("n", as: Int.self) == 2)
                #expect(try stays[0].decode("ended", as: Int.self) == 2)
                try await post("site_code,ward_code,admission,nhs_number\n") { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("admission_date"))
                }
                // The trends page shows the aim from these stays: of the two admitted in
                // the week of 30 November one left the same day, the other after nine days.
                try await client.execute(uri: "/trends?from=2026-11-30&to=2026-11-30", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("<td class=\"num\">50%</td>"))
                    #expect(html.contains("below the aim"))
                    #expect(!html.contains("not measured: needs admissions data"))
                }
                try await client.execute(uri: "/imports/stays/format", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("other-acute"))
                }
            }
        }
    }

    @Test func onlyTheDataRoleImports() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            try await fixture.app().test(.router) { raw in
                let ward = try await fixture.signedIn().client(raw)
                try await ward.execute(uri: "/api/imports/stays", method: .post, body: ByteBuffer(string: "site_code\n")) {
                    #expect($0.status == .forbidden)
                }
            }
        }
    }
}
