import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Workflow

/// A list that comes in after its week's Level 1 deadline opens forms that
/// are due the timetable's grace period (48 hours) later, not already overdue,
/// and are not escalated as "incomplete at the deadline".
@Suite("A list that came in after the deadline")
struct LateListTests {
    @Test func itsFormsAreDueLaterAndNotIncompleteAtTheDeadline() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            // The list came in now, long after the deadline of w/c 16 Nov.
            try await database.client.execute("UPDATE level1_form SET created_at = now()")
            let opened: Date = try await database.client.query("SELECT max(created_at) AS t FROM level1_form")[0].decode("t")
            let nurse = try await fixture.signedIn()
            try await fixture.app().test(.router) { raw in
                let client = nurse.client(raw)
                let page = try await client.executeRequest(
                    uri: "/wards/\(fixture.wardID)?week=\(ReviewWebFixture.week)",
                    method: .get,
                    headers: [:],
                    body: nil
                )
                let html = String(buffer: page.body)
                #expect(page.status == .ok)
                #expect(html.contains("its list came in after the deadline"))
                #expect(!html.contains("Overdue by"))
                let formID: Int64 = try await database.client.query("SELECT min(id) AS id FROM level1_form")[0].decode("id")
                let api = try await client.executeRequest(uri: "/api/forms/\(formID)", method: .get, headers: [:], body: nil)
                let deadline = try #require(try jsonObject(api.body)["deadline"] as? String)
                let due = try #require(ISO8601DateFormatter().date(from: deadline))
                #expect(abs(due.timeIntervalSince(opened) - 48 * 3600) < 1)
            }
            // The deadline job (run late, as a catch-up would) does not call these forms incomplete.
            let week = ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            _ = try await CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil).run(
                .applyLevel1Deadline,
                week: week,
                actor: "test"
            )
            let incomplete: Int = try await database.client.query(
                "SELECT count(*)::int AS n FROM escalation_rule_hit WHERE rule_id = 'L2-INCOMPLETE'"
            )[0].decode("n")
            #expect(incomplete == 0)
        }
    }
}
