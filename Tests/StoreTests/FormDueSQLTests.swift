import Foundation
import Postgres
import StrandedCore
import TestSupport
import Testing

@testable import Store

/// The counts' SQL twin of `WeeklyTimetable.formDue` gives the same instant
/// for forms opened before, at and after the deadline.
@Suite("A form's due time in SQL")
struct FormDueSQLTests {
    @Test func theSQLTwinAgreesWithCore() async throws {
        try await TestCluster.withDatabase { database in
            let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!
            var timetable = WeeklyTimetable.standard
            timetable.lateListGraceHours = 30
            let deadline = timetable.instant(of: .level1Deadline, in: week)
            for offset: TimeInterval in [-86_400, 0, 1, 7 * 3600] {
                let opened = deadline.addingTimeInterval(offset)
                let due = FormDueSQL.dueAt(form: "f", deadline: "\(deadline)::timestamptz", graceHours: timetable.lateListGraceHours)
                let fromSQL: Date = try await database.client.query(
                    "SELECT \(fragment: due) AS due FROM (SELECT \(opened)::timestamptz AS created_at) f"
                )[0].decode("due")
                #expect(fromSQL == timetable.formDue(week: week, openedAt: opened), "opened \(offset) s from the deadline")
            }
        }
    }
}
