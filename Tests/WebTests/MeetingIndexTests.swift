import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import StrandedCore
import TestSupport
import Testing
import Workflow

@testable import Web

/// The meeting as a chair runs it: the index with its filters and tally, one
/// case at a time, and the way on from each save.
@Suite("Level 2 meeting index and case pages")
struct MeetingIndexTests {
    static let week = "2026-11-16"

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.executeRequest(uri: uri, method: .get, headers: [:], body: nil)
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ form: String) async throws -> TestResponse {
        try await client.executeRequest(
            uri: uri,
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form)
        )
    }

    @Test func filtersTallyAndTheWayOnFromEachSave() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let runner = CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil)
            let week = ReviewWeek(monday: CalendarDate(iso: Self.week)!)!
            _ = try await runner.run(.applyLevel1Deadline, week: week, actor: "test")
            _ = try await runner.run(.buildLevel2Agenda, week: week, actor: "test")
            let order: [Int64] = try await MeetingService(database: database, policy: .standard).agenda(week: week)!.content.cases.map(\.caseID)
            try #require(order.count == 3)
            let (first, second, third) = (CaseReference(caseID: order[0]), CaseReference(caseID: order[1]), CaseReference(caseID: order[2]))
            let chairUser = try await SignedIn.create(database, roles: [RoleGrant(.level2)], username: "chair")
            try await fixture.app().test(.router) { raw in
                let chair = chairUser.client(raw)
                let index = "/level2/\(Self.week)"

                // Every case is new this week: "carried over" shows none, and says so.
                var html = String(buffer: try await Self.get(chair, "\(index)?arrival=carried").body)
                #expect(html.contains("Showing 0 of 3 cases"))
                #expect(html.contains("No case matches these filters."))
                #expect(html.contains("<option value=\"carried\" selected>Carried over (0)</option>"))

                // The case page: where it is in the list and the way on.
                html = String(buffer: try await Self.get(chair, "\(index)/cases/\(second)?undecided=1").body)
                #expect(html.contains("Case 2 of 3 (filtered)"))
                #expect(html.contains("href=\"\(index)/cases/\(first)?undecided=1\" rel=\"prev\""))
                #expect(html.contains("href=\"\(index)/cases/\(third)?undecided=1\" rel=\"next\""))
                #expect(html.contains("action=\"\(index)/cases/\(second)?undecided=1\""))

                // "Record and open the next undecided case" goes on, keeping the filter,
                // and the next page confirms what was recorded with the way back.
                var response = try await Self.post(chair, "\(index)/cases/\(second)?undecided=1", "decision=keep-at-level2&then=next")
                #expect(response.status == .seeOther)
                let location = try #require(response.headers[.location])
                #expect(location == "\(index)/cases/\(third)?undecided=1&saved=decision&case=\(second)")
                html = String(buffer: try await Self.get(chair, location).body)
                #expect(html.contains("\(second): decision recorded: Keep at Level 2."))
                #expect(html.contains("href=\"\(index)/cases/\(second)?undecided=1\">Open it again</a>"))
                #expect(html.contains("1 of 3 decided, 2 to go"))

                // The index keeps the decided case out of "undecided only" and counts it.
                html = String(buffer: try await Self.get(chair, "\(index)?undecided=1").body)
                #expect(html.contains("Showing 2 of 3 cases"))
                #expect(!html.contains("<tr id=\"\(second.anchor)\">"))
                #expect(html.contains("<tr id=\"\(first.anchor)\">") && html.contains("<tr id=\"\(third.anchor)\">"))

                // A refused action shows the case again with the error beside its form and the typing kept.
                response = try await Self.post(
                    chair,
                    "\(index)/cases/\(first)/actions",
                    "description=Find+a+bed&owner=Lead&agency=nhs&due_date=31%2F02%2F2027"
                )
                #expect(response.status == .unprocessableContent)
                html = String(buffer: response.body)
                #expect(html.contains("id=\"action-error-\(order[0])\""))
                #expect(html.contains("value=\"Find a bed\""))

                // Not a case, or not on this agenda: 404 in the page's words.
                #expect(try await Self.get(chair, "\(index)/cases/C-999999").status == .notFound)
                #expect(try await Self.get(chair, "\(index)/cases/soup").status == .notFound)
            }
        }
    }

    /// An agenda rebuilt once the meeting has begun (a late escalation, a
    /// rebuild by hand) keeps the cases that meeting already referred to the
    /// chief executive call, with their decisions.
    @Test func aRebuiltAgendaKeepsTheMeetingsReferrals() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let runner = CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil)
            let week = ReviewWeek(monday: CalendarDate(iso: Self.week)!)!
            _ = try await runner.run(.applyLevel1Deadline, week: week, actor: "test")
            _ = try await runner.run(.buildLevel2Agenda, week: week, actor: "test")
            let meetings = MeetingService(database: database, policy: .standard)
            let referred = try #require(try await meetings.agenda(week: week)?.content.cases.first?.caseID)
            _ = try await meetings.recordDecision(
                caseID: referred,
                week: week,
                decision: .referToChiefExecutive,
                ask: "Fund a bed",
                notes: nil,
                actor: "chair"
            )
            _ = try await Level2AgendaBuilder(database: database, policy: .standard).build(week: week, actor: "admin")
            let rebuilt = try #require(try await meetings.agenda(week: week))
            #expect(rebuilt.version == 2)
            #expect(rebuilt.content.cases.contains { $0.caseID == referred })
            let chairUser = try await SignedIn.create(database, roles: [RoleGrant(.level2)], username: "chair")
            try await fixture.app().test(.router) { raw in
                let html = String(buffer: try await Self.get(chairUser.client(raw), "/level2/\(Self.week)").body)
                #expect(html.contains("Refer to the chief executive call"))
                #expect(html.contains("1 of 3 decided"))
            }
        }
    }

    @Test func aFilterTravelsAsItsQueryString() {
        var filter = AgendaFilter(query: ["agency": "social-care", "organisation": "7", "site": "R9A01", "arrival": "new", "undecided": "1"])
        #expect(filter.query == "agency=social-care&organisation=7&site=R9A01&arrival=new&undecided=1")
        #expect(AgendaFilter(query: ["arrival": "sometimes", "undecided": "yes", "organisation": "x"]).isEmpty)
        filter = AgendaFilter(query: ["site": "R9A 01&x"])
        #expect(filter.link("/level2/2026-11-16", adding: ["saved=action"]) == "/level2/2026-11-16?site=R9A%2001%26x&saved=action")
    }
}
