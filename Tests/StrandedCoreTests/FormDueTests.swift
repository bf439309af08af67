import Foundation
import Testing

@testable import StrandedCore

/// When a Level 1 form is due: the week's deadline, or for a form its late
/// list opened after that deadline, the grace period after it was opened.
@Suite("A form's due time")
struct FormDueTests {
    static let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!
    static let deadline = WeeklyTimetable.standard.instant(of: .level1Deadline, in: week)

    @Test(arguments: [-86_400.0, -1, 0])
    func aFormOpenedByTheDeadlineIsDueAtIt(offset: TimeInterval) {
        #expect(WeeklyTimetable.standard.formDue(week: Self.week, openedAt: Self.deadline.addingTimeInterval(offset)) == Self.deadline)
    }

    @Test func aFormOpenedAfterTheDeadlineIsDueItsGracePeriodLater() {
        let opened = Self.deadline.addingTimeInterval(5 * 3600)
        #expect(WeeklyTimetable.standard.formDue(week: Self.week, openedAt: opened) == opened.addingTimeInterval(48 * 3600))
        var timetable = WeeklyTimetable.standard
        timetable.lateListGraceHours = 24
        #expect(timetable.formDue(week: Self.week, openedAt: opened) == opened.addingTimeInterval(24 * 3600))
    }

    @Test func theGracePeriodIsConfiguredAndChecked() throws {
        let decoded = try JSONDecoder().decode(WeeklyTimetable.self, from: Data(#"{"lateListGraceHours": 72}"#.utf8))
        #expect(decoded.lateListGraceHours == 72)
        var timetable = WeeklyTimetable.standard
        timetable.lateListGraceHours = 0
        #expect(timetable.problems().contains { $0.contains("lateListGraceHours must be 1–336") })
    }

    @Test func anUnfinishedFormNotYetDueIsNotIncompleteAtTheDeadline() {
        let snapshot = CaseSnapshot(
            week: Self.week,
            evaluationDate: CalendarDate(iso: "2026-11-18")!,
            lengthOfStay: LengthOfStay(days: 30)!,
            formNotYetDue: true
        )
        let fired = EscalationPolicy.standard.evaluate(snapshot, level: .level2, taxonomy: .standard, redDays: .standard).map(\.rule)
        #expect(!fired.contains(.l2Incomplete))
        var due = snapshot
        due.formNotYetDue = false
        #expect(EscalationPolicy.standard.evaluate(due, level: .level2, taxonomy: .standard, redDays: .standard).map(\.rule).contains(.l2Incomplete))
    }
}
