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

/// The "done when": every route of the policy table × every role and
/// anonymous, with the outcome as designed. Written out here rather than
/// derived from ``AccessPolicy`` so that a change to the table shows up as a
/// failing test, not a silently different matrix.
@Suite("Access control: routes × roles")
struct AuthMatrixTests {
    /// A request to try, and who may make it (administrators may make every one).
    struct Probe: CustomStringConvertible {
        let method: HTTPRequest.Method
        let uri: String
        /// nil: anyone, signed in or not.
        let allowed: Set<Role>?
        var body: String = ""
        var contentType: String = "application/x-www-form-urlencoded"

        var isAPI: Bool { uri.hasPrefix("/api/") }
        var description: String { "\(method) \(uri)" }
    }

    /// The roles people sign in with: the feed role is an API token's only.
    static let people: [Role] = Role.allCases.filter { $0 != .feed }
    static let everyone: Set<Role> = Set(people)
    static let readers: Set<Role> = [.viewer, .planEditor, .executive, .level2, .data, .ward]

    static func probes(wardID: Int64, formID: Int64, importID: Int64, caseID: Int64) -> [Probe] {
        let week = ReviewWebFixture.week
        return [
            Probe(method: .get, uri: "/health", allowed: nil),
            Probe(method: .get, uri: "/ready", allowed: nil),
            Probe(method: .get, uri: "/metrics", allowed: nil),
            Probe(method: .get, uri: "/static/app.css", allowed: nil),
            Probe(method: .get, uri: "/login", allowed: nil),
            // POST /login is open too, but refused (403) without its form's token: LoginHardeningTests.
            Probe(method: .get, uri: "/", allowed: everyone),
            // Imports: data.
            Probe(method: .get, uri: "/imports", allowed: [.data]),
            // Hospital feeds: the data team's pages.
            Probe(method: .get, uri: "/feeds", allowed: [.data]),
            Probe(method: .get, uri: "/imports/\(importID)", allowed: [.data]),
            Probe(method: .get, uri: "/api/imports", allowed: [.data]),
            Probe(method: .get, uri: "/api/imports/\(importID)", allowed: [.data]),
            Probe(method: .post, uri: "/api/imports", allowed: [.data], body: "", contentType: "text/csv"),
            // Level 1 reviews: ward (its wards) and level2 read; ward writes.
            Probe(method: .get, uri: "/wards", allowed: [.ward, .level2]),
            Probe(method: .get, uri: "/wards/\(wardID)?week=\(week)", allowed: [.ward, .level2]),
            Probe(method: .get, uri: "/wards/\(wardID)/print?week=\(week)", allowed: [.ward, .level2]),
            Probe(method: .get, uri: "/forms/\(formID)", allowed: [.ward, .level2]),
            Probe(method: .post, uri: "/forms/\(formID)", allowed: [.ward], body: "action=save"),
            Probe(method: .get, uri: "/api/wards/\(wardID)/weeks/\(week)", allowed: [.ward, .level2]),
            Probe(method: .get, uri: "/api/forms/\(formID)", allowed: [.ward, .level2]),
            Probe(method: .put, uri: "/api/forms/\(formID)", allowed: [.ward], body: "{}", contentType: "application/json"),
            Probe(method: .post, uri: "/api/forms/\(formID)/complete", allowed: [.ward], body: "{}", contentType: "application/json"),
            // The action plan: readers read, plan editors edit.
            Probe(method: .get, uri: "/plan", allowed: readers),
            Probe(method: .get, uri: "/plan/due", allowed: readers),
            Probe(method: .get, uri: "/plan/export.csv", allowed: readers),
            Probe(method: .get, uri: "/api/plan", allowed: readers),
            Probe(method: .post, uri: "/plan/actions/H2", allowed: [.planEditor], body: "form=status&status=complete&author=X"),
            Probe(method: .put, uri: "/api/plan/actions/H2/status", allowed: [.planEditor], body: "{}", contentType: "application/json"),
            // Escalation: level2 runs its meeting; executives record the
            // call's decisions (level2 reads the list); administrators run jobs by
            // hand and read the configuration; level2 and data read the cycle.
            Probe(method: .get, uri: "/level2", allowed: [.level2]),
            Probe(method: .get, uri: "/level2/\(week)", allowed: [.level2]),
            Probe(method: .get, uri: "/api/level2/\(week)", allowed: [.level2]),
            Probe(method: .post, uri: "/level2/\(week)/cases/\(caseID)", allowed: [.level2], body: "decision=resolved-at-level2"),
            Probe(method: .post, uri: "/level2/\(week)/cases/\(caseID)/actions", allowed: [.level2], body: "description="),
            Probe(method: .post, uri: "/level2/\(week)/attendance", allowed: [.level2], body: "name="),
            Probe(
                method: .post,
                uri: "/api/level2/\(week)/cases/\(caseID)/decision",
                allowed: [.level2],
                body: "{}",
                contentType: "application/json"
            ),
            Probe(method: .get, uri: "/ce/\(week)", allowed: [.executive, .level2]),
            Probe(method: .get, uri: "/api/ce/\(week)", allowed: [.executive, .level2]),
            Probe(method: .post, uri: "/ce/\(week)/cases/\(caseID)", allowed: [.executive], body: "decision=keep"),
            Probe(
                method: .post,
                uri: "/api/ce/\(week)/cases/\(caseID)/decision",
                allowed: [.executive],
                body: #"{"decision": "keep"}"#,
                contentType: "application/json"
            ),
            Probe(method: .get, uri: "/cycle", allowed: [.level2, .data]),
            Probe(method: .get, uri: "/api/cycle", allowed: [.level2, .data]),
            // An unknown job (422/404 for an administrator): nothing runs.
            Probe(method: .post, uri: "/cycle/runs", allowed: [], body: "job="),
            Probe(method: .post, uri: "/api/cycle/not-a-job/runs", allowed: [], body: "{}", contentType: "application/json"),
            Probe(method: .get, uri: "/config", allowed: []),
            Probe(method: .get, uri: "/api/config", allowed: []),
            // The chief executive summary: executives and level2 read and build.
            Probe(method: .get, uri: "/summary", allowed: [.executive, .level2]),
            Probe(method: .get, uri: "/api/summaries/\(week)", allowed: [.executive, .level2]),
            // A build refused for its week (422): allowed, nothing built.
            Probe(method: .post, uri: "/summary", allowed: [.executive, .level2], body: "week="),
            Probe(
                method: .post,
                uri: "/api/summaries/2026-11-17/builds",
                allowed: [.executive, .level2],
                body: "{}",
                contentType: "application/json"
            ),
            // Trends: counts with no identifiers, for the reading roles.
            Probe(method: .get, uri: "/trends", allowed: [.data, .viewer, .executive, .level2]),
            Probe(method: .get, uri: "/api/trends?scope=system", allowed: [.data, .viewer, .executive, .level2]),
            // Administration.
            Probe(method: .get, uri: "/admin/users", allowed: []),
            Probe(method: .get, uri: "/admin/tokens", allowed: []),
            Probe(method: .get, uri: "/admin/audit", allowed: []),
            Probe(method: .get, uri: "/admin/audit.csv", allowed: []),
            Probe(method: .post, uri: "/admin/users", allowed: [], body: "username="),
            // Not in the table: administrators only.
            Probe(method: .get, uri: "/not-a-route", allowed: []),
            Probe(method: .delete, uri: "/plan", allowed: [.planEditor]),
        ]
    }

