import Foundation
import StrandedCore
import Testing

private func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

private let today = date("2018-06-15")

private func note(daysAgo: Int, _ text: String = "update") -> ProgressNote {
    ProgressNote(date: today.adding(days: -daysAgo), author: "KT", text: text)
}

private func rag(
    _ status: ActionStatus,
    due: String?,
    notes: [ProgressNote] = [],
    on day: CalendarDate = today,
    policy: RAGPolicy = .standard
) -> RAGAssessment {
    policy.assess(status: status, due: due.map(DueDate.init), progress: notes, today: day)
}

@Suite("Plan RAG rules")
struct PlanRAGTests {
    @Test func settledStatusesIgnoreDates() {
        #expect(rag(.complete, due: "31/05/17") == RAGAssessment(.complete, .complete))
        #expect(rag(.handedOver, due: "31/05/17") == RAGAssessment(.complete, .handedOver))
        #expect(rag(.outstandingAtClosure, due: "31/12/30") == RAGAssessment(.red, .outstandingAtClosure))
    }

    @Test func noDueDateIsAmberUnlessProgressIsRecent() {
        #expect(rag(.inProgress, due: nil) == RAGAssessment(.amber, .noDueDate))
        #expect(rag(.inProgress, due: "As per AEDB implementation plan") == RAGAssessment(.amber, .noDueDate))
        #expect(rag(.notStarted, due: "TBC subject to completion of review") == RAGAssessment(.amber, .noDueDate))
        #expect(rag(.inProgress, due: nil, notes: [note(daysAgo: 0)]) == RAGAssessment(.green, .noDueDateButRecentProgress))
        #expect(rag(.inProgress, due: nil, notes: [note(daysAgo: 30)]) == RAGAssessment(.green, .noDueDateButRecentProgress))
        #expect(rag(.inProgress, due: nil, notes: [note(daysAgo: 31)]) == RAGAssessment(.amber, .noDueDate))
    }

    @Test func undatedAndFutureNotesDoNotCount() {
        #expect(rag(.inProgress, due: nil, notes: [ProgressNote("transcribed")]).rating == .amber)
        #expect(rag(.inProgress, due: nil, notes: [note(daysAgo: -1)]).rating == .amber)
    }

    @Test func overdueStartsTheDayAfterTheDueDate() {
        #expect(rag(.inProgress, due: "14/06/18") == RAGAssessment(.red, .overdue(daysOverdue: 1)))
        #expect(rag(.inProgress, due: "14/06/18", notes: [note(daysAgo: 0)]).rating == .red)
        #expect(rag(.notStarted, due: "15/05/18") == RAGAssessment(.red, .overdue(daysOverdue: 31)))
        // Due today: not overdue.
        #expect(rag(.inProgress, due: "15/06/18") == RAGAssessment(.amber, .dueSoonWithoutRecentProgress(daysLeft: 0)))
        #expect(rag(.inProgress, due: "15/06/18", notes: [note(daysAgo: 3)]) == RAGAssessment(.green, .dueSoonWithRecentProgress(daysLeft: 0)))
    }

    @Test func dueSoonWindowIsThirtyDaysInclusive() {
        #expect(rag(.inProgress, due: "15/07/18") == RAGAssessment(.amber, .dueSoonWithoutRecentProgress(daysLeft: 30)))
        #expect(rag(.inProgress, due: "16/07/18") == RAGAssessment(.green, .onTrack(daysLeft: 31)))
        #expect(rag(.notStarted, due: "16/07/18") == RAGAssessment(.green, .onTrack(daysLeft: 31)))
        #expect(rag(.inProgress, due: "15/07/18", notes: [note(daysAgo: 30)]) == RAGAssessment(.green, .dueSoonWithRecentProgress(daysLeft: 30)))
        #expect(rag(.inProgress, due: "15/07/18", notes: [note(daysAgo: 31)]).rating == .amber)
    }

    @Test func notStartedAndDueSoonIsAmberEvenWithNotes() {
        #expect(rag(.notStarted, due: "25/06/18", notes: [note(daysAgo: 1)]) == RAGAssessment(.amber, .dueSoonNotStarted(daysLeft: 10)))
    }

