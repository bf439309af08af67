import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import StrandedCore
import TestSupport
import Testing
import Web
import Workflow

/// Free text PostgreSQL cannot hold (NUL) or that is over its limit: the
/// Level 1 form refuses it naming the field, and the page keeps what was typed.
@Suite("Level 1: hostile free text is refused with the typed form kept")
struct Level1HostileTextTests {
    /// Each free-text input of the form page (its posted name) and the label its message names.
    static let fields: [(name: String, label: String)] = [
        ("q1_narrative", "Why this patient needs to remain in hospital"),
        ("a0_description", "Action 1: what is being done"),
        ("a0_owner", "Action 1: by whom"),
        ("q3_narrative", "What could have been done"),
        ("learning_theme", "Learning theme"),
        ("reviewer_health", "Health reviewer"),
        ("reviewer_social", "Social care reviewer"),
        ("ask", "What the ward needs from the Level 2 meeting"),
    ]

    static func form(_ hostile: (name: String, value: String)) -> String {
        var fields = [
            "version": "1", "action": "save", "action_rows": "1", "a0_description": "Chase+brokerage",
            "a0_owner": "Broker", "q1_narrative": "Awaiting+a+package", "q3_narrative": "Typed+and+kept",
            "outcome": "escalate-to-level2", "ask": "Fund+it",
        ]
        fields[hostile.name] = hostile.value
        return fields.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }

    @Test(arguments: fields)
    func aNULInAFieldIsA422NamingItAndTheFormComesBack(_ field: (name: String, label: String)) async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let form = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )[0]
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                let response = try await HostileInput.post(client, "/forms/\(form.id)", form: Self.form((field.name, "pasted%00text")))
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.contains("\(field.label) contains an invisible control character (NUL)"))
                #expect(html.contains(field.name == "q3_narrative" ? "pasted" : ">Typed and kept</textarea>"))
                #expect(html.contains(field.name == "a0_owner" ? "pasted" : "value=\"Broker\""))
            }
            #expect(try await ReviewService(database: database, policy: .standard).form(id: form.id)?.version == 1)
        }
    }

    @Test func anOverLongAnswerIsA422NamingTheLimitWithTheTextKept() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let form = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )[0]
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                let response = try await HostileInput.post(client, "/forms/\(form.id)", form: Self.form(("q1_narrative", HostileInput.overLong)))
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.contains("Why this patient needs to remain in hospital is 4,001 characters long; the limit is 4,000"))
                #expect(html.contains(">\(HostileInput.overLong)</textarea>"))
            }
            #expect(try await ReviewService(database: database, policy: .standard).form(id: form.id)?.version == 1)
        }
    }

    @Test func theAPIRefusesNULAndOverLongTextWithTheFieldNamed() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let form = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )[0]
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                let nul = #"{"version": 1, "review": {"q1": {"reasons": [], "narrative": "a\u0000b"}}}"#
                for (method, uri) in [(HTTPRequest.Method.put, "/api/forms/\(form.id)"), (.post, "/api/forms/\(form.id)/complete")] {
                    let response = try await HostileInput.send(client, uri, method: method, json: nul)
                    #expect(response.status == .unprocessableContent)
                    #expect(HostileInput.errorMessage(response)?.hasPrefix("Why this patient needs to remain in hospital contains") == true)
                }
                let long = #"{"version": 1, "review": {"reviewers": {"health": "\#(String(repeating: "n", count: 201))", "socialCare": ""}}}"#
                let response = try await HostileInput.send(client, "/api/forms/\(form.id)", method: .put, json: long)
                #expect(response.status == .unprocessableContent)
                #expect(HostileInput.errorMessage(response)?.hasPrefix("Health reviewer is 201 characters long; the limit is 200") == true)
            }
            #expect(try await ReviewService(database: database, policy: .standard).form(id: form.id)?.version == 1)
        }
    }
}
