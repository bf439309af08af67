import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Store
import StrandedCore
import TestSupport
import Testing
import Workflow

@testable import Web

/// How refusals behave: bearer tokens on the open routes, refusals in the
/// audit trail (rate-limited), and refusal pages in the layout, escaped.
@Suite("Refusals: open-route tokens, audited refusals, refusal pages")
struct AuthRefusalTests {
    @Test func anUnknownOrRevokedBearerTokenIsRefusedOnTheOpenRoutesAndAValidOnePasses() async throws {
        try await TestCluster.withDatabase { database in
            let tokens = TokenStore(database: database)
            let (valid, _) = try await tokens.create(name: "prometheus", roles: [RoleGrant(.viewer)])
            let (revoked, _) = try await tokens.create(name: "old-scraper", roles: [RoleGrant(.viewer)])
            try await tokens.revoke(name: "old-scraper")
            try await AuthSessionTests.app(database).test(.router) { client in
                for uri in ["/health", "/ready", "/metrics"] {
                    for authorization in ["Bearer strd_nonsense", "Bearer \(revoked)", "Bearer", "bearer   "] {
                        try await client.execute(uri: uri, method: .get, headers: [.authorization: authorization]) { response in
                            #expect(response.status == .unauthorized, "\(uri) with \(authorization.prefix(12))")
                            #expect(response.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
                            #expect(String(buffer: response.body).contains("unknown or revoked"))
                        }
                    }
                    try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(valid)"]) { response in
                        #expect(response.status == .ok, "\(uri) with a valid token")
                    }
                    try await client.execute(uri: uri, method: .get) { response in
                        #expect(response.status == .ok, "\(uri) without a token")
                    }
                }
            }
        }
    }

    /// Run as the service's own database role, as `serve` runs.
    @Test func refusedRequestsOfSignedInUsersAreAuditedWithThePathOnly() async throws {
        try await TestCluster.withDatabase(asApplication: true) { database in
            let fixture = try await ReviewWebFixture(database: database)
            let form = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )[0]
            let elsewhere = try await SignedIn.create(database, roles: [RoleGrant(.ward, scope: ["ACU1/W9"])])
            let viewer = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            try await AuthSessionTests.app(database).test(.router) { raw in
                // Out of scope: 404, as for a record that does not exist.
                try await elsewhere.client(raw).execute(uri: "/forms/\(form.id)?nhs=9998675898", method: .get) { response in
                    #expect(response.status == .notFound)
                }
                try await elsewhere.client(raw).execute(uri: "/api/forms/\(form.id)", method: .get) { response in
                    #expect(response.status == .notFound)
                }
                try await viewer.client(raw).execute(uri: "/admin/audit?case=9998675898", method: .get) { response in
                    #expect(response.status == .forbidden)
                }
                // Allowed and found: nothing recorded as refused.
                try await viewer.client(raw).execute(uri: "/", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
            let refused = try await AuditTrail(database: database).search(AuditQuery(action: "refused"))
            #expect(refused.count == 3)
            let byUser = Dictionary(grouping: refused, by: \.username)
            // The page through the session, the API through the user's bearer token.
            #expect(byUser[elsewhere.username]?.compactMap(\.entityID) == ["GET /forms/\(form.id)"])
            #expect(byUser["token:token-\(elsewhere.username)"]?.compactMap(\.entityID) == ["GET /api/forms/\(form.id)"])
            #expect(refused.filter { $0.after?.contains("404") == true }.count == 2)
            #expect(refused.allSatisfy { $0.entityType == "route" })
            #expect(byUser[viewer.username]?.compactMap(\.entityID) == ["GET /admin/audit"])
            #expect(byUser[viewer.username]?.first?.after?.contains("403") == true)
            #expect(refused.allSatisfy { $0.roles != "" && $0.authMethod != nil })
            #expect(!refused.contains { ($0.entityID ?? "").contains("9998675898") || ($0.after ?? "").contains("9998675898") })
        }
    }

    @Test func refusalsAreRecordedAtMostNPerUserPerMinute() async throws {
        try await TestCluster.withDatabase { database in
            let viewer = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            let other = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            try await AuthSessionTests.app(database, { $0.refusalAuditLimit = 3 }).test(.router) { raw in
                for index in 0..<20 {
                    try await viewer.client(raw).execute(uri: "/admin/users/\(index)", method: .get) { response in
                        #expect(response.status == .forbidden)
                    }
                }
                try await other.client(raw).execute(uri: "/admin/users", method: .get) { response in
                    #expect(response.status == .forbidden)
                }
            }
            let refused = try await AuditTrail(database: database).search(AuditQuery(action: "refused"))
            #expect(refused.filter { $0.username == viewer.username }.count == 3)
            #expect(refused.filter { $0.username == other.username }.count == 1, "one user's flood does not silence another's")
        }
    }

    @Test func aSuppressedRunIsCountedInTheNextRecordedRefusal() async {
        let audit = RefusalAudit(limit: 2, window: .seconds(60))
        let start = ContinuousClock.now
        #expect(await audit.admit("amy", now: start) == 0)
        #expect(await audit.admit("amy", now: start + .seconds(1)) == 0)
        #expect(await audit.admit("amy", now: start + .seconds(2)) == nil)
        #expect(await audit.admit("amy", now: start + .seconds(3)) == nil)
        #expect(await audit.admit("ben", now: start + .seconds(3)) == 0)
        #expect(await audit.admit("amy", now: start + .seconds(61)) == 2)
        #expect(await audit.admit("amy", now: start + .seconds(62)) == 0)
    }

    /// The trusted header's user name reaches the refusal message: it must be
    /// escaped, and the page is the normal layout.
    @Test func aRefusalPageIsTheLayoutWithItsMessageEscaped() async throws {
        try await TestCluster.withDatabase { database in
            let viewer = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            let app = try await AuthSessionTests.app(
                database,
                {
                    $0.trustedHeader = "X-Forwarded-User"
                    $0.trustedProxies = ["127.0.0.1"]
                },
                web: .init(host: "127.0.0.1", port: 0)
            )
            try await app.test(.live) { client in
                let hostile = "<script>alert(1)</script>"
                try await client.execute(uri: "/plan", method: .get, headers: [HTTPField.Name("X-Forwarded-User")!: hostile]) { response in
                    #expect(response.status == .forbidden)
                    let html = String(buffer: response.body)
                    #expect(!html.contains("<script>"))
                    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; has no account here"))
                    #expect(html.contains("class=\"masthead\"") && html.contains("<title>Not allowed – Stranded</title>"))
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.cacheControl] == "no-store")
                }
                // A signed-in user's refusal shows who is signed in, like every page.
                try await client.execute(uri: "/admin/users", method: .get, headers: [.cookie: viewer.cookie]) { response in
                    #expect(response.status == .forbidden)
                    let html = String(buffer: response.body)
                    #expect(html.contains("your roles do not allow this") && html.contains("Signed in as Test \(viewer.username)"))
                }
            }
        }
    }
}
