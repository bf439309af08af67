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

/// The people these tests sign in as: the Level 2 chair (level2,
/// all organisations), an executive, someone from the data team, an administrator.
private struct Users {
    let level2: SignedIn
    let executive: SignedIn
    let data: SignedIn
    let administrator: SignedIn

    init(_ database: Database) async throws {
        level2 = try await SignedIn.create(database, roles: [RoleGrant(.level2)], username: "chair")
        executive = try await SignedIn.create(database, roles: [RoleGrant(.executive)], username: "ceo")
        data = try await SignedIn.create(database, roles: [RoleGrant(.data)], username: "analyst")
        administrator = try await SignedIn.create(database, roles: [RoleGrant(.administrator)], username: "admin")
    }
}

/// Sends every request of these tests (one place); the client is signed in.
private func send(
    _ client: any TestClientProtocol,
    _ uri: String,
    method: HTTPRequest.Method = .get,
    form: String? = nil,
    json body: String? = nil,
    _ check: (TestResponse) async throws -> Void
) async throws {
    var headers: HTTPFields = [:]
    var buffer: ByteBuffer?
    if let form {
        headers[.contentType] = "application/x-www-form-urlencoded"
        buffer = ByteBuffer(string: form)
    } else if let body {
        headers[.contentType] = "application/json"
        buffer = ByteBuffer(string: body)
    }
    let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: buffer)
    try await check(response)
}

@Suite("Level 2, the chief executive call, the cycle and the configuration on the web")
struct Level2PagesTests {
    static let week = "2026-11-16"

