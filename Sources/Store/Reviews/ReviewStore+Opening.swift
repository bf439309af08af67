import Foundation
import Postgres
import StrandedCore

extension ReviewStore {
    /// Records when a week's forms were opened, for history loaded after the
    /// fact (the demo's past weeks, whose lists arrived at the time the demo
    /// simulates): a form is opened when its list comes in, and one opened
    /// after its week's deadline is due later (``WeeklyTimetable/formDue(week:openedAt:)``).
    public func recordOpening(of week: ReviewWeek, at instant: Date) async throws {
        try await database.client.execute(
            """
            UPDATE level1_form SET created_at = \(instant) WHERE week_start = \(week.monday) AND created_at > \(instant)
            """
        )
    }
}
