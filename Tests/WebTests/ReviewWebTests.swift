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

/// A registered site and an imported week of one ward, for the review tests.
struct ReviewWebFixture {
    static let sites = """
        organisation_code,organisation_name,site_code,site_name,setting
        R9A,Northshire Hospitals,ACU1,Northshire General,acute
        """
    /// Three stranded patients on W1 (LoS 15, 27, 8) and one not yet (LoS 3), snapshot Monday 16 Nov 2026.
    static let list = """
        site_code,ward_code,ward_name,nhs_number,admission_date,family_name,given_name,age,expected_discharge_date,discharge_pathway,delay_reason
        ACU1,W1,Ward One,9990000018,2026-11-01,Adams,Ann,81,2026-11-25,1,care package at home
        ACU1,W1,Ward One,9990000026,2026-10-20,Brown,Bob,90,,,nursing home
        ACU1,W1,Ward One,9990000034,2026-11-08,Cole,Cath,70,,,
        ACU1,W1,Ward One,9990000042,2026-11-13,Dale,Dan,66,,,
        """
    static let week = "2026-11-16"

    let database: Database
    let wardID: Int64

    init(database: Database) async throws {
        self.database = database
        try await SiteReferenceImporter(database: database).importCSV(Self.sites)
        let directory = try makeScratchDirectory("review-web")
        let url = URL(fileURLWithPath: directory).appendingPathComponent("w1.csv")
        try Data(Self.list.utf8).write(to: url)
        _ = try await WardListImporter(database: database, policy: .standard).importFile(
            at: url,
            source: .cli,
            snapshotDate: CalendarDate(iso: Self.week),
            today: CalendarDate(iso: "2026-11-23")!
        )
        try await database.listsArrivedOnTime()
        wardID = try await database.client.query("SELECT id FROM ward WHERE code = 'W1'")[0].decode("id")
    }

    /// Ward staff of W1, signed in.
    func signedIn() async throws -> SignedIn {
        try await SignedIn.create(database, roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
    }

    func app() async throws -> some ApplicationProtocol {
        buildApplication(configuration: .init(), dependencies: try await AppDependencies.forTests(database: database), logger: Logger(label: "test"))
    }
}

/// A full answer as the JSON API takes it.
let completeReviewJSON = """
    {"q1": {"reasons": [{"code": "care-package-home", "isPrimary": true}, {"code": "therapy"}], "narrative": "Awaiting a care package."},
     "q2": {"actions": [{"description": "Chase brokerage", "owner": "S Patel, social worker", "agency": "social-care", "dueDate": "2026-11-19"}],
            "expectedDischargeDate": "2026-11-27", "pathway": 1},
     "q3": {"narrative": "Refer to social care on admission.", "learningTheme": "early referral"},
     "status": "red",
     "reviewers": {"health": "Sister Jones", "socialCare": "Sam Patel"},
     "outcome": {"kind": "managed-at-ward"}}
    """

func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any] ?? [:]
}

