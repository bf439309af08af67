import StrandedCore
import Testing

/// The escalation state machine, for every state a case's escalations can
/// be in and every event.
@Suite("Escalation transitions")
struct EscalationTransitionTests {
    static let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!
    static let earlier = week.previous

    /// Every state one level can be in, by a short name.
    static let states: [(name: String, state: EscalationState?)] = [
        ("none", nil),
        ("open", .open),
        ("resolved this week", .resolved(in: week)),
        ("resolved earlier", .resolved(in: earlier)),
        ("discharged this week", .closedOnDischarge(in: week)),
        ("discharged earlier", .closedOnDischarge(in: earlier)),
    ]

    /// Every pair of Level 2 and chief executive states.
    static var everyCase: [(name: String, escalations: CaseEscalations)] {
        states.flatMap { level2 in
            states.map { ce in ("L2 \(level2.name), CE \(ce.name)", CaseEscalations(level2: level2.state, chiefExecutive: ce.state)) }
        }
    }

    static let events: [EscalationEvent] = [
        .rulesFired(level: .level2), .rulesFired(level: .chiefExecutive),
        .level2Decision(nil, week: week, notes: nil), .level2Decision(.resolved, week: week, notes: "Placement found"),
        .level2Decision(.keep, week: week, notes: nil), .level2Decision(.referToChiefExecutive, week: week, notes: nil),
        .level2ActionAgreed(week: week),
        .chiefExecutiveDecision(.resolved, week: week, notes: "Funding agreed"),
        .chiefExecutiveDecision(.keep, week: week, notes: nil),
        .chiefExecutiveDecision(.returnToLevel2, week: week, notes: " "),
        .caseClosed(.discharged(on: week.day(2))), .caseClosed(.withdrawn(on: week.day(3))),
    ]

    /// The answer in a line: "refused", "no change", or the changes.
    static func summary(_ transition: EscalationTransition) -> String {
        switch transition {
        case .refused: return "refused"
        case let .apply(changes): return changes.isEmpty ? "no change" : changes.map(\.description).joined(separator: "; ")
        }
    }

    // MARK: Properties over every state and event

    @Test func everyChangeStartsFromTheCurrentStateAndLeavesAtMostOneOpenPerLevel() {
        for (name, escalations) in Self.everyCase {
            for event in Self.events {
                let changes = escalations.transition(event).changes
                for change in changes {
                    if change.kind == .open {
                        #expect(escalations[change.level]?.isOpen != true, "\(name), \(event): opened a second escalation")
                    } else {
                        #expect(change.from == escalations[change.level], "\(name), \(event): \(change) does not start from the current state")
                    }
                    #expect(change.from != change.to || change.kind == .open, "\(name), \(event): \(change) changes nothing")
                    #expect((change.outcome == nil) == change.to.isOpen, "\(name), \(event): an open escalation has no outcome, a closed one has one")
                }
                #expect(Set(changes.map(\.level)).count == changes.count, "\(name), \(event): one change per level at most")
            }
        }
    }

    @Test func closedEscalationsOnlyReopenThroughTheSameWeeksLevel2Decision() {
        for (name, escalations) in Self.everyCase {
            for event in Self.events {
                for change in escalations.transition(event).changes where change.kind == .reopen {
                    #expect(change.level == .level2 && change.from == .resolved(in: Self.week), "\(name), \(event)")
                    guard case .level2Decision(let decision, Self.week, _) = event else {
                        Issue.record("\(name), \(event): reopened by something other than a Level 2 decision")
                        continue
                    }
                    #expect(decision != .resolved)
                }
            }
        }
    }

    @Test func aClosedCaseClosesEveryOpenEscalationAndNothingElse() {
        for (name, escalations) in Self.everyCase {
            for closure in [CaseClosure.discharged(on: Self.week.day(6)), .withdrawn(on: Self.week.day(0))] {
                let after = escalations.applying(escalations.transition(.caseClosed(closure)).changes)
                for level in EscalationLevel.allCases {
                    let expected = escalations[level] == .open ? .closedOnDischarge(in: Self.week) : escalations[level]
                    #expect(after[level] == expected, "\(name), \(closure), \(level)")
                }
            }
        }
    }

