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

@Suite("Prevention themes linked to plan actions")
struct ThemePlanLinkTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func level2RaisesAnActionFromAThemeLinksAnotherAndTheActionPageChartsTheTheme() async throws {
        try await TestCluster.withDatabase { database in
            try await PlanService(database: database, policy: .standard).loadSeedPlanIfMissing()
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            let level2 = try await SignedIn.create(database, roles: [RoleGrant(.level2)])
            let viewer = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            try await app.test(.router) { raw in
                let client = level2.client(raw)
                try await client.execute(uri: "/themes/late-therapy-assessment", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("No plan action addresses this theme yet."))
                    #expect(html.contains("<svg"))
                    #expect(html.contains("Raise a new plan action from this theme"))
                    #expect(html.contains("<label for=\"raise-priority\">"))
                }
                // Missing fields: 422, each named beside its field, typed text kept.
                try await client.execute(
                    uri: "/themes/late-therapy-assessment/raise",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "priority=&text=Therapy+in+reach+on+day+one")
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let html = String(buffer: response.body)
                    #expect(html.contains("id=\"raise-priority-error\""))
                    #expect(html.contains("Therapy in reach on day one"))
                }
                try await client.execute(
                    uri: "/themes/late-therapy-assessment/raise",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "priority=Z&text=Therapy+in+reach+on+day+one")
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(String(buffer: response.body).contains("there is no priority &quot;Z&quot; in this plan"))
                }
                let raised = try await client.execute(
                    uri: "/themes/late-therapy-assessment/raise",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "priority=H&text=Therapy+in+reach+on+day+one")
                ) { response in
                    #expect(response.status == .seeOther)
                    let location = response.headers[.location] ?? ""
                    #expect(location.hasPrefix("/plan/actions/H"))
                    return String(location.dropFirst("/plan/actions/".count).prefix { $0 != "#" })
                }
                #expect(raised.count >= 2)
                try await client.execute(uri: "/plan/actions/\(raised)", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("Therapy in reach on day one"))
                    #expect(html.contains("id=\"outcome\""))
                    #expect(html.contains("New cases coded “Therapy assessment late” by week"))
                    #expect(html.contains("<svg"))
                }
                // Link the same theme to an existing action; an unknown action is a 422 naming it.
                try await client.execute(
                    uri: "/themes/late-therapy-assessment/link",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "action=Q9")
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(String(buffer: response.body).contains("there is no key action Q9 in this plan"))
                }
                try await client.execute(
                    uri: "/themes/late-therapy-assessment/link",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "action=H2")
                ) { response in
                    #expect(response.status == .seeOther)
                }
                try await client.execute(uri: "/themes/late-therapy-assessment", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("href=\"/plan/actions/H2#outcome\""))
                    #expect(html.contains("href=\"/plan/actions/\(raised)#outcome\""))
                }
                try await client.execute(uri: "/themes/not-a-theme", method: .get) { response in
                    #expect(response.status == .notFound)
                }
                // A viewer reads the theme but has no forms and may not post.
                try await viewer.client(raw).execute(uri: "/themes/late-therapy-assessment", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(!String(buffer: response.body).contains("Raise a new plan action"))
                }
                try await viewer.client(raw).execute(
                    uri: "/themes/late-therapy-assessment/link",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "action=H3")
                ) { response in
                    #expect(response.status == .forbidden)
                }
                // Every change audited in the plan's trail.
                let changes = try await database.client.query(
                    "SELECT entity_key, field FROM plan_change WHERE field IN ('themes', 'created') ORDER BY id"
                ).map { "\(try $0.decode("entity_key", as: String.self)) \(try $0.decode("field", as: String.self))" }
                #expect(changes.count == 3)
                #expect(changes.contains("H2 themes"))
                #expect(changes.contains("\(raised) created"))
            }
        }
    }
}
