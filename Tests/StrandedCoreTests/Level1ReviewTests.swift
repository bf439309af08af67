import Foundation
import Testing

@testable import StrandedCore

/// A complete Level 1 review, shared by the form and escalation tests.
enum Level1Fixture {
    static func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    /// What a week's draft looks like when opened from `previous` (the
    /// reasons, the open actions, the EDD and pathway; nothing else): test
    /// data for the rules that must treat such a draft as not started.
    static func carriedForward(from previous: Level1Review) -> Level1Review {
        Level1Review(
            q1: .init(reasons: previous.q1.reasons),
            q2: .init(
                actions: previous.q2.openActions,
                expectedDischargeDate: previous.q2.expectedDischargeDate,
                pathway: previous.q2.pathway
            )
        )
    }

    static func complete(edd: CalendarDate? = date("2025-01-10")) -> Level1Review {
        Level1Review(
            q1: .init(
                reasons: [DelayReasonEntry(code: .carePackageHome, isPrimary: true), DelayReasonEntry(code: .equipmentAdaptations)],
                narrative: "Medically optimised; needs a double-up care package."
            ),
            q2: .init(
                actions: [
                    ReviewAction(description: "Source package of care", owner: "A Khan, brokerage", agency: .socialCare, dueDate: date("2025-01-09")),
                    ReviewAction(description: "Order hospital bed for home", owner: "OT", agency: .nhs, dueDate: date("2025-01-03"), isDone: true),
                ],
                expectedDischargeDate: edd,
                pathway: 1
            ),
            q3: .init(narrative: "Refer to brokerage on day 2.", learningTheme: "early referral"),
            status: .red,
            reviewers: .init(health: "S Jones, ward sister", socialCare: "P Okafor, social worker"),
            outcome: .managedAtWard
        )
    }
}

/// One way of breaking a complete form, and the field key that must then be reported.
struct FormBreakage: Sendable, CustomTestStringConvertible {
    let field: String
    let kind: FormProblem.Kind
    let apply: @Sendable (inout Level1Review) -> Void

    init(_ field: String, _ kind: FormProblem.Kind = .missing, _ apply: @escaping @Sendable (inout Level1Review) -> Void) {
        self.field = field
        self.kind = kind
        self.apply = apply
    }

    var testDescription: String { field }
}

@Suite("Level 1 form")
struct Level1ReviewTests {
    @Test func completeFormHasNoProblems() {
        let review = Level1Fixture.complete()
        #expect(review.missingFields().isEmpty)
        #expect(review.invalidValues(taxonomy: .standard).isEmpty)
        #expect(review.isComplete(taxonomy: .standard))
        #expect(review.q1.primaryReason == .carePackageHome)
    }

    static let missing: [FormBreakage] = [
        FormBreakage("q1.reasons") { $0.q1.reasons = [] },
        FormBreakage("q1.primary") { $0.q1.reasons[0].isPrimary = false },
        FormBreakage("q1.narrative") { $0.q1.narrative = "  \n" },
        FormBreakage("q2.actions") { $0.q2.actions = [] },
        FormBreakage("q2.actions") { $0.q2.actions[0].isDone = true },
        FormBreakage("q2.actions[0].description") { $0.q2.actions[0].description = "" },
        FormBreakage("q2.actions[1].owner") { $0.q2.actions[1].owner = " " },
        FormBreakage("q2.actions[0].agency") { $0.q2.actions[0].agency = nil },
        FormBreakage("q2.actions[0].dueDate") { $0.q2.actions[0].dueDate = nil },
        FormBreakage("q2.expectedDischargeDate") { $0.q2.expectedDischargeDate = nil },
        FormBreakage("q2.pathway") { $0.q2.pathway = nil },
        FormBreakage("q3.narrative") { $0.q3.narrative = "" },
        FormBreakage("reviewers.health") { $0.reviewers.health = "" },
        FormBreakage("reviewers.socialCare") { $0.reviewers.socialCare = "" },
        FormBreakage("outcome") { $0.outcome = nil },
        FormBreakage("outcome.ask") { $0.outcome = .escalateToLevel2(ask: " ") },
    ]

    @Test("each missing part is reported by its field key", arguments: missing)
    func missingField(breakage: FormBreakage) {
        var review = Level1Fixture.complete()
        breakage.apply(&review)
        let problems = review.missingFields()
        #expect(problems.map(\.field) == [breakage.field])
        #expect(problems.allSatisfy { $0.kind == .missing && !$0.message.isEmpty })
        #expect(!review.isComplete(taxonomy: .standard))
    }

