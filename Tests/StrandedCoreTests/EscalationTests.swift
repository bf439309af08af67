import Foundation
import Testing

@testable import StrandedCore

@Suite("Escalation rules")
struct EscalationTests {
    private static let week = ReviewWeek(monday: Level1Fixture.date("2025-01-06"))!
    /// The Level 1 deadline day (Wednesday) of that week.
    private static let deadline = Level1Fixture.date("2025-01-08")
    private let policy = EscalationPolicy.standard

    /// A case that trips no rule: complete form, managed at ward, EDD in 2 days,
    /// LoS 30, a different primary reason last week, no Level 2 history.
    private static func quietCase(los: Int = 30) -> CaseSnapshot {
        CaseSnapshot(
            week: week,
            evaluationDate: deadline,
            lengthOfStay: LengthOfStay(days: los)!,
            review: Level1Fixture.complete(),
            priorReviews: [PriorReview(week: week.previous, primaryReason: .awaitingAssessment)]
        )
    }

    private func fired(_ snapshot: CaseSnapshot, _ rule: EscalationRuleID) -> Bool {
        policy.evaluate(rule, on: snapshot, taxonomy: .standard, redDays: .standard) != nil
    }

    @Test func quietCaseFiresNothing() {
        #expect(policy.evaluate(Self.quietCase(), taxonomy: .standard, redDays: .standard).isEmpty)
    }

    // MARK: L2-INCOMPLETE

    @Test func incompleteFiresAndNamesTheFields() throws {
        var snapshot = Self.quietCase()
        snapshot.review?.reviewers.socialCare = ""
        let rule = try #require(policy.evaluate(.l2Incomplete, on: snapshot, taxonomy: .standard, redDays: .standard))
        #expect(rule.level == .level2)
        #expect(rule.reason.contains("reviewers.socialCare"))

        snapshot.review = nil
        #expect(
            policy.evaluate(.l2Incomplete, on: snapshot, taxonomy: .standard, redDays: .standard)?.reason
                == "No Level 1 form was started by the deadline."
        )