    @Test func monthOnlyDueDateIsLateFromTheFirstOfTheNextMonth() {
        #expect(rag(.inProgress, due: "May 2018", on: date("2018-05-31")).rating == .amber)
        #expect(rag(.inProgress, due: "May 2018", on: date("2018-06-01")) == RAGAssessment(.red, .overdue(daysOverdue: 1)))
        #expect(rag(.inProgress, due: "AEDB April 18", on: date("2018-04-30")).rating != .red)
    }

    @Test func severalDatesUseTheLatest() {
        // A4: a draft due 22/03/18 and the final version due May 2018.
        let a4 = "22/03/18 (draft for HWB) May 2018 (final)"
        #expect(rag(.inProgress, due: a4, on: date("2018-03-25")) == RAGAssessment(.green, .onTrack(daysLeft: 67)))
        #expect(rag(.inProgress, due: a4, on: date("2018-06-01")).rating == .red)
    }

    @Test func policyWindowsAreConfigurable() {
        let tight = RAGPolicy(dueSoonDays: 7, recentProgressDays: 7)
        #expect(rag(.inProgress, due: "23/06/18", policy: tight) == RAGAssessment(.green, .onTrack(daysLeft: 8)))
        #expect(rag(.inProgress, due: "22/06/18", policy: tight) == RAGAssessment(.amber, .dueSoonWithoutRecentProgress(daysLeft: 7)))
        #expect(rag(.inProgress, due: "22/06/18", notes: [note(daysAgo: 8)], policy: tight).rating == .amber)
        #expect(rag(.inProgress, due: "22/06/18", notes: [note(daysAgo: 7)], policy: tight).rating == .green)
    }

    @Test func subActionsUseTheirOwnDueDateWithTheParentStatus() throws {
        var g2 = try #require(try PlanFixture.load().action("G2"))
        g2.status = .inProgress
        let i = try #require(g2.subAction("i"))  // due March 2018
        let ii = try #require(g2.subAction("ii"))  // due September 2019
        #expect(g2.rag(of: i, on: today, policy: .standard) == RAGAssessment(.red, .overdue(daysOverdue: 76)))
        #expect(g2.rag(of: ii, on: today, policy: .standard).rating == .green)
        #expect(g2.rag(on: today, policy: .standard) == RAGAssessment(.amber, .noDueDate))  // G2 itself has no date
        g2.status = .complete
        #expect(g2.rag(of: i, on: today, policy: .standard).rating == .complete)
    }

    @Test func ratingsAreComputedFromTheReopenedSeed() throws {
        // The seed as it might have looked on 20 June 2018 had every action still been in progress.
        var doc = try PlanFixture.load()
        doc.plan.status = .active
        for code in doc.allActions.map(\.code) { try doc.setStatus(.inProgress, on: code) }
        let ratings = doc.ragRatings(on: date("2018-06-20"), policy: .standard)
        #expect(ratings["A1"] == RAGAssessment(.red, .overdue(daysOverdue: 20)))  // 31/05/18
        #expect(ratings["E3"] == RAGAssessment(.red, .overdue(daysOverdue: 51)))  // 30/4/18 (NHSE ops planning)
        #expect(ratings["A2"] == RAGAssessment(.amber, .dueSoonWithoutRecentProgress(daysLeft: 29)))  // 19/07/18 (HWB)
        #expect(ratings["F1"] == RAGAssessment(.amber, .dueSoonWithoutRecentProgress(daysLeft: 29)))  // 19/7/18
        #expect(ratings["G4"] == RAGAssessment(.green, .onTrack(daysLeft: 41)))  // July 2018
        #expect(ratings["A5"] == RAGAssessment(.green, .onTrack(daysLeft: 406)))  // July 2019
        #expect(ratings["H1"] == RAGAssessment(.amber, .noDueDate))  // As per AEDB implementation plan
        #expect(ratings["H3"] == RAGAssessment(.amber, .noDueDate))  // TBC subject to completion of review
        #expect(doc.validate().isEmpty == false)  // an active plan with handed-over tasks linked to in-progress actions
    }
}