    static let invalid: [FormBreakage] = [
        FormBreakage("q1.reasons[1].code", .invalid) { $0.q1.reasons[1].code = "waiting-for-godot" },
        FormBreakage("q1.reasons[1].code", .invalid) { $0.q1.reasons[1].code = .carePackageHome },
        FormBreakage("q1.primary", .invalid) { $0.q1.reasons[1].isPrimary = true },
        FormBreakage("q2.pathway", .invalid) { $0.q2.pathway = 4 },
        FormBreakage("q2.pathway", .invalid) { $0.q2.pathway = -1 },
        FormBreakage("reviewers.socialCare", .invalid) { $0.reviewers.socialCare = "s jones,  WARD SISTER" },
    ]

    @Test("each invalid value is reported by its field key", arguments: invalid)
    func invalidValue(breakage: FormBreakage) {
        var review = Level1Fixture.complete()
        breakage.apply(&review)
        #expect(review.missingFields().isEmpty)
        let problems = review.invalidValues(taxonomy: .standard)
        #expect(problems.map(\.field) == [breakage.field])
        #expect(problems.allSatisfy { $0.kind == .invalid })
        #expect(!review.isComplete(taxonomy: .standard))
    }

    @Test func messagesNumberActionsFromOne() {
        var review = Level1Fixture.complete()
        review.q2.actions[1].owner = ""
        #expect(review.missingFields().first?.message.hasPrefix("Action 2:") == true)
    }

    @Test func emptyFormListsEverything() {
        let fields = Level1Review().missingFields().map(\.field)
        #expect(
            fields == [
                "q1.reasons", "q1.narrative", "q2.actions", "q2.expectedDischargeDate", "q2.pathway",
                "q3.narrative", "reviewers.health", "reviewers.socialCare", "outcome",
            ]
        )
    }

    @Test func singleReasonNeedsNoPrimaryTick() {
        var review = Level1Fixture.complete()
        review.q1.reasons = [DelayReasonEntry(code: .housing)]
        #expect(review.isComplete(taxonomy: .standard))
        #expect(review.q1.primaryReason == .housing)
    }

    @Test func unknownCodeIsValidAgainstACustomTaxonomy() throws {
        var review = Level1Fixture.complete()
        review.q1.reasons.append(DelayReasonEntry(code: "local-virtual-ward"))
        #expect(!review.isComplete(taxonomy: .standard))
        let extra = DelayReason(
            code: "local-virtual-ward",
            label: "Awaiting virtual ward",
            agency: .nhs,
            sitrep: .init(group: .capacity, detail: "Virtual ward place not yet available"),
            legacyCategory: .c
        )
        let local = try DelayReasonTaxonomy(reasons: DelayReasonTaxonomy.standard.reasons + [extra])
        #expect(review.isComplete(taxonomy: local))
    }

    @Test func formStatus() {
        let complete = Level1Fixture.complete()
        let draft = Level1Fixture.carriedForward(from: complete)
        var escalating = complete
        escalating.outcome = .escalateToLevel2(ask: "Agree interim bed-based care while the package is sourced")
        var partial = draft
        partial.status = .green

        #expect(FormStatus.of(nil, taxonomy: .standard) == .notStarted)
        #expect(FormStatus.of(Level1Review(), taxonomy: .standard) == .notStarted)
        #expect(FormStatus.of(draft, untouchedDraft: draft, taxonomy: .standard) == .notStarted)
        #expect(FormStatus.of(partial, untouchedDraft: draft, taxonomy: .standard) == .inProgress)
        #expect(FormStatus.of(complete, taxonomy: .standard) == .complete)
        #expect(FormStatus.of(escalating, taxonomy: .standard) == .escalated)
        #expect(FormStatus.of(complete, discharged: true, taxonomy: .standard) == .discharged)
        #expect(FormStatus.allCases.map(\.rawValue) == ["not-started", "in-progress", "complete", "escalated", "discharged"])
    }

    @Test func codableRoundTripAndPartialPayloads() throws {
        var review = Level1Fixture.complete()
        review.outcome = .escalateToLevel2(ask: "Fund a bridging package")
        let data = try JSONEncoder().encode(review)
        #expect(try JSONDecoder().decode(Level1Review.self, from: data) == review)

        let partial =
            #"{"q1": {"reasons": [{"code": "housing"}]}, "q2": {"actions": [{"description": "Call housing officer"}], "pathway": 7}, "status": "green"}"#
        let decoded = try JSONDecoder().decode(Level1Review.self, from: Data(partial.utf8))
        #expect(decoded.q1.primaryReason == .housing)
        #expect(decoded.q2.actions.first?.owner == "")
        #expect(decoded.status == .green)
        #expect(decoded.invalidValues(taxonomy: .standard).map(\.field) == ["q2.pathway"])

        let outcome = try JSONDecoder().decode(Level1Outcome.self, from: Data(#"{"kind": "managed-at-ward"}"#.utf8))
        #expect(outcome == .managedAtWard)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Level1Outcome.self, from: Data(#"{"kind": "shrug"}"#.utf8))
        }
    }
}
