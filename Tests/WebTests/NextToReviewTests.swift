import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing

/// "Next patient to review" must be the ward list's first form still to do.
@Suite("The next form to review")
struct NextToReviewTests {
    @Test func isTheWardListsFirstFormStillToDoOtherThanThisOne() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let store = ReviewStore(database: database, policy: .standard)
            let week = ReviewWeek.containing(CalendarDate(iso: ReviewWebFixture.week)!)
            func expected(excluding id: Int64) async throws -> Int64? {
                try await store.wardWeek(wardID: fixture.wardID, week: week)
                    .first { $0.id != id && ($0.status == .notStarted || $0.status == .inProgress) }?.id
            }
            func check() async throws {
                for form in try await store.wardWeek(wardID: fixture.wardID, week: week) {
                    let next = try await store.nextToReview(wardID: fixture.wardID, week: week, excluding: form.id)
                    #expect(next == (try await expected(excluding: form.id)))
                }
            }
            try await check()
            // A tie on the longest stay goes to the family name; forms done drop out.
            _ = try await database.client.query("UPDATE level1_form SET los = 27 WHERE los = 15")
            try await check()
            let forms = try await store.wardWeek(wardID: fixture.wardID, week: week)
            #expect(forms.count >= 3)
            _ = try await database.client.query("UPDATE level1_form SET status = 'complete' WHERE id = \(forms[0].id)")
            try await check()
            _ = try await database.client.query("UPDATE level1_form SET status = 'complete' WHERE ward_id = \(fixture.wardID)")
            #expect(try await store.nextToReview(wardID: fixture.wardID, week: week, excluding: forms[0].id) == nil)
        }
    }
}
