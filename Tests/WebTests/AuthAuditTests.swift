import Foundation
import HTTPTypes
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

/// Changes and patient-identifiable reads reach the audit trail with who
/// did them; administrators manage users and tokens and search the trail.
@Suite("Audit through the web, and the administration pages")
struct AuthAuditTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func planEditsImportsAndReadsAreAttributedToTheSignedInUser() async throws {
        try await TestCluster.withDatabase { database in
            try await PlanService(database: database, policy: .standard).loadSeedPlanIfMissing()
            try await SiteReferenceImporter(database: database).importCSV(ImportAPITests.sites)
            let editor = try await SignedIn.create(database, roles: [RoleGrant(.planEditor)])
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            try await app.test(.router) { raw in
                let body = "form=note&author=Ann+Officer&target=&text=Pathway+review+workshop+held&date="
                try await editor.client(raw).execute(uri: "/plan/actions/H2", method: .post, headers: Self.form, body: ByteBuffer(string: body)) {
                    response in
                    #expect(response.status == .seeOther)
                }
                try await clerk.client(raw).execute(
                    uri: "/api/imports?snapshot_date=2026-11-16&file_name=week.csv",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: ImportAPITests.good)
                ) { response in
                    #expect(response.status == .created)
                }
                try await clerk.client(raw).execute(uri: "/imports/1", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
            let trail = AuditTrail(database: database)
            let plan = try await trail.search(AuditQuery(entityType: "key_action"))
            #expect(plan.map(\.username) == [editor.username])
            #expect(plan.first?.authMethod == "session" && plan.first?.sessionHash != nil)
            #expect(plan.first?.after?.contains("Pathway review workshop held") == true)
            let imports = try await trail.search(AuditQuery(entityType: "import_file"))
            #expect(imports.map(\.action) == ["read", "import"])
            #expect(imports.map(\.username) == [clerk.username, "token:token-\(clerk.username)"])
        }
    }

    @Test func demoModeMakesOneUserPerRoleOnce() async throws {
        try await TestCluster.withDatabase { database in
            let created = try await DemoUsers.createIfMissing(database: database, wardScope: ["ACU1"])
            #expect(created.map(\.username).sorted() == Role.allCases.filter { $0 != .feed }.map { "demo-\($0.rawValue)" }.sorted())
            #expect(created.allSatisfy { Passwords.check($0.password) == nil })
            #expect(created.first { $0.username == "demo-ward" }?.role == "ward:ACU1")
            let credentials = try await UserStore(database: database).credentials(username: "demo-viewer")
            #expect(try await Passwords.verify(created.first { $0.username == "demo-viewer" }!.password, hash: credentials?.passwordHash))
            #expect(try await DemoUsers.createIfMissing(database: database, wardScope: ["ACU1"]).isEmpty)
        }
    }

    @Test func administratorsAddUsersShowATokenOnceAndExportTheTrailSafely() async throws {
        try await TestCluster.withDatabase { database in
            let admin = try await SignedIn.create(database, roles: [RoleGrant(.administrator)], username: "admin")
            // The ward the new user's role names must exist.
            try await SiteReferenceImporter(database: database).importCSV(ReviewWebFixture.sites)
            _ = try await database.client.execute("INSERT INTO ward (site_id, code) SELECT id, 'W1' FROM site WHERE code = 'ACU1'")
            // A hostile value that a spreadsheet would run as a formula.
            try await AuditTrail(database: database).record(AuditEntry(action: "update", entityType: "level1_form", entityID: "=HYPERLINK(\"x\")"))
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            try await app.test(.router) { raw in
                let client = admin.client(raw)
                try await client.execute(
                    uri: "/admin/users",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "username=sam.patel&display_name=Sam+Patel&password=short&roles=ward:ACU1/W1")
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(String(buffer: response.body).contains("at least 12 characters"))
                }
                try await client.execute(
                    uri: "/admin/users",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "username=sam.patel&display_name=Sam+Patel&password=a+long+enough+phrase&roles=ward:ACU1/W1+viewer")
                ) { response in
                    #expect(response.status == .seeOther)
                }
                try await client.execute(uri: "/admin/users", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("sam.patel") && html.contains("viewer ward:ACU1"))
                    #expect(html.contains("Administration"))
                }
                var token = ""
                try await client.execute(
                    uri: "/admin/tokens",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "name=nightly-upload&roles=data")
                ) { response in
                    #expect(response.status == .created)
                    let html = String(buffer: response.body)
                    let start = try #require(html.range(of: "<p class=\"new-token\"><code>")).upperBound
                    token = String(html[start...].prefix { $0 != "<" })
                }
                #expect(token.hasPrefix("strd_"))
                try await client.execute(uri: "/admin/tokens", method: .get) { response in
                    #expect(!String(buffer: response.body).contains(token), "shown once only")
                }
                try await raw.execute(uri: "/api/imports", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(
                    uri: "/admin/tokens/revoke",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "name=nightly-upload")
                ) { response in
                    #expect(response.status == .seeOther)
                }
                try await raw.execute(uri: "/api/imports", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(uri: "/admin/audit?entity=app_user", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("sam.patel"))
                    #expect(html.contains(">admin<"))
                }
                try await client.execute(uri: "/admin/audit.csv?entity=level1_form", method: .get) { response in
                    #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                    let csv = String(buffer: response.body)
                    #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))
                    #expect(!csv.contains(",=HYPERLINK"))
                }
            }
            let users = try await UserStore(database: database).user(username: "sam.patel")
            #expect(users?.roles == [RoleGrant(.viewer), RoleGrant(.ward, scope: ["ACU1/W1"])])
            let actions = try await AuditTrail(database: database).search(AuditQuery(username: "admin")).map { "\($0.action) \($0.entityType)" }
            #expect(actions.contains("create app_user") && actions.contains("create api_token") && actions.contains("revoke api_token"))
            #expect(actions.contains("export audit_event"))
        }
    }
}
