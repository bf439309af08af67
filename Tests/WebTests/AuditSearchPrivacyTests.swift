import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Store
import TestSupport
import Testing
import Web

@Suite("Audit search by NHS number, and request logs without query strings")
struct AuditSearchPrivacyTests {
    @Test func anNHSNumberIsFoundInEitherSpellingAndNeverLogged() async throws {
        try await TestCluster.withDatabase { database in
            let admin = try await SignedIn.create(database, roles: [RoleGrant(.administrator)])
            let trail = AuditTrail(database: database)
            try await trail.record(
                AuditEntry(
                    action: "read",
                    entityType: "level1_form",
                    entityID: "form-for-the-patient",
                    caseID: 4242,
                    nhsNumber: "9998675898"
                ),
                by: AuditActor(username: "sister.jones")
            )
            try await trail.record(
                AuditEntry(
                    action: "read",
                    entityType: "level1_form",
                    entityID: "form-for-someone-else",
                    caseID: 77,
                    nhsNumber: "9990000018"
                ),
                by: AuditActor(username: "sister.jones")
            )
            let log = CapturedLog()
            var dependencies = try await AppDependencies.forTests(database: database)
            dependencies.auth = AuthConfiguration()
            let app = buildApplication(configuration: .init(), dependencies: dependencies, logger: log.logger)
            try await app.test(.router) { raw in
                let client = admin.client(raw)
                for spelling in ["9998675898", "999+867+5898", "999-867-5898", "999%20867%205898", "4242", "C-004242"] {
                    for uri in ["/admin/audit?case=\(spelling)", "/admin/audit.csv?case=\(spelling)"] {
                        try await client.execute(uri: uri, method: .get) { response in
                            #expect(response.status == .ok, "\(uri)")
                            let body = String(buffer: response.body)
                            #expect(body.contains("form-for-the-patient"), "\(uri)")
                            #expect(!body.contains("form-for-someone-else"), "\(uri)")
                        }
                    }
                }
                // A wrong check digit is an error that says so, without repeating the number.
                try await client.execute(uri: "/admin/audit?case=9998675899", method: .get) { response in
                    #expect(response.status == .badRequest)
                    let body = String(buffer: response.body)
                    #expect(body.contains("check digit") && !body.contains("9998675899"))
                }
                try await client.execute(uri: "/admin/audit?case=somebody", method: .get) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("case must be a case id"))
                }
            }
            let lines = log.all
            #expect(lines.contains { $0.contains("hb.request.path=/admin/audit") }, "requests are still logged, by path")
            for number in ["9998675898", "867 5898", "867-5898", "867+5898", "867%20", "9998675899"] {
                #expect(!lines.contains { $0.contains(number) }, "\(number) in \(lines.filter { $0.contains(number) })")
            }
            #expect(!lines.contains { $0.contains("?") && $0.contains("case=") })
        }
    }
}
