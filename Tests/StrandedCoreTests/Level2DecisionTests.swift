import StrandedCore
import Testing

/// How a week's Level 2 record counts for the chief executive rules.
@Suite("Level 2 decisions")
struct Level2DecisionTests {
    @Test func whatCountsAsADecision() {
        #expect(Level2Decision.meetingOutcome(decision: nil, ask: nil, notes: nil, actionsAgreed: 0) == .noDecision)
        #expect(Level2Decision.meetingOutcome(decision: .keep, ask: nil, notes: nil, actionsAgreed: 0) == .noDecision)
        #expect(
            Level2Decision.meetingOutcome(decision: .keep, ask: nil, notes: nil, actionsAgreed: 1)
                == .decided(summary: "Kept at Level 2 with 1 action agreed")
        )
        #expect(Level2Decision.meetingOutcome(decision: nil, ask: nil, notes: nil, actionsAgreed: 2) == .decided(summary: "2 actions agreed"))
        #expect(
            Level2Decision.meetingOutcome(decision: .resolved, ask: nil, notes: " ", actionsAgreed: 0) == .decided(summary: "Resolved at Level 2")
        )
        #expect(
            Level2Decision.meetingOutcome(decision: .referToChiefExecutive, ask: "Fund it", notes: nil, actionsAgreed: 0)
                == .referredToChiefExecutive(ask: "Fund it")
        )
    }

    @Test func aReferralNeedsAnAsk() {
        #expect(Level2Decision.problem(decision: .referToChiefExecutive, ask: nil) != nil)
        #expect(Level2Decision.problem(decision: .referToChiefExecutive, ask: "  ") != nil)
        #expect(Level2Decision.problem(decision: .referToChiefExecutive, ask: "Fund it") == nil)
        #expect(Level2Decision.problem(decision: .keep, ask: nil) == nil)
    }

    /// Two meetings kept without actions is stuck; one with an action agreed breaks the run.
    @Test func stuckFollowsTheMapping() {
        let w1 = ReviewWeek(monday: CalendarDate(iso: "2026-11-09")!)!
        let w2 = w1.next
        func snapshot(_ second: Level2MeetingOutcome) -> CaseSnapshot {
            CaseSnapshot(
                week: w2,
                evaluationDate: w2.day(4),
                lengthOfStay: LengthOfStay(days: 30)!,
                level2History: [
                    Level2Appearance(week: w1, outcome: Level2Decision.meetingOutcome(decision: .keep, ask: nil, notes: nil, actionsAgreed: 0)),
                    Level2Appearance(week: w2, outcome: second),
                ]
            )
        }
        let policy = EscalationPolicy.standard
        #expect(
            policy.evaluate(
                .ceStuck,
                on: snapshot(Level2Decision.meetingOutcome(decision: nil, ask: nil, notes: nil, actionsAgreed: 0)),
                taxonomy: .standard,
                redDays: .standard
            ) != nil
        )
        #expect(
            policy.evaluate(
                .ceStuck,
                on: snapshot(Level2Decision.meetingOutcome(decision: .keep, ask: nil, notes: nil, actionsAgreed: 1)),
                taxonomy: .standard,
                redDays: .standard
            ) == nil
        )
    }
}