    /// ReviewWebFixture's ward (Adams LoS 15, Brown LoS 27, Cole LoS 8), none reviewed, past the deadline.
    func escalated(_ database: Database) async throws -> (fixture: ReviewWebFixture, brown: Int64) {
        let fixture = try await ReviewWebFixture(database: database)
        let runner = CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil)
        let week = ReviewWeek(monday: CalendarDate(iso: Self.week)!)!
        _ = try await runner.run(.applyLevel1Deadline, week: week, actor: "test")
        _ = try await runner.run(.buildLevel2Agenda, week: week, actor: "test")
        let brown: Int64 = try await database.client.query(
            """
            SELECT c.id FROM patient_case c WHERE c.nhs_number = '9990000026'
            """
        )[0].decode("id")
        return (fixture, brown)
    }

    @Test func theAgendaRendersAndTheMeetingIsRecorded() async throws {
        try await TestCluster.withDatabase { database in
            let (fixture, brown) = try await escalated(database)
            let users = try await Users(database)
            try await fixture.app().test(.router) { raw in
                let chair = users.level2.client(raw)
                let admin = users.administrator.client(raw)
                let executive = users.executive.client(raw)
                // The index: one row per case, by reference, no patient names.
                try await send(chair, "/level2/\(Self.week)") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    let html = String(buffer: response.body)
                    #expect(!html.contains("BROWN, Bob"))
                    #expect(html.contains("<tr id=\"\(CaseReference(caseID: brown).anchor)\">"))
                    #expect(html.contains("href=\"/level2/\(Self.week)/cases/\(CaseReference(caseID: brown))\""))
                    #expect(html.contains("0 of 3 decided, 3 to go"))
                    #expect(html.contains("L2-INCOMPLETE"))
                }
                try await send(chair, "/level2/\(Self.week)/cases/\(CaseReference(caseID: brown))") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    let html = String(buffer: response.body)
                    #expect(html.contains("BROWN, Bob"))
                    #expect(html.contains("L2-INCOMPLETE"))
                    #expect(html.contains("L2-LONG-NO-EDD"))
                    #expect(html.contains("Version 1"))
                    #expect(html.contains("3 cases: 3 new"))
                    // A ward named "Ward One" is not "Ward Ward One"; a blank form leaves no "–; ;".
                    #expect(html.contains("Ward One (W1)") && !html.contains("Ward Ward"))
                    #expect(!html.contains("; ;") && html.contains("Day status not recorded; no reviewers recorded; No outcome recorded"))
                    #expect(html.contains("days</strong> on this week’s list"))
                }
                // A referral without an ask is refused with the reason.
                try await send(chair, "/level2/\(Self.week)/cases/\(brown)", method: .post, form: "decision=refer-to-ce&ask=&notes=") { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(String(buffer: response.body).contains("needs an ask"))
                }
                try await send(
                    chair,
                    "/level2/\(Self.week)/cases/\(brown)",
                    method: .post,
                    form: "decision=refer-to-ce&ask=Fund+a+nursing+home+bed&notes=Discussed"
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(
                        response.headers[.location]
                            == "/level2/\(Self.week)/cases/\(CaseReference(caseID: brown))?saved=decision&case=\(CaseReference(caseID: brown))"
                    )
                }
                try await send(
                    chair,
                    "/level2/\(Self.week)/cases/\(brown)/actions",
                    method: .post,
                    form: "description=Find+a+bed&owner=Head+of+commissioning&agency=social-care&due_date=2026-11-23"
                ) { response in
                    #expect(response.status == .seeOther)
                }
                try await send(chair, "/level2/\(Self.week)/attendance", method: .post, form: "name=Alex+Morgan&role=Chair&agency=nhs&present=yes") {
                    response in
                    #expect(response.status == .seeOther)
                }
                try await send(chair, "/level2/\(Self.week)/cases/\(brown)") { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("Refer to the chief executive call"))
                    #expect(html.contains("Fund a nursing home bed"))
                    #expect(html.contains("Agreed: Find a bed"))
                }
                try await send(chair, "/level2/\(Self.week)") { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("1 of 3 decided, 2 to go"))
                    #expect(html.contains("Alex Morgan, Chair"))
                }
                // The whole agenda, read-only, for print: every case in full, no forms.
                try await send(chair, "/level2/\(Self.week)/print") { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("BROWN, Bob") && html.contains("Agreed: Find a bed") && html.contains("Alex Morgan, Chair"))
                    #expect(!html.contains("name=\"decision\""))
                }
                // The chief executive rules run and the summary is built (the
                // service's own builder); the call sees a reference, not the name.
                try await send(admin, "/api/cycle/ce-summary/runs", method: .post, json: #"{"week": "\#(Self.week)"}"#) { response in
                    #expect(response.status == .ok)
                    let body = try jsonObject(response.body)
                    #expect((body["message"] as? String)?.contains("Summary built.") == true)
                }
                try await send(executive, "/ce/\(Self.week)") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    let html = String(buffer: response.body)
                    #expect(html.contains(CaseReference(caseID: brown).description))
                    #expect(html.contains("CE-REFERRED"))
                    #expect(!html.contains("Brown"))
                    #expect(!html.contains("9990000026"))
                }
                try await send(executive, "/ce/\(Self.week)/cases/\(brown)", method: .post, form: "decision=resolved&notes=Funded") { response in
                    #expect(response.status == .seeOther)
                }
                try await send(executive, "/api/ce/\(Self.week)") { response in
                    let cases = try jsonObject(response.body)["cases"] as? [[String: Any]] ?? []
                    #expect(cases.first?["status"] as? String == "resolved")
                }
                let states: [String] = try await database.client.query("SELECT status FROM escalation WHERE case_id = \(brown) ORDER BY id")
                    .map { try $0.decode("status") }
                #expect(states == ["resolved", "resolved"])
            }
        }
    }

    struct Broken: Error, CustomStringConvertible {
        var description: String { "the summary webhook refused the delivery" }
    }

    @Test func aFailedJobIsShownOnTheCyclePageAndAPI() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let week = ReviewWeek(monday: CalendarDate(iso: Self.week)!)!
            _ = try await CycleJobStore(database: database).attempt(
                job: .buildChiefExecutiveSummary,
                week: week,
                runner: "replica-a",
                manual: false,
                force: false,
                now: Date(),
                retryDelay: { _ in 60 }
            ) { throw Broken() }
            let users = try await Users(database)
            try await fixture.app().test(.router) { raw in
                let data = users.data.client(raw)
                try await send(data, "/cycle") { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("1 job run(s) failed"))
                    #expect(html.contains("the summary webhook refused the delivery"))
                }
                try await send(data, "/api/cycle") { response in
                    let body = try jsonObject(response.body)
                    #expect(body["failures"] as? Int == 1)
                    let runs = body["runs"] as? [[String: Any]] ?? []
                    #expect((runs.first?["lastError"] as? String)?.contains("webhook") == true)
                }
            }
        }
    }

    @Test func apiVersionsCycleAndConfig() async throws {
        try await TestCluster.withDatabase { database in
            let (fixture, brown) = try await escalated(database)
            let users = try await Users(database)
            try await fixture.app().test(.router) { raw in
                let chair = users.level2.client(raw)
                let admin = users.administrator.client(raw)
                try await send(chair, "/api/level2/\(Self.week)") { response in
                    #expect(response.status == .ok)
                    let body = try jsonObject(response.body)
                    #expect(body["version"] as? Int == 1)
                    let groups = (body["agenda"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
                    #expect(groups.flatMap { $0["cases"] as? [[String: Any]] ?? [] }.count == 3)
                }
                try await send(chair, "/api/level2/\(Self.week)/cases/\(brown)/decision", method: .post, json: #"{"decision": "resolved-at-level2"}"#)
                { response in
                    #expect(response.status == .ok)
                }
                try await send(admin, "/api/cycle/level2-agenda/runs", method: .post, json: #"{"week": "\#(Self.week)"}"#) { response in
                    #expect(response.status == .ok)
                    let body = try jsonObject(response.body)
                    #expect(body["agendaVersion"] as? Int == 2)
                }
                try await send(chair, "/api/level2/\(Self.week)/versions/1") { response in
                    let body = try jsonObject(response.body)
                    let groups = (body["agenda"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
                    #expect(groups.flatMap { $0["cases"] as? [[String: Any]] ?? [] }.count == 3)  // as the meeting saw it
                }
                try await send(chair, "/level2/\(Self.week)/versions/1") { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("This is an earlier version"))
                }
                try await send(chair, "/api/level2/\(Self.week)") { response in
                    let body = try jsonObject(response.body)
                    #expect(body["version"] as? Int == 2)
                }
                try await send(admin, "/api/cycle/not-a-job/runs", method: .post, json: #"{"week": "\#(Self.week)"}"#) { response in
                    #expect(response.status == .notFound)
                }
                try await send(admin, "/api/cycle/open-week/runs", method: .post, json: #"{"week": "2026-11-17"}"#) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("2026-11-16"))
                }
                try await send(admin, "/api/cycle") { response in
                    let runs = try jsonObject(response.body)["runs"] as? [[String: Any]] ?? []
                    #expect(runs.map { $0["job"] as? String } == ["level2-agenda"])
                }
                try await send(admin, "/cycle") { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("Build the Level 2 agenda"))
                }
                try await send(admin, "/cycle/runs", method: .post, form: "job=open-week&week=\(Self.week)") { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/cycle?ran=open-week&week=\(Self.week)")
                }
                try await send(admin, "/api/config") { response in
                    let body = try jsonObject(response.body)
                    #expect(body["source"] as? String == "built-in defaults")
                    #expect((body["rules"] as? [[String: Any]])?.count == EscalationRuleID.allCases.count)
                }
                try await send(admin, "/config") { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("L2-SAME-REASON"))
                }
                try await send(chair, "/level2/2026-11-09") { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("No agenda has been built for this week yet"))
                }
                try await send(chair, "/ce/2026-11-09") { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("No cases for the chief executive call this week"))
                }
                try await send(chair, "/level2") { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("/level2/\(Self.week)"))
                }
            }
        }
    }

    // MARK: Access control

    /// A level2 user scoped to another organisation neither sees the case on
    /// the agenda or the call's list nor can record anything for it (404,
    /// not 403: they cannot tell that it exists); one scoped to the case's
    /// organisation can.
    @Test func aLevel2UserOfAnotherOrganisationCannotSeeOrRecordTheCase() async throws {
        try await TestCluster.withDatabase { database in
            let (fixture, brown) = try await escalated(database)
            let otherTrust = try await SignedIn.create(database, roles: [RoleGrant(.level2, scope: ["R9Z"])], username: "other-chair")
            let sameTrust = try await SignedIn.create(database, roles: [RoleGrant(.level2, scope: ["R9A"])], username: "own-chair")
            try await fixture.app().test(.router) { raw in
                let other = otherTrust.client(raw)
                let own = sameTrust.client(raw)
                try await send(other, "/level2/\(Self.week)") { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(!html.contains("BROWN"))
                    #expect(!html.contains("9990000026"))
                    #expect(!html.contains("id=\"\(CaseReference(caseID: brown).anchor)\""))
                }
                try await send(other, "/level2/\(Self.week)/cases/\(CaseReference(caseID: brown))") { response in
                    #expect(response.status == .notFound)
                    #expect(!String(buffer: response.body).contains("BROWN"))
                }
                try await send(other, "/api/level2/\(Self.week)") { response in
                    #expect(response.status == .ok)
                    let groups = (try jsonObject(response.body)["agenda"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
                    #expect(groups.flatMap { $0["cases"] as? [[String: Any]] ?? [] }.isEmpty)
                    #expect(!String(buffer: response.body).contains("9990000026"))
                }
                try await send(other, "/level2/\(Self.week)/cases/\(brown)", method: .post, form: "decision=resolved-at-level2&notes=x") { response in
                    #expect(response.status == .notFound)
                }
                try await send(
                    other,
                    "/level2/\(Self.week)/cases/\(brown)/actions",
                    method: .post,
                    form: "description=Find+a+bed&owner=Someone&agency=nhs&due_date=2026-11-23"
                ) { response in
                    #expect(response.status == .notFound)
                }
                try await send(
                    other,
                    "/api/level2/\(Self.week)/cases/\(brown)/decision",
                    method: .post,
                    json: #"{"decision": "resolved-at-level2"}"#
                ) { response in
                    #expect(response.status == .notFound)
                }
                // The list of meetings counts only the cases the user may see.
                let all: Int = try await database.client.query(
                    """
                    SELECT cardinality(case_ids) AS n FROM level2_agenda ORDER BY week DESC, version DESC LIMIT 1
                    """
                )[0].decode("n")
                #expect(all > 0)
                for (client, expected) in [(other, 0), (own, all)] {  // every case of the fixture is at the user's own trust
                    try await send(client, "/api/level2") { response in
                        let versions = try jsonObject(response.body)["versions"] as? [[String: Any]] ?? []
                        #expect(versions.first?["cases"] as? Int == expected)
                    }
                }
                // Nothing was recorded.
                #expect(try await database.client.query("SELECT 1 FROM level2_case_record WHERE case_id = \(brown)").isEmpty)
                #expect(try await database.client.query("SELECT 1 FROM level2_action WHERE case_id = \(brown)").isEmpty)
                // The case's own organisation sees and records it.
                try await send(own, "/level2/\(Self.week)/cases/\(brown)") { response in
                    #expect(String(buffer: response.body).contains("BROWN, Bob"))
                }
                try await send(
                    own,
                    "/level2/\(Self.week)/cases/\(brown)",
                    method: .post,
                    form: "decision=refer-to-ce&ask=Fund+a+nursing+home+bed"
                ) { response in
                    #expect(response.status == .seeOther)
                }
                // `?organisation=` only narrows: another organisation's id shows nothing even to the own organisation.
                try await send(own, "/level2/\(Self.week)?organisation=999999") { response in
                    #expect(!String(buffer: response.body).contains("BROWN"))
                }
                // The call's list, once referred: the other organisation's level2 user does not see the case.
                _ = try await CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil).run(
                    .buildChiefExecutiveSummary,
                    week: ReviewWeek(monday: CalendarDate(iso: Self.week)!)!,
                    actor: "test"
                )
                try await send(own, "/api/ce/\(Self.week)") { response in
                    let cases = try jsonObject(response.body)["cases"] as? [[String: Any]] ?? []
                    #expect(cases.count == 1)
                }
                try await send(other, "/api/ce/\(Self.week)") { response in
                    let cases = try jsonObject(response.body)["cases"] as? [[String: Any]] ?? []
                    #expect(cases.isEmpty)
                }
            }
        }
    }

    /// Recording at Level 2 is audited with the signed-in user's name, in the
    /// same transaction; so are the agenda build and reads of the agenda.
    @Test func recordingADecisionWritesAnAuditRowWithTheUsersName() async throws {
        try await TestCluster.withDatabase { database in
            let (fixture, brown) = try await escalated(database)
            let users = try await Users(database)
            try await fixture.app().test(.router) { raw in
                let chair = users.level2.client(raw)
                try await send(
                    chair,
                    "/level2/\(Self.week)/cases/\(brown)",
                    method: .post,
                    form: "decision=refer-to-ce&ask=Fund+a+nursing+home+bed&notes=Discussed"
                ) { response in
                    #expect(response.status == .seeOther)
                }
                try await send(chair, "/level2/\(Self.week)") { response in
                    #expect(response.status == .ok)
                }
                try await send(
                    chair,
                    "/level2/\(Self.week)/cases/\(brown)/actions",
                    method: .post,
                    form: "description=Find+a+bed&owner=Head+of+commissioning&agency=social-care&due_date=2026-11-23"
                ) { response in
                    #expect(response.status == .seeOther)
                }
                try await send(chair, "/level2/\(Self.week)/attendance", method: .post, form: "name=Alex+Morgan&role=Chair&agency=nhs") { response in
                    #expect(response.status == .seeOther)
                }
                try await send(
                    users.administrator.client(raw),
                    "/api/cycle/ce-summary/runs",
                    method: .post,
                    json: #"{"week": "\#(Self.week)"}"#
                ) { response in
                    #expect(response.status == .ok)
                }
                try await send(
                    users.executive.client(raw),
                    "/ce/\(Self.week)/cases/\(brown)",
                    method: .post,
                    form: "decision=resolved&notes=Funded"
                ) { response in
                    #expect(response.status == .seeOther)
                }
            }
            let trail = AuditTrail(database: database)
            #expect(try await trail.search(AuditQuery(entityType: "level2_action", caseID: brown)).map(\.username) == ["chair"])
            #expect(try await trail.search(AuditQuery(entityType: "level2_attendance")).map(\.username) == ["chair"])
            #expect(try await trail.search(AuditQuery(entityType: "ce_decision", caseID: brown)).map(\.username) == ["ceo"])
            // Resolving at the call closed both escalations (Level 2 and the call's), each audited.
            let resolved = try await trail.search(AuditQuery(action: "resolve", entityType: "escalation", caseID: brown))
            #expect(resolved.count == 2 && resolved.allSatisfy { $0.username == "ceo" })
            // The call's escalation was opened by the chair's referral itself (the
            // call's list shows it at once), not by the summary job run later.
            #expect(
                try await trail.search(AuditQuery(action: "open", entityType: "escalation", caseID: brown)).map(\.username)
                    == ["chair", "system"]
            )
            #expect(try await trail.search(AuditQuery(action: "run", entityType: "cycle_job_run")).map(\.username) == ["token:token-admin"])
            let recorded = try await trail.search(AuditQuery(entityType: "level2_case_record", caseID: brown))
            #expect(recorded.count == 1)
            #expect(recorded.first?.username == "chair")
            #expect(recorded.first?.action == "create")
            #expect(recorded.first?.roles == "level2")
            #expect(recorded.first?.nhsNumber == "9990000026")
            #expect(recorded.first?.after?.contains("Fund a nursing home bed") == true)
            let stored: String = try await database.client.query(
                """
                SELECT recorded_by FROM level2_case_record WHERE case_id = \(brown)
                """
            )[0].decode("recorded_by")
            #expect(stored == "chair")
            // The escalation's opening (by the scheduler, as `system`) and the agenda build were audited too.
            #expect(try await trail.search(AuditQuery(action: "build", entityType: "level2_agenda")).count == 1)
            let reads = try await trail.search(AuditQuery(username: "chair", action: "read", entityType: "level2_agenda"))
            #expect(reads.first?.entityID == "\(Self.week)/v1")
        }
    }

    /// A browser's form POST end to end: the page's form carries the session's
    /// CSRF token in `_csrf`; posting it back with only the cookie works, and
    /// without it the POST is refused (403).
    @Test func aSignedInFormPostCarriesItsCSRFToken() async throws {
        try await TestCluster.withDatabase { database in
            let (fixture, brown) = try await escalated(database)
            let users = try await Users(database)
            try await fixture.app().test(.router) { raw in
                let cookieOnly: HTTPFields = [.cookie: users.level2.cookie, .contentType: "application/x-www-form-urlencoded"]
                var token = ""
                try await raw.execute(uri: "/level2/\(Self.week)", method: .get, headers: [.cookie: users.level2.cookie]) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("<input type=\"hidden\" name=\"_csrf\" value=\"\(users.level2.csrf)\">"))
                    token = users.level2.csrf
                }
                let form = "_csrf=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&decision=refer-to-ce&ask=Fund+a+bed"
                try await raw.execute(
                    uri: "/level2/\(Self.week)/cases/\(brown)",
                    method: .post,
                    headers: cookieOnly,
                    body: ByteBuffer(string: form)
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(
                        response.headers[.location]
                            == "/level2/\(Self.week)/cases/\(CaseReference(caseID: brown))?saved=decision&case=\(CaseReference(caseID: brown))"
                    )
                }
                try await raw.execute(
                    uri: "/level2/\(Self.week)/cases/\(brown)",
                    method: .post,
                    headers: cookieOnly,
                    body: ByteBuffer(string: "decision=refer-to-ce&ask=Fund+a+bed")
                ) { response in
                    #expect(response.status == .forbidden)
                }
                // The cycle page's run form, as an administrator.
                let adminCookie: HTTPFields = [.cookie: users.administrator.cookie, .contentType: "application/x-www-form-urlencoded"]
                try await raw.execute(uri: "/cycle", method: .get, headers: [.cookie: users.administrator.cookie]) { response in
                    #expect(String(buffer: response.body).contains("name=\"_csrf\" value=\"\(users.administrator.csrf)\""))
                }
                let run =
                    "_csrf=\(users.administrator.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&job=open-week&week=\(Self.week)"
                try await raw.execute(uri: "/cycle/runs", method: .post, headers: adminCookie, body: ByteBuffer(string: run)) { response in
                    #expect(response.status == .seeOther)
                }
            }
            // The run by hand is audited with the administrator's name.
            let runs = try await AuditTrail(database: database).search(AuditQuery(action: "run", entityType: "cycle_job_run"))
            #expect(runs.map(\.username) == ["admin"])
            #expect(runs.first?.entityID == "open-week/\(Self.week)")
        }
    }
}
