import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Store
import StrandedCore
import TestSupport
import Testing
import Web
import Workflow

/// The plan tracker's pages and API, in process, against a real database
/// holding the seed plan.
@Suite("Plan pages and API")
struct PlanPagesTests {
    static func withSeededApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await TestCluster.withDatabase { database in
            try await PlanService(database: database, policy: .standard).loadSeedPlanIfMissing()
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            // A plan editor, signed in.
            let editor = try await SignedIn.create(database, roles: [RoleGrant(.planEditor)])
            try await app.test(.router) { try await body(editor.client($0)) }
        }
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    static let json: HTTPFields = [.contentType: "application/json"]

    @Test func overviewShowsEveryPriorityWithRAGCounts() async throws {
        try await Self.withSeededApp { client in
            try await client.execute(uri: "/plan", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Care Quality Commission Oxfordshire Local System Review"))
                #expect(html.contains("Key actions by priority and RAG rating"))
                #expect(html.contains("A. Vision, Governance &amp; Strategy"))
                #expect(html.contains("O. Voluntary, Community &amp; Social Enterprise Sector"))
                // 46 actions in total, all complete or handed over in the closed seed plan.
                #expect(
                    html.contains(
                        "<th scope=\"row\">All priorities</th><td></td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">46</td><td class=\"num\">46</td>"
                    )
                )
                #expect(html.contains("href=\"/plan/actions/H2\""))
            }
        }
    }

    @Test func actionPageShowsTheActionAndItsForms() async throws {
        try await Self.withSeededApp { client in
            try await client.execute(uri: "/plan/actions/E3", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("30/4/18 (NHSE ops planning)"))
                #expect(html.contains("Completion of the Continuing Health Care (CHC) Project"))
                #expect(html.contains("<label for=\"note-text\">Progress</label>"))
                #expect(html.contains("<option value=\"iv\""))
            }
            try await client.execute(uri: "/plan/actions/Z99", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("no key action Z99"))
            }
        }
    }

    @Test func postingANoteRedirectsAndTheNoteAppearsWithItsAuditRow() async throws {
        try await Self.withSeededApp { client in
            let body = "form=note&author=Ann+Officer&target=&text=Pathway+review+workshop+held&date="
            try await client.execute(uri: "/plan/actions/H2", method: .post, headers: Self.form, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/plan/actions/H2#note")
            }
            try await client.execute(uri: "/plan/actions/H2", method: .get) { response in
                let html = String(buffer: response.body)
                // Recorded under the signed-in editor's name; the typed name counts for nothing.
                #expect(html.contains(": Pathway review workshop held"))
                #expect(html.contains("Test tester-"))
                #expect(!html.contains("Ann Officer"))
                #expect(!html.contains("name=\"author\""))
                #expect(html.contains("<td>H2 progress</td>"))
            }
        }
    }

    @Test func refusedFormShowsTheMessageBesideTheFieldAndKeepsTheInput() async throws {
        try await Self.withSeededApp { client in
            let body = "form=note&author=&text=Something+useful&date=31%2F02%2F2019"
            try await client.execute(uri: "/plan/actions/H2", method: .post, headers: Self.form, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.contains("The change was not saved"))
                #expect(!html.contains("Enter your name"))
                #expect(html.contains("id=\"note-date-error\">Enter the date as dd/mm/yyyy"))
                #expect(html.contains(">Something useful</textarea>"))
            }
            let owners = "form=owners&author=Ann&accountable=BH&responsible=QQ"
            try await client.execute(uri: "/plan/actions/H2", method: .post, headers: Self.form, body: ByteBuffer(string: owners)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("id=\"responsible-error\">&quot;QQ&quot; looks like initials"))
            }
        }
    }

    @Test func closureReportPageListsTheOutstandingTasks() async throws {
        try await Self.withSeededApp { client in
            try await client.execute(uri: "/plan/closure", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Tasks outstanding at closure: 6."))
                #expect(html.contains("Workstream K - Support for Carers"))
                #expect(html.contains("Produce outline model of future support for carers"))
                #expect(html.contains("Rachel Pirie – Commissioning &amp; Markets Lead for Older Adults"))
                #expect(html.components(separatedBy: "No tasks outstanding.").count - 1 == 9)
            }
        }
    }

    @Test func exportsAndListPagesAnswer() async throws {
        try await Self.withSeededApp { client in
            try await client.execute(uri: "/plan/export.csv", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(
                    String(buffer: response.body).hasPrefix(
                        "code,level,text,accountable,responsible,due_as_written,due_date,status,rag,rag_reason,latest_progress\r\n"
                    )
                )
            }
            try await client.execute(uri: "/plan/export.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"formatVersion\" : 1"))
            }
            try await client.execute(uri: "/plan/export.md", method: .get) { response in
                #expect(String(buffer: response.body).contains("### H2: "))
            }
            for uri in ["/plan/due", "/plan/owners", "/plan/metrics"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                }
            }
            try await client.execute(uri: "/plan/owners", method: .get) { response in
                #expect(String(buffer: response.body).contains("Bruno Holthof (BH)"))
            }
            try await client.execute(uri: "/plan/metrics", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Read live from the weekly ward lists."))
                #expect(html.contains("id=\"metric-stranded-patients-7\""))
            }
        }
    }

    @Test func apiRoundTrip() async throws {
        try await Self.withSeededApp { client in
            try await client.execute(uri: "/api/plan", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("\"rag\""))
                #expect(text.contains("\"H2\""))
            }
            try await client.execute(
                uri: "/api/plan/actions/H2/status",
                method: .put,
                headers: Self.json,
                body: ByteBuffer(string: #"{"author":"API client","status":"inProgress"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"status\":\"inProgress\""))
            }
            try await client.execute(
                uri: "/api/plan/actions/H2/notes",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: #"{"author":"API client","text":"Started again"}"#)
            ) { response in
                #expect(response.status == .created)
                let text = String(buffer: response.body)
                #expect(text.contains("Started again"))
                #expect(!text.contains("API client"))
                #expect(text.contains("\"rating\":\"green\""))
            }
            try await client.execute(
                uri: "/api/plan/actions/H2/notes",
                method: .post,
                headers: Self.json,
                body: ByteBuffer(string: #"{"author":"API client","text":"  "}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("needs some text"))
            }
            try await client.execute(
                uri: "/api/plan/metrics/readmissions-30-days-65/values/2018-04-01",
                method: .put,
                headers: Self.json,
                body: ByteBuffer(string: #"{"author":"API client","value":4.2}"#)
            ) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#""period":"2018-04-01""#) && text.contains(#""value":4.2"#))
            }
            try await client.execute(
                uri: "/api/plan/metrics/stranded-patients-7/values/2018-04-01",
                method: .put,
                headers: Self.json,
                body: ByteBuffer(string: #"{"author":"API client","value":1}"#)
            ) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/api/plan/actions/Q1", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(
                uri: "/api/plan/actions/H2/status",
                method: .put,
                headers: Self.json,
                body: ByteBuffer(string: #"{"author":"x","status":"done"}"#)
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