    enum Who: CustomStringConvertible {
        case anonymous
        case role(Role)
        var description: String {
            switch self {
            case .anonymous: "anonymous"
            case let .role(role): role.rawValue
            }
        }
    }

    @Test func everyRouteOfThePolicyTableAnswersEveryRoleAsDesigned() async throws {
        try await TestCluster.withDatabase(poolSize: 8) { database in
            let fixture = try await ReviewWebFixture(database: database)
            try await PlanService(database: database, policy: .standard).loadSeedPlanIfMissing()
            let formID: Int64 = try await database.client.query("SELECT min(id) AS id FROM level1_form")[0].decode("id")
            let importID: Int64 = try await database.client.query("SELECT min(id) AS id FROM import_file")[0].decode("id")
            let caseID: Int64 = try await database.client.query("SELECT min(id) AS id FROM patient_case")[0].decode("id")
            var signedIn: [Role: SignedIn] = [:]
            for role in Self.people {
                signedIn[role] = try await SignedIn.create(database, roles: [role == .ward ? RoleGrant(.ward, scope: ["ACU1/W1"]) : RoleGrant(role)])
            }
            let users = signedIn
            let probes = Self.probes(wardID: fixture.wardID, formID: formID, importID: importID, caseID: caseID)
            try await fixture.app().test(.router) { raw in
                for probe in probes {
                    for who in [Who.anonymous] + Self.people.map(Who.role) {
                        let client: any TestClientProtocol =
                            switch who {
                            case .anonymous: raw
                            case let .role(role): users[role]!.client(raw)
                            }
                        try await client.execute(
                            uri: probe.uri,
                            method: probe.method,
                            headers: [.contentType: probe.contentType],
                            body: ByteBuffer(string: probe.body)
                        ) { response in
                            let toLogin = response.status == .seeOther && response.headers[.location]?.hasPrefix("/login") == true
                            let label = "\(probe) as \(who): \(response.status.code)"
                            guard let allowed = probe.allowed else {
                                #expect(response.status != .unauthorized && response.status != .forbidden && !toLogin, "\(label)")
                                return
                            }
                            switch who {
                            case .anonymous:
                                if probe.isAPI {
                                    #expect(response.status == .unauthorized, "\(label)")
                                    #expect(response.headers[.wwwAuthenticate] == "Bearer", "\(label)")
                                } else {
                                    #expect(toLogin, "\(label)")
                                }
                            case let .role(role) where role == .administrator || allowed.contains(role):
                                #expect(response.status != .unauthorized && response.status != .forbidden && !toLogin, "\(label)")
                            case .role:
                                #expect(response.status == .forbidden, "\(label)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func anonymousPagesGoToTheLoginPageWithWhereTheyWereGoing() async throws {
        try await TestCluster.withDatabase { database in
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            try await app.test(.router) { client in
                try await client.execute(uri: "/plan/due?x=1", method: .get) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/login?next=/plan/due%3Fx%3D1")
                }
                // Only a path on this site is accepted as `next`.
                for next in ["//evil.example/x", "https://evil.example/", "/\\evil.example"] {
                    try await client.execute(uri: "/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", method: .get) {
                        response in
                        #expect(response.status == .ok)
                        #expect(String(buffer: response.body).contains("name=\"next\" value=\"/\""), "\(next)")
                    }
                }
                try await client.execute(uri: "/api/plan", method: .get) { response in
                    #expect(response.status == .unauthorized)
                    #expect(String(buffer: response.body).contains("\"message\""))
                }
                // A bearer token is for the API, not the pages; an unknown one is refused.
                try await client.execute(uri: "/api/plan", method: .get, headers: [.authorization: "Bearer strd_nonsense"]) { response in
                    #expect(response.status == .unauthorized)
                }
            }
        }
    }

    /// Out-of-scope records answer 404, never 403: a ward user cannot tell
    /// whether another ward's form exists.
    @Test func aWardUserCannotReadOrChangeAnotherWardsPatients() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let form = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )[0]
            let elsewhere = try await SignedIn.create(database, roles: [RoleGrant(.ward, scope: ["ACU1/W9"])])
            let otherTrust = try await SignedIn.create(database, roles: [RoleGrant(.level2, scope: ["R9Z"])])
            let sameTrust = try await SignedIn.create(database, roles: [RoleGrant(.level2, scope: ["R9A"])])
            let wholeSite = try await SignedIn.create(database, roles: [RoleGrant(.ward, scope: ["ACU1"])])
            let save = "{\"version\": \(form.version), \"review\": \(completeReviewJSON)}"
            try await fixture.app().test(.router) { raw in
                for user in [elsewhere, otherTrust] {
                    let client = user.client(raw)
                    for uri in [
                        "/forms/\(form.id)", "/api/forms/\(form.id)", "/wards/\(fixture.wardID)?week=\(ReviewWebFixture.week)",
                        "/wards/\(fixture.wardID)/print?week=\(ReviewWebFixture.week)",
                        "/api/wards/\(fixture.wardID)/weeks/\(ReviewWebFixture.week)",
                    ] {
                        try await client.execute(uri: uri, method: .get) { response in
                            #expect(response.status == .notFound, "\(uri) as \(user.username)")
                            #expect(!String(buffer: response.body).contains("ADAMS"))
                        }
                    }
                    try await client.execute(uri: "/wards?week=\(ReviewWebFixture.week)", method: .get) { response in
                        #expect(response.status == .ok)
                        #expect(!String(buffer: response.body).contains("Ward One"))
                    }
                    try await client.execute(
                        uri: "/api/forms/\(form.id)",
                        method: .put,
                        headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: save)
                    ) { response in
                        #expect(response.status == .notFound || (user.username == otherTrust.username && response.status == .forbidden))
                    }
                    try await client.execute(
                        uri: "/forms/\(form.id)",
                        method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: "version=\(form.version)&action=save")
                    ) { response in
                        // level2 may not write forms at all (403); the other ward's user finds nothing (404).
                        #expect(response.status == .notFound || (user.username == otherTrust.username && response.status == .forbidden))
                    }
                }
                // Unchanged.
                #expect(try await ReviewService(database: database, policy: .standard).form(id: form.id)?.version == form.version)
                for user in [sameTrust, wholeSite] {
                    try await user.client(raw).execute(uri: "/forms/\(form.id)", method: .get) { response in
                        #expect(response.status == .ok, "\(user.username)")
                    }
                }
            }
        }
    }
}