        snapshot.review = Level1Fixture.carriedForward(from: Level1Fixture.complete())
        #expect(fired(snapshot, .l2Incomplete), "an untouched pre-filled draft is not complete")
    }

    @Test func invalidValueCountsAsIncomplete() {
        var snapshot = Self.quietCase()
        snapshot.review?.q2.pathway = 5
        #expect(fired(snapshot, .l2Incomplete))
    }

    // MARK: L2-WARD-ASKED

    @Test func wardAsked() throws {
        var snapshot = Self.quietCase()
        #expect(!fired(snapshot, .l2WardAsked))
        snapshot.review?.outcome = .escalateToLevel2(ask: "Agree spot purchase of a care home bed")
        let rule = try #require(policy.evaluate(.l2WardAsked, on: snapshot, taxonomy: .standard, redDays: .standard))
        #expect(rule.reason.hasSuffix("Agree spot purchase of a care home bed"))
        // The ask missing makes the form incomplete as well: both fire.
        snapshot.review?.outcome = .escalateToLevel2(ask: "")
        #expect(policy.evaluate(snapshot, taxonomy: .standard, redDays: .standard).map(\.rule) == [.l2Incomplete, .l2WardAsked])
    }

    // MARK: L2-LONG-NO-EDD

    @Test(
        "long stay without a near expected discharge date",
        arguments: [
            (20, nil, false),  // below the long-stay threshold
            (21, nil, true),  // at it, no EDD
            (21, 0, false),  // EDD on the deadline day
            (21, 7, false),  // EDD 7 days away: within the window
            (21, 8, true),  // 8 days away: outside
            (20, 8, false),  // outside, but stay too short
            (21, -1, true),  // EDD passed yesterday: no longer a plan
            (45, 3, false),
        ] as [(Int, Int?, Bool)]
    )
    func longStayNoEDD(los: Int, eddOffset: Int?, fires: Bool) {
        var snapshot = Self.quietCase(los: los)
        snapshot.review?.q2.expectedDischargeDate = eddOffset.map { Self.deadline.adding(days: $0) }
        #expect(fired(snapshot, .l2LongNoEDD) == fires)
    }

    @Test func longStayReasonTextAndListedEDDFallback() throws {
        var snapshot = Self.quietCase(los: 21)
        snapshot.review?.q2.expectedDischargeDate = nil
        #expect(
            policy.evaluate(.l2LongNoEDD, on: snapshot, taxonomy: .standard, redDays: .standard)?.reason
                == "In hospital 21 days (21 or more) with no expected discharge date."
        )
        snapshot.review?.q2.expectedDischargeDate = Self.deadline.adding(days: 8)
        #expect(
            policy.evaluate(.l2LongNoEDD, on: snapshot, taxonomy: .standard, redDays: .standard)?.reason.contains(
                "2025-01-16 is 8 days away (more than 7)"
            ) == true
        )
        // No date on the form but one on the ward list within the window.
        snapshot.review?.q2.expectedDischargeDate = nil
        snapshot.listedExpectedDischargeDate = Self.deadline.adding(days: 5)
        #expect(!fired(snapshot, .l2LongNoEDD))
    }

    // MARK: L2-SAME-REASON

    @Test func sameReasonNeedsTwoConsecutiveWeeks() throws {
        var snapshot = Self.quietCase()
        // This week only (no earlier review): one week, not fired.
        snapshot.priorReviews = []
        #expect(!fired(snapshot, .l2SameReason))
        // Last week different: not fired.
        snapshot.priorReviews = [PriorReview(week: Self.week.previous, primaryReason: .housing)]
        #expect(!fired(snapshot, .l2SameReason))
        // Last week the same: two consecutive weekly reviews, fired.
        snapshot.priorReviews = [PriorReview(week: Self.week.previous, primaryReason: .carePackageHome)]
        let rule = try #require(policy.evaluate(.l2SameReason, on: snapshot, taxonomy: .standard, redDays: .standard))
        #expect(
            rule.reason
                == "Primary delay reason \"Awaiting care package in own home\" (care-package-home) for 2 consecutive weekly reviews, since w/c 30 Dec 2024."
        )
        // Same reason two weeks ago but no review last week: the run is broken.
        snapshot.priorReviews = [PriorReview(week: Self.week.adding(weeks: -2), primaryReason: .carePackageHome)]
        #expect(!fired(snapshot, .l2SameReason))
        // The same reason as a secondary reason last week does not count.
        snapshot.priorReviews = [PriorReview(week: Self.week.previous, primaryReason: nil)]
        #expect(!fired(snapshot, .l2SameReason))
    }

    @Test("same reason with a configured run length", arguments: [(1, false), (2, true)])
    func sameReasonThreeWeeks(priorWeeksSame: Int, fires: Bool) {
        var snapshot = Self.quietCase()
        snapshot.priorReviews = (1...priorWeeksSame).map { PriorReview(week: Self.week.adding(weeks: -$0), primaryReason: .carePackageHome) }
        var threeWeeks = EscalationPolicy.standard
        threeWeeks.sameReasonConsecutiveWeeks = 3
        #expect((threeWeeks.evaluate(.l2SameReason, on: snapshot, taxonomy: .standard, redDays: .standard) != nil) == fires)
        #expect(fired(snapshot, .l2SameReason), "the default of 2 fires either way")
    }

    @Test func untouchedDraftRepeatsLastWeeksReason() {
        var snapshot = Self.quietCase()
        snapshot.review = Level1Fixture.carriedForward(from: Level1Fixture.complete())
        snapshot.priorReviews = [PriorReview(week: Self.week.previous, primaryReason: .carePackageHome)]
        #expect(fired(snapshot, .l2SameReason))
    }

    // MARK: L2-ACTION-OVERDUE

    @Test(
        "action overdue by more than 7 days",
        arguments: [
            (0, false, false), (7, false, false), (8, false, true), (30, true, false), (-3, false, false),
        ]
    )
    func actionOverdue(daysOverdue: Int, done: Bool, fires: Bool) {
        var snapshot = Self.quietCase()
        snapshot.review?.q2.actions[0].dueDate = Self.deadline.adding(days: -daysOverdue)
        snapshot.review?.q2.actions[0].isDone = done
        #expect(fired(snapshot, .l2ActionOverdue) == fires)
    }

    @Test func overdueReasonListsEachAction() throws {
        var snapshot = Self.quietCase()
        snapshot.review?.q2.actions[0].dueDate = Self.deadline.adding(days: -8)
        snapshot.review?.q2.actions.append(
            ReviewAction(
                description: "Chase CHC checklist",
                owner: "Discharge coordinator",
                agency: .nhs,
                dueDate: Self.deadline.adding(days: -10)
            )
        )
        let rule = try #require(policy.evaluate(.l2ActionOverdue, on: snapshot, taxonomy: .standard, redDays: .standard))
        #expect(
            rule.reason
                == "Actions overdue by more than 7 days: \"Source package of care\" (A Khan, brokerage, Social care) due 2024-12-31, 8 days overdue; \"Chase CHC checklist\" (Discharge coordinator, NHS) due 2024-12-29, 10 days overdue."
        )
    }

    // MARK: CE-REFERRED

    @Test func referredThisWeekOnly() throws {
        var snapshot = Self.quietCase()
        snapshot.level2History = [Level2Appearance(week: Self.week, outcome: .referredToChiefExecutive(ask: "Agree cross-border funding"))]
        let rule = try #require(policy.evaluate(.ceReferred, on: snapshot, taxonomy: .standard, redDays: .standard))
        #expect(rule.level == .chiefExecutive)
        #expect(rule.reason.hasSuffix("Agree cross-border funding"))

        snapshot.level2History = [Level2Appearance(week: Self.week.previous, outcome: .referredToChiefExecutive(ask: "Old ask"))]
        #expect(!fired(snapshot, .ceReferred))
        snapshot.level2History = [Level2Appearance(week: Self.week, outcome: .decided(summary: "Interim placement agreed"))]
        #expect(!fired(snapshot, .ceReferred))
    }

    // MARK: CE-STUCK

    @Test func stuckNeedsTwoConsecutiveMeetingsWithoutDecision() throws {
        var snapshot = Self.quietCase()
        // One meeting without a decision: not yet.
        snapshot.level2History = [Level2Appearance(week: Self.week, outcome: .noDecision)]
        #expect(!fired(snapshot, .ceStuck))
        // Two consecutive: fired.
        snapshot.level2History.append(Level2Appearance(week: Self.week.previous, outcome: .noDecision))
        let rule = try #require(policy.evaluate(.ceStuck, on: snapshot, taxonomy: .standard, redDays: .standard))
        #expect(rule.reason == "Open at Level 2 for 2 consecutive meetings without a decision, since w/c 30 Dec 2024.")
        // Decided this week after an undecided one: not stuck.
        snapshot.level2History = [
            Level2Appearance(week: Self.week, outcome: .decided(summary: "Funding agreed")),
            Level2Appearance(week: Self.week.previous, outcome: .noDecision),
        ]
        #expect(!fired(snapshot, .ceStuck))
        // Not at last week's meeting: the run is broken.
        snapshot.level2History = [
            Level2Appearance(week: Self.week, outcome: .noDecision),
            Level2Appearance(week: Self.week.adding(weeks: -2), outcome: .noDecision),
        ]
        #expect(!fired(snapshot, .ceStuck))
    }

    // MARK: Together

    @Test func severalRulesFireTogetherInTableOrder() {
        var snapshot = Self.quietCase(los: 40)
        snapshot.review?.q2.expectedDischargeDate = nil
        snapshot.review?.q2.actions[0].dueDate = Self.deadline.adding(days: -14)
        snapshot.review?.outcome = .escalateToLevel2(ask: "Help")
        snapshot.priorReviews = [PriorReview(week: Self.week.previous, primaryReason: .carePackageHome)]
        snapshot.level2History = [
            Level2Appearance(week: Self.week, outcome: .referredToChiefExecutive(ask: "Escalate")),
            Level2Appearance(week: Self.week.previous, outcome: .noDecision),
        ]
        let all = policy.evaluate(snapshot, taxonomy: .standard, redDays: .standard)
        #expect(all.map(\.rule) == [.l2Incomplete, .l2WardAsked, .l2LongNoEDD, .l2SameReason, .l2ActionOverdue, .ceReferred])
        #expect(
            policy.evaluate(snapshot, level: .level2, taxonomy: .standard, redDays: .standard).map(\.rule) == [
                .l2Incomplete, .l2WardAsked, .l2LongNoEDD, .l2SameReason, .l2ActionOverdue,
            ]
        )
        #expect(policy.evaluate(snapshot, level: .chiefExecutive, taxonomy: .standard, redDays: .standard).map(\.rule) == [.ceReferred])

        var quieter = policy
        quieter.enabledRules.remove(.l2Incomplete)
        #expect(!quieter.evaluate(snapshot, taxonomy: .standard, redDays: .standard).contains { $0.rule == .l2Incomplete })

        snapshot.isDischarged = true
        #expect(policy.evaluate(snapshot, taxonomy: .standard, redDays: .standard).isEmpty)
    }

    @Test func configuredThresholdsMoveTheBoundaries() {
        var policy = EscalationPolicy.standard
        policy.longStayDays = 14
        policy.expectedDischargeWindowDays = 3
        policy.actionOverdueDays = 2
        var snapshot = Self.quietCase(los: 14)
        snapshot.review?.q2.expectedDischargeDate = Self.deadline.adding(days: 4)
        snapshot.review?.q2.actions[0].dueDate = Self.deadline.adding(days: -3)
        #expect(policy.evaluate(snapshot, taxonomy: .standard, redDays: .standard).map(\.rule) == [.l2LongNoEDD, .l2ActionOverdue])
    }

    // MARK: The table and its configuration

    @Test func ruleTable() {
        #expect(
            EscalationRuleID.allCases.map(\.rawValue) == [
                "L2-INCOMPLETE", "L2-WARD-ASKED", "L2-LONG-NO-EDD", "L2-SAME-REASON", "L2-ACTION-OVERDUE", "L2-RED-DAYS", "CE-REFERRED",
                "CE-STUCK",
            ]
        )
        #expect(EscalationRuleID.l2LongNoEDD.description(using: .standard).contains("21 days or more"))
        #expect(EscalationRuleID.l2ActionOverdue.parameters(using: .standard).map(\.value) == [7])
        #expect(EscalationRuleID.l2RedDays.description(using: .standard).contains("3 or more consecutive red days"))
        #expect(EscalationRuleID.allCases.allSatisfy { !$0.title.isEmpty && !$0.description(using: .standard).isEmpty })
        #expect(EscalationPolicy.standard.problems().isEmpty)
        #expect(EscalationPolicy(sameReasonConsecutiveWeeks: 1, actionOverdueDays: -1).problems().count == 2)
    }

    @Test func policyDecodesWithDefaultsAndRefusesTypos() throws {
        let custom = try JSONDecoder().decode(
            EscalationPolicy.self,
            from: Data(#"{"actionOverdueDays": 14, "enabledRules": ["L2-INCOMPLETE", "CE-STUCK"]}"#.utf8)
        )
        #expect(custom.actionOverdueDays == 14)
        #expect(custom.longStayDays == 21)
        #expect(custom.enabledRules == [.l2Incomplete, .ceStuck])
        #expect(try JSONDecoder().decode(EscalationPolicy.self, from: Data("{}".utf8)) == .standard)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(EscalationPolicy.self, from: Data(#"{"enabledRules": ["L2-INCOMPLET"]}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(EscalationPolicy.self, from: Data(#"{"actionOverdueDay": 14}"#.utf8))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(EscalationPolicy.standard), as: UTF8.self)
        #expect(
            text.contains(
                #""enabledRules":["L2-INCOMPLETE","L2-WARD-ASKED","L2-LONG-NO-EDD","L2-SAME-REASON","L2-ACTION-OVERDUE","L2-RED-DAYS","CE-REFERRED","CE-STUCK"]"#
            )
        )
        #expect(try JSONDecoder().decode(EscalationPolicy.self, from: Data(text.utf8)) == .standard)
    }

    @Test func snapshotRoundTrips() throws {
        var snapshot = Self.quietCase()
        snapshot.level2History = [Level2Appearance(week: Self.week, outcome: .referredToChiefExecutive(ask: "Ask"))]
        let data = try JSONEncoder().encode(snapshot)
        #expect(try JSONDecoder().decode(CaseSnapshot.self, from: data) == snapshot)
    }
}
