import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Web
import Workflow

/// The decision forms as the chair and the call use them: no decision made
/// by a default, each decision its own record, and a referral on the call's
/// list at once.
@Suite("Meeting decision forms")
struct MeetingDecisionFormTests {
    static let week = "2026-11-16"

    static func post(_ client: any TestClientProtocol, _ uri: String, _ form: String) async throws -> TestResponse {
        try await client.executeRequest(
            uri: uri,
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form)
        )
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.executeRequest(uri: uri, method: .get, headers: [:], body: nil)
    }

    @Test func decisionsStartOnChooseAreKeptApartAndAReferralReachesTheCallAtOnce() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let runner = CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil)
            let week = ReviewWeek(monday: CalendarDate(iso: Self.week)!)!
            _ = try await runner.run(.applyLevel1Deadline, week: week, actor: "test")
            _ = try await runner.run(.buildLevel2Agenda, week: week, actor: "test")
            let brown: Int64 = try await database.client.query("SELECT id FROM patient_case WHERE nhs_number = '9990000026'")[0].decode("id")
            let reference = CaseReference(caseID: brown)
            let chairUser = try await SignedIn.create(database, roles: [RoleGrant(.level2)], username: "chair")
            let ceoUser = try await SignedIn.create(database, roles: [RoleGrant(.executive)], username: "ceo")
            let adminUser = try await SignedIn.create(database, roles: [RoleGrant(.administrator)], username: "admin")
            try await fixture.app().test(.router) { raw in
                let chair = chairUser.client(raw)
                let ceo = ceoUser.client(raw)
                let admin = adminUser.client(raw)
                let casePath = "/level2/\(Self.week)/cases/\(brown)"

                var html = String(buffer: try await Self.get(chair, "/level2/\(Self.week)").body)
                #expect(html.contains("id=\"\(reference.anchor)\""))
                html = String(buffer: try await Self.get(chair, "/level2/\(Self.week)/cases/\(reference)").body)
                #expect(html.contains("id=\"\(reference.anchor)\""))
                #expect(html.contains("<option value=\"\" selected>Choose…</option>"))

                // "Choose…" is refused, naming the field, with what was typed kept.
                var response = try await Self.post(chair, casePath, "decision=&notes=Spoke+to+the+family")
                #expect(response.status == .unprocessableContent)
                html = String(buffer: response.body)
                #expect(html.contains("Decision: choose what the meeting decided"))
                #expect(html.contains("Spoke to the family</textarea>"))

                response = try await Self.post(chair, casePath, "decision=resolved-at-level2&notes=Package+found")
                #expect(response.status == .seeOther)
                let location = try #require(response.headers[.location])
                #expect(location == "/level2/\(Self.week)/cases/\(reference)?saved=decision&case=\(reference)")
                html = String(buffer: try await Self.get(chair, location).body)
                #expect(html.contains("\(reference): decision recorded: Resolved at Level 2."))
                #expect(html.contains("Decision: <strong>Resolved at Level 2</strong>"))
                // The form starts again on "Choose…" and empty: a new decision is a new record.
                #expect(html.contains("<option value=\"\" selected>Choose…</option>"))
                #expect(!html.contains("Package found</textarea>"))

                // The summary is frozen before the meeting refers the case.
                response = try await admin.executeRequest(
                    uri: "/api/cycle/ce-summary/runs",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"week": "\#(Self.week)"}"#)
                )
                #expect(response.status == .ok)
                let summaryVersion = try await SummaryStore(database: database).summary(week: week)?.version

                response = try await Self.post(chair, casePath, "decision=refer-to-ce&ask=Fund+a+nursing+home+bed")
                #expect(response.status == .seeOther)
                html = String(buffer: try await Self.get(chair, try #require(response.headers[.location])).body)
                #expect(
                    html.contains("\(reference): referred to the chief executive call. It is on the call&#39;s list")
                        || html.contains("\(reference): referred to the chief executive call. It is on the call's list")
                )
                #expect(html.contains("href=\"/ce/\(Self.week)#\(reference.anchor)\""))
                // Every decision, in order, each with its own words.
                let resolvedAt = try #require(html.range(of: "Resolved at Level 2; notes: Package found"))
                let referredAt = try #require(html.range(of: "Refer to the chief executive call; ask: Fund a nursing home bed ("))
                #expect(resolvedAt.lowerBound < referredAt.lowerBound)
                let notes: String? = try await database.client.query(
                    """
                    SELECT notes FROM level2_case_record WHERE case_id = \(brown) AND week = \(week.monday)
                    """
                )[0].decode("notes")
                #expect(notes == nil)

                // The call's live list has it now, marked; the frozen summary is unchanged.
                html = String(buffer: try await Self.get(ceo, "/ce/\(Self.week)").body)
                #expect(html.contains("id=\"\(reference.anchor)\""))
                #expect(html.contains("CE-REFERRED"))
                #expect(html.contains("Referred since the summary was built"))
                #expect(html.contains("<option value=\"\" selected>Choose…</option>"))
                #expect(try await SummaryStore(database: database).summary(week: week)?.version == summaryVersion)

                // The call's "Choose…" is refused too, keeping the notes.
                response = try await Self.post(ceo, "/ce/\(Self.week)/cases/\(brown)", "decision=&notes=Ring+the+council")
                #expect(response.status == .unprocessableContent)
                html = String(buffer: response.body)
                #expect(html.contains("Decision: choose what the call decided"))
                #expect(html.contains("Ring the council</textarea>"))
                response = try await Self.post(ceo, "/ce/\(Self.week)/cases/\(brown)", "decision=keep-at-ce&notes=Ring+the+council")
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/ce/\(Self.week)?saved=1#\(reference.anchor)")
                html = String(buffer: try await Self.get(ceo, "/ce/\(Self.week)").body)
                #expect(html.contains("Decision: Keep on the chief executive list"))
            }
        }
    }
}