    // MARK: The table, event by event

    /// Expected answers by Level 2 state (the chief executive state does not
    /// matter to these events), checked against every chief executive state.
    @Test(arguments: [
        (
            EscalationEvent.level2Decision(.resolved, week: EscalationTransitionTests.week, notes: "Placement found"),
            [
                "none": "refused",
                "open": "resolve level2: open → resolved in 2026-11-16",
                "resolved this week": "no change",
                "resolved earlier": "refused",
                "discharged this week": "refused",
                "discharged earlier": "refused",
            ]
        ),
        (
            EscalationEvent.level2Decision(.keep, week: EscalationTransitionTests.week, notes: nil),
            [
                "none": "refused",
                "open": "no change",
                "resolved this week": "reopen level2: resolved in 2026-11-16 → open",
                "resolved earlier": "refused",
                "discharged this week": "refused",
                "discharged earlier": "refused",
            ]
        ),
        (
            EscalationEvent.level2Decision(.referToChiefExecutive, week: EscalationTransitionTests.week, notes: nil),
            [
                "none": "refused",
                "open": "no change",
                "resolved this week": "reopen level2: resolved in 2026-11-16 → open",
                "resolved earlier": "refused",
                "discharged this week": "refused",
                "discharged earlier": "refused",
            ]
        ),
        (
            EscalationEvent.level2Decision(nil, week: EscalationTransitionTests.week, notes: "Discussed"),
            [
                "none": "refused",
                "open": "no change",
                "resolved this week": "reopen level2: resolved in 2026-11-16 → open",
                "resolved earlier": "refused",
                "discharged this week": "refused",
                "discharged earlier": "refused",
            ]
        ),
        (
            EscalationEvent.level2ActionAgreed(week: EscalationTransitionTests.week),
            [
                "none": "refused",
                "open": "no change",
                "resolved this week": "no change",
                "resolved earlier": "refused",
                "discharged this week": "no change",
                "discharged earlier": "refused",
            ]
        ),
        (
            EscalationEvent.rulesFired(level: .level2),
            [
                "none": "open level2: none → open",
                "open": "no change",
                "resolved this week": "open level2: none → open",
                "resolved earlier": "open level2: none → open",
                "discharged this week": "open level2: none → open",
                "discharged earlier": "open level2: none → open",
            ]
        ),
    ])
    func level2Events(event: EscalationEvent, expected: [String: String]) {
        for level2 in Self.states {
            for ce in Self.states {
                let escalations = CaseEscalations(level2: level2.state, chiefExecutive: ce.state)
                #expect(Self.summary(escalations.transition(event)) == expected[level2.name], "L2 \(level2.name), CE \(ce.name)")
            }
        }
    }