@Suite("Level 1 reviews through the API and the pages")
struct ReviewWebTests {
    @Test func aWardsWeekEndToEndFromImportToAllComplete() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                var forms: [[String: Any]] = []
                try await client.execute(uri: "/api/wards/\(fixture.wardID)/weeks/\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(response.status == .ok)
                    let json = try jsonObject(response.body)
                    forms = json["forms"] as? [[String: Any]] ?? []
                    #expect((json["deadline"] as? String) == "2026-11-18T17:00:00Z")
                }
                // The ward page, rendered (and cached) before any form is done.
                try await client.execute(uri: "/wards/\(fixture.wardID)?week=\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(String(buffer: response.body).contains("0 of 3 complete"))
                }
                // Longest stay first; Dale (LoS 3) has no form.
                #expect(forms.map { $0["familyName"] as? String } == ["Brown", "Adams", "Cole"])
                #expect(forms.allSatisfy { $0["status"] as? String == "not-started" })
                for form in forms {
                    let id = form["id"] as? Int ?? 0
                    let body = "{\"version\": \(form["version"] as? Int ?? 0), \"updatedBy\": \"Nurse\", \"review\": \(completeReviewJSON)}"
                    try await client.execute(
                        uri: "/api/forms/\(id)/complete",
                        method: .post,
                        headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: body)
                    ) { response in
                        #expect(response.status == .ok)
                        let json = try jsonObject(response.body)
                        #expect((json["form"] as? [String: Any])?["status"] as? String == "complete")
                        #expect((json["problems"] as? [Any])?.isEmpty == true)
                    }
                }
                try await client.execute(uri: "/api/wards/\(fixture.wardID)/weeks/\(ReviewWebFixture.week)", method: .get) { response in
                    let forms = try jsonObject(response.body)["forms"] as? [[String: Any]] ?? []
                    #expect(forms.count == 3)
                    #expect(forms.allSatisfy { $0["status"] as? String == "complete" })
                }
                try await client.execute(uri: "/wards/\(fixture.wardID)?week=\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("3 of 3 complete"))
                    #expect(html.contains("All forms done for this week"))
                    #expect(!html.contains("Not started"))
                    #expect(response.headers[.cacheControl] == "no-store")
                }
            }
        }
    }

    @Test func completingAnIncompleteFormAnswers422WithTheMissingFields() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let id = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )[0].id
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                try await client.execute(uri: "/api/forms/\(id)/complete", method: .post) { response in
                    #expect(response.status == .unprocessableContent)
                    let json = try jsonObject(response.body)
                    let fields = (json["problems"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                    for field in ["q1.narrative", "q2.actions", "q3.narrative", "reviewers.health", "reviewers.socialCare", "outcome"] {
                        #expect(fields.contains(field), "\(field) should be listed")
                    }
                    #expect(((json["error"] as? [String: Any])?["message"] as? String)?.contains("not complete") == true)
                }
                // An escalation with no ask, sent with the answers: saved as a draft, still 422.
                let escalating = completeReviewJSON.replacingOccurrences(
                    of: "{\"kind\": \"managed-at-ward\"}",
                    with: "{\"kind\": \"escalate-to-level2\"}"
                )
                try await client.execute(
                    uri: "/api/forms/\(id)/complete",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: "{\"version\": 1, \"review\": \(escalating)}")
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let json = try jsonObject(response.body)
                    let fields = (json["problems"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                    #expect(fields == ["outcome.ask"])
                    #expect((json["form"] as? [String: Any])?["version"] as? Int == 2)
                }
                try await client.execute(uri: "/api/forms/\(id)", method: .get) { response in
                    let form = try jsonObject(response.body)["form"] as? [String: Any]
                    #expect(form?["status"] as? String == "in-progress")
                }
            }
        }
    }

    @Test func aStaleSaveAnswers409WithBothVersions() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let id = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )[0].id
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                let first = "{\"version\": 1, \"updatedBy\": \"First\", \"review\": {\"q1\": {\"narrative\": \"first\"}}}"
                try await client.execute(
                    uri: "/api/forms/\(id)",
                    method: .put,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: first)
                ) { response in
                    #expect(response.status == .ok)
                    let json = try jsonObject(response.body)
                    #expect((json["form"] as? [String: Any])?["version"] as? Int == 2)
                }
                let second = "{\"version\": 1, \"updatedBy\": \"Second\", \"review\": {\"q1\": {\"narrative\": \"second\"}}}"
                try await client.execute(
                    uri: "/api/forms/\(id)",
                    method: .put,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: second)
                ) { response in
                    #expect(response.status == .conflict)
                    let json = try jsonObject(response.body)
                    let yours = json["yours"] as? [String: Any]
                    let current = json["current"] as? [String: Any]
                    #expect(yours?["version"] as? Int == 1)
                    #expect(((yours?["review"] as? [String: Any])?["q1"] as? [String: Any])?["narrative"] as? String == "second")
                    #expect(current?["version"] as? Int == 2)
                    // Authorship is the caller's (here the API token's name), whatever a client sends.
                    #expect((current?["updatedBy"] as? String)?.hasPrefix("API token token-tester-") == true)
                    #expect(((json["error"] as? [String: Any])?["message"] as? String)?.contains("nothing was overwritten") == true)
                    #expect(((current?["review"] as? [String: Any])?["q1"] as? [String: Any])?["narrative"] as? String == "first")
                }
                try await client.execute(
                    uri: "/api/forms/\(id)",
                    method: .put,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: "{\"review\": {}}")
                ) { response in
                    #expect(response.status == .badRequest)
                }
                try await client.execute(uri: "/api/forms/987654", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test func pagesRenderTheWardListTheFormTheConflictAndThePrint() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let forms = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )
            let brown = forms[0]
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                try await client.execute(uri: "/wards?week=\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("Northshire General"))
                    #expect(html.contains("href=\"/wards/\(fixture.wardID)?week=2026-11-16\""))
                    #expect(html.contains("Week commencing Monday 16 November 2026"))
                    #expect(html.contains("<a href=\"/wards\">Wards</a>"))
                }
                try await client.execute(uri: "/wards/\(fixture.wardID)?week=2026-11-18", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("BROWN, Bob"))
                    #expect(html.contains("999 000 0026"))
                    #expect(html.contains(">21+<"))
                    #expect(html.contains(">7+<"))
                    #expect(html.contains("Wed 18 Nov 2026, 17:00"))
                    #expect(html.contains("Not started"))
                    #expect(html.contains("Never reviewed"))
                    #expect(!html.contains("DALE"))
                }
                try await client.execute(uri: "/forms/\(brown.id)", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("Why does this patient need to remain in hospital?"))
                    #expect(html.contains("What is being done to get this patient home, and by whom?"))
                    #expect(html.contains("What could have been done in the first few days"))
                    #expect(html.contains("<label for=\"q1-narrative\">"))
                    #expect(html.contains("<label for=\"reviewers-socialCare\">"))
                    #expect(html.contains("value=\"nursing-home\" checked"))  // pre-filled from the list
                    #expect(html.contains("name=\"version\" value=\"1\""))
                    #expect(html.contains("Save draft"))
                    // Nobody types who they are: the save is the signed-in user's.
                    #expect(!html.contains("name=\"updated_by\""))
                    #expect(html.contains("Saving as Test tester-"))
                    #expect(!html.contains("<script"))
                }
                // Complete with fields missing: 422, draft kept, a message beside each missing field.
                let partial =
                    "version=1&action=complete&reason=nursing-home&primary=nursing-home&q1_narrative=Awaiting+a+bed&action_rows=3"
                    + "&a0_description=Find+a+home&a0_owner=Broker&a0_agency=social-care&a0_due=2026-11-20&edd=27%2F11%2F2026&pathway=3&updated_by=Nurse+A"
                try await client.execute(
                    uri: "/forms/\(brown.id)",
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: partial)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let html = String(buffer: response.body)
                    #expect(html.contains("There is a problem"))
                    #expect(html.contains("id=\"q3-narrative-error\""))
                    #expect(html.contains("id=\"reviewers-health-error\""))
                    #expect(html.contains("id=\"outcome-error\""))
                    #expect(!html.contains("id=\"q1-narrative-error\""))
                    #expect(html.contains("Awaiting a bed"))
                    #expect(html.contains("value=\"Find a home\""))
                    #expect(html.contains("name=\"version\" value=\"2\""))
                }
                // Someone still on version 1 saves: 409 with both versions, their typing kept.
                let stale = "version=1&action=save&q1_narrative=My+own+words&action_rows=0&updated_by=Nurse+B"
                try await client.execute(
                    uri: "/forms/\(brown.id)",
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: stale)
                ) { response in
                    #expect(response.status == .conflict)
                    let html = String(buffer: response.body)
                    #expect(html.contains("someone else saved this form first"))
                    #expect(html.contains("My own words"))  // what they typed, editable
                    #expect(html.contains("Awaiting a bed"))  // the saved version beside it
                    // Saved under the signed-in user's name; the typed "Nurse A" counts for nothing.
                    #expect(html.contains("Test tester-"))
                    #expect(!html.contains("Nurse A"))
                    #expect(html.contains("name=\"version\" value=\"2\""))
                }
                // Saving a complete form from the page: 303 back to the form, marked complete.
                let full =
                    "version=2&action=complete&reason=nursing-home&primary=nursing-home&q1_narrative=Awaiting+a+bed&action_rows=1"
                    + "&a0_description=Find+a+home&a0_owner=Broker&a0_agency=social-care&a0_due=2026-11-20&edd=2026-11-27&pathway=3"
                    + "&q3_narrative=Earlier+CHC+screen&day_status=red&reviewer_health=Sister+Jones&reviewer_social=Sam+Patel&outcome=managed-at-ward"
                try await client.execute(
                    uri: "/forms/\(brown.id)",
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: full)
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/forms/\(brown.id)?saved=complete")
                }
                try await client.execute(uri: "/forms/\(brown.id)?saved=complete", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("Form complete."))
                    #expect(html.contains("Next patient to review"))
                }
                try await client.execute(uri: "/wards/\(fixture.wardID)/print?week=\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.components(separatedBy: "class=\"print-form page-break\"").count == 4)
                    #expect(html.contains("Awaiting nursing home placement <strong>(primary)</strong>"))
                    #expect(html.contains("Earlier CHC screen"))
                    #expect(html.contains("☑"))
                    // The board rounds' red days and the outcome print as saved, not as blank boxes.
                    #expect(html.contains("Board rounds: no board-round days recorded yet"))
                    #expect(html.contains("Outcome: ☑ Managed at ward level ☐ Escalate to Level 2"))
                }
            }
        }
    }

    @Test func anUnreadableDateIsShownBackNotSaved() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let form = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )[0]
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                try await client.execute(
                    uri: "/forms/\(form.id)",
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "version=1&action=save&edd=31%2F02%2F2026&q1_narrative=kept&action_rows=0")
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let html = String(buffer: response.body)
                    #expect(html.contains("is not a date"))
                    #expect(html.contains("value=\"31/02/2026\""))
                    #expect(html.contains(">kept</textarea>"))
                }
            }
            #expect(try await ReviewService(database: database, policy: .standard).form(id: form.id)?.version == 1)
        }
    }
}