    /// Expected answers by chief executive state, for each Level 2 state
    /// where it matters ("any" otherwise).
    @Test func chiefExecutiveEvents() {
        let resolveBoth = "resolve level2: open → resolved in 2026-11-16; resolve chief-executive: open → resolved in 2026-11-16"
        let resolveCall = "resolve chief-executive: open → resolved in 2026-11-16"
        for level2 in Self.states {
            for ce in Self.states {
                let escalations = CaseEscalations(level2: level2.state, chiefExecutive: ce.state)
                let where_ = "L2 \(level2.name), CE \(ce.name)"
                let atTheCall = ce.state == .open
                #expect(
                    Self.summary(escalations.transition(.chiefExecutiveDecision(.keep, week: Self.week, notes: nil)))
                        == (atTheCall ? "no change" : "refused"),
                    "\(where_)"
                )
                #expect(
                    Self.summary(escalations.transition(.chiefExecutiveDecision(.returnToLevel2, week: Self.week, notes: nil)))
                        == (atTheCall ? resolveCall : "refused"),
                    "\(where_)"
                )
                #expect(
                    Self.summary(escalations.transition(.chiefExecutiveDecision(.resolved, week: Self.week, notes: nil)))
                        == (atTheCall ? (level2.state == .open ? resolveBoth : resolveCall) : "refused"),
                    "\(where_)"
                )
                #expect(
                    Self.summary(escalations.transition(.rulesFired(level: .chiefExecutive)))
                        == (atTheCall ? "no change" : "open chief-executive: none → open"),
                    "\(where_)"
                )
            }
        }
    }

    // MARK: Outcomes and refusals, in words

    @Test func outcomesNameWhatHappenedAndCarryTheNotes() {
        let open = CaseEscalations(level2: .open, chiefExecutive: .open)
        func outcomes(_ event: EscalationEvent) -> [String?] { open.transition(event).changes.map(\.outcome) }
        #expect(outcomes(.level2Decision(.resolved, week: Self.week, notes: "Placement found")) == ["Resolved at Level 2: Placement found"])
        #expect(outcomes(.level2Decision(.resolved, week: Self.week, notes: "  ")) == ["Resolved at Level 2"])
        #expect(
            outcomes(.chiefExecutiveDecision(.resolved, week: Self.week, notes: "Funding agreed"))
                == ["Resolved at the chief executive call: Funding agreed", "Resolved at the chief executive call: Funding agreed"]
        )
        #expect(
            outcomes(.chiefExecutiveDecision(.returnToLevel2, week: Self.week, notes: nil)) == ["Returned to Level 2 by the chief executive call"]
        )
        #expect(
            outcomes(.caseClosed(.discharged(on: CalendarDate(iso: "2026-11-18")!)))
                == ["Patient discharged on 2026-11-18 (absent from the ward list)", "Patient discharged on 2026-11-18 (absent from the ward list)"]
        )
        #expect(
            outcomes(.caseClosed(.withdrawn(on: CalendarDate(iso: "2026-11-18")!)))
                == [
                    "Case withdrawn: a corrected ward list no longer shows the stay",
                    "Case withdrawn: a corrected ward list no longer shows the stay",
                ]
        )
    }

    @Test func aDischargeClosesInTheWeekOfItsDate() {
        let sunday = CalendarDate(iso: "2026-11-22")!
        let change = CaseEscalations(level2: .open).transition(.caseClosed(.discharged(on: sunday))).changes
        #expect(change.map(\.to) == [.closedOnDischarge(in: Self.week)])
        #expect(change.map(\.kind) == [.closeOnDischarge])
    }

    @Test func refusalsSayWhichMeetingCannotRecordTheCase() {
        #expect(CaseEscalations().transition(.level2Decision(.keep, week: Self.week, notes: nil)) == .refused(.notEscalated(.level2)))
        #expect(
            EscalationRefusal.notEscalated(.level2).message(caseID: 12)
                == "case C-000012 has no open Level 2 escalation; only escalated cases can be recorded at that meeting"
        )
        #expect(
            EscalationRefusal.notEscalated(.chiefExecutive).message(caseID: 12)
                == "case C-000012 has no open chief executive call escalation; only escalated cases can be recorded at that meeting"
        )
    }

    @Test func storedPartsMakeAStateOnlyWhenAClosedOneHasAWeek() {
        #expect(EscalationState(status: .open, closedWeek: nil) == .open)
        #expect(EscalationState(status: .resolved, closedWeek: Self.week) == .resolved(in: Self.week))
        #expect(EscalationState(status: .closedOnDischarge, closedWeek: Self.week) == .closedOnDischarge(in: Self.week))
        #expect(EscalationState(status: .resolved, closedWeek: nil) == nil)
        for state in Self.states.compactMap(\.state) {
            #expect(EscalationState(status: state.status, closedWeek: state.closedWeek) == state)
        }
    }

    @Test func meetingRecordsNeedTheirParts() {
        #expect(Level2MeetingProblems.agreedAction(description: " ", owner: "S Patel") != nil)
        #expect(Level2MeetingProblems.agreedAction(description: "Assess", owner: "") != nil)
        #expect(Level2MeetingProblems.agreedAction(description: "Assess", owner: "S Patel") == nil)
        #expect(Level2MeetingProblems.attendee(name: "\n") == "Give the attendee's name.")
        #expect(Level2MeetingProblems.attendee(name: "Chair") == nil)
    }
}
