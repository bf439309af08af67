import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport

@testable import Workflow

/// A Level 1 review, complete unless the caller blanks part of it.
func scenarioReview(reason: DelayReasonCode, edd: String, actions: [ReviewAction] = [], ask: String? = nil) -> Level1Review {
    let open = ReviewAction(description: "Chase the next step", owner: "Ward manager", agency: .nhs, dueDate: CalendarDate(iso: "2026-12-31"))
    return Level1Review(
        q1: .init(reasons: [DelayReasonEntry(code: reason, isPrimary: true)], narrative: "Still waiting."),
        q2: .init(actions: actions.isEmpty ? [open] : actions, expectedDischargeDate: CalendarDate(iso: edd), pathway: 1),
        q3: .init(narrative: "Earlier referral."),
        status: .red,
        reviewers: .init(health: "Sister Jones", socialCare: "Sam Patel"),
        outcome: ask.map { .escalateToLevel2(ask: $0) } ?? .managedAtWard
    )
}

/// Four weeks of one ward, imported week by week, with the cycle run at each
/// milestone: which cases escalate to which level, when, and by which rules.
///
/// Patients (all on ACU1 ward W1):
/// - A (admitted 20 Oct): reviews on time; the same primary reason two weeks
///   running (week 2), then an action more than 7 days overdue (week 3).
/// - B (26 Oct): no form in week 1; resolved at Level 2; no form again in
///   week 3 (now 21+ days with no expected discharge date), late in week 4.
/// - C (1 Oct): the ward asks for Level 2 in week 1 with a far discharge
///   date; Level 2 refers it to the chief executive call, which resolves it
///   in week 2.
/// - D (25 Oct): week 1's form completed late; Level 2 records nothing for
///   two meetings, so it goes to the call as stuck; discharged in week 3,
///   which closes its escalations.
@Suite("Escalation: a four-week scenario")
struct EscalationScenarioTests {
    static let header = "site_code,ward_code,nhs_number,admission_date,family_name,given_name,age\n"
    static func row(_ i: Int, _ admitted: String, _ name: String) -> String { "ACU1,W1,\(nhs(i)),\(admitted),\(name),Pat,80\n" }
    static let a = row(11, "2026-10-20", "Adams"), b = row(12, "2026-10-26", "Brown"), c = row(13, "2026-10-01", "Cole"),
        d = row(14, "2026-10-25", "Dale")
    static let weeks = ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"].map { ReviewWeek(monday: CalendarDate(iso: $0)!)! }

    struct World {
        let database: Database
        let fixture: ImportFixture
        let runner: CycleRunner
        let meetings: MeetingService

        func importWeek(_ index: Int, _ rows: String...) async throws {
            let report = try await fixture.importText(EscalationScenarioTests.header + rows.joined(), snapshotDate: weeks[index].monday.iso)
            #expect(report.verdict == .accepted)
        }

        func run(_ job: CycleJob, _ index: Int) async throws -> CycleJobResult {
            try await runner.run(job, week: weeks[index], actor: "test")
        }

        func caseID(_ family: String) async throws -> Int64 {
            try await database.client.query(
                """
                SELECT c.id FROM patient_case c JOIN list_row r ON r.site_id = c.site_id AND r.patient_key = c.patient_key
                WHERE r.family_name = \(family) LIMIT 1
                """
            )[0].decode("id")
        }

        /// Saves a review on the case's form for the week (as the ward would),
        /// on the clock of the scenario: while the runs before the deadline
        /// have not happened, before it; else just after.
        func save(_ family: String, week index: Int, _ review: Level1Review, late: Bool = false) async throws {
            let id = try await caseID(family)
            let row = try await database.client.query(
                "SELECT id, version FROM level1_form WHERE case_id = \(id) AND week_start = \(weeks[index].monday)"
            )[0]
            let deadline = StrandedPolicy.standard.timetable.instant(of: .level1Deadline, in: weeks[index])
            let savedAt = deadline.addingTimeInterval(late ? 3600 : -3600)
            let result = try await ReviewService(database: database, policy: .standard, now: { savedAt }).saveDraft(
                id: try row.decode("id"),
                version: try row.decode("version"),
                review: review,
                by: "ward"
            )
            guard case .saved = result else {
                Issue.record("could not save \(family)'s form")
                return
            }
        }

        /// "Family: RULE,RULE" for every rule hit at `level` in the week, sorted.
        func hits(_ index: Int, level: String) async throws -> [String] {
            let rows = try await database.client.query(
                """
                SELECT r.family_name, string_agg(h.rule_id, ',' ORDER BY h.rule_id) AS rules
                FROM escalation_rule_hit h JOIN escalation e ON e.id = h.escalation_id
                JOIN patient_case c ON c.id = e.case_id
                JOIN LATERAL (SELECT family_name FROM list_row r WHERE r.site_id = c.site_id AND r.patient_key = c.patient_key LIMIT 1) r ON true
                WHERE h.week = \(weeks[index].monday) AND e.level = \(level)
                GROUP BY r.family_name ORDER BY r.family_name
                """
            )
            return try rows.map { "\(try $0.decode("family_name", as: String.self)): \(try $0.decode("rules", as: String.self))" }
        }

        func escalationStates(_ family: String) async throws -> [String] {
            let id = try await caseID(family)
            return try await database.client.query(
                """
                SELECT level, opened_week, status FROM escalation WHERE case_id = \(id) ORDER BY id
                """
            ).map {
                "\(try $0.decode("level", as: String.self)) \(try $0.decode("opened_week", as: CalendarDate.self).iso) \(try $0.decode("status", as: String.self))"
            }
        }
    }

    @Test func fourWeeks() async throws {
        try await TestCluster.withDatabase { database in
            let world = World(
                database: database,
                fixture: try await ImportFixture(database: database),
                runner: CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil),
                meetings: MeetingService(database: database, policy: .standard)
            )
            let overdueAction = ReviewAction(
                description: "Social work assessment",
                owner: "S Patel",
                agency: .socialCare,
                dueDate: CalendarDate(iso: "2026-11-06")
            )

            // Week 1 (2 Nov). A reviewed; C asks for Level 2; B and D not started by the deadline.
            try await world.importWeek(0, Self.a, Self.b, Self.c, Self.d)
            _ = try await world.run(.openWeek, 0)
            try await world.save("Adams", week: 0, scenarioReview(reason: .carePackageHome, edd: "2026-11-10", actions: [overdueAction]))
            try await world.save("Cole", week: 0, scenarioReview(reason: .nursingHome, edd: "2026-12-20", ask: "Find a nursing home bed"))
            let deadline1 = try await world.run(.applyLevel1Deadline, 0)
            #expect(deadline1.escalation?.opened == 3)
            #expect(
                try await world.hits(0, level: "level2") == ["Brown: L2-INCOMPLETE", "Cole: L2-LONG-NO-EDD,L2-WARD-ASKED", "Dale: L2-INCOMPLETE"]
            )
            // D's form arrives late: the escalation stands.
            try await world.save("Dale", week: 0, scenarioReview(reason: .awaitingAssessment, edd: "2026-11-12"), late: true)
            let agenda1 = try await world.run(.buildLevel2Agenda, 0)
            #expect(agenda1.agendaVersion == 1)
            let stored1 = try #require(try await world.meetings.agenda(week: Self.weeks[0]))
            #expect(stored1.content.cases.compactMap(\.familyName).sorted() == ["Brown", "Cole", "Dale"])
            #expect(stored1.content.newCases == 3)
            let cole1 = try #require(stored1.content.cases.first { $0.familyName == "Cole" })
            #expect(Set(cole1.rules.map(\.rule)) == ["L2-WARD-ASKED", "L2-LONG-NO-EDD"])
            #expect(cole1.agency == "both")  // nursing home: NHS and social care in the taxonomy
            // The meeting: B resolved, C referred with an ask, nothing for D.
            _ = try await world.meetings.recordDecision(
                caseID: try await world.caseID("Brown"),
                week: Self.weeks[0],
                decision: .resolved,
                ask: nil,
                notes: "Package found",
                actor: "chair"
            )
            _ = try await world.meetings.recordDecision(
                caseID: try await world.caseID("Cole"),
                week: Self.weeks[0],
                decision: .referToChiefExecutive,
                ask: "Fund a nursing home placement",
                notes: nil,
                actor: "chair"
            )
            _ = try await world.run(.buildChiefExecutiveSummary, 0)
            #expect(try await world.hits(0, level: "ce-call") == ["Cole: CE-REFERRED"])
            let list1 = try await world.meetings.chiefExecutiveList(week: Self.weeks[0])
            #expect(list1.map(\.reference) == [CaseReference(caseID: try await world.caseID("Cole")).description])
            #expect(list1.first?.ask == "Fund a nursing home placement")
            // What the chief executive summary is given: counts, and synopses without identifiers.
            let inputs = try await world.meetings.summaryInputs(week: Self.weeks[0])
            // (Read through their descriptions: this test target does not import Reports.)
            let activity = "\(inputs.activity)"
            #expect(activity.contains("level2Opened: 3") && activity.contains("level2Resolved: 1") && activity.contains("chiefExecutiveOpened: 1"))
            #expect(inputs.referredCases.count == 1)
            #expect("\(inputs.referredCases)".contains("Fund a nursing home placement"))
            #expect(!"\(inputs.referredCases)".contains("Cole"))
            #expect(!"\(inputs.referredCases)".contains(nhs(13)))
            _ = try await world.meetings.recordChiefExecutiveDecision(
                caseID: try await world.caseID("Cole"),
                week: Self.weeks[0],
                decision: .keep,
                notes: "CEOs to speak",
                actor: "ce"
            )

            // Re-running week 1's deadline escalates nobody twice.
            let again = try await world.run(.applyLevel1Deadline, 0)
            #expect(again.escalation?.opened == 0)
            #expect(try await world.hits(0, level: "level2").count == 3)

            // Week 2 (9 Nov). A: the same primary reason again. C (at the call) not reviewed. B and D reviewed.
            try await world.importWeek(1, Self.a, Self.b, Self.c, Self.d)
            _ = try await world.run(.openWeek, 1)
            try await world.save("Adams", week: 1, scenarioReview(reason: .carePackageHome, edd: "2026-11-14", actions: [overdueAction]))
            try await world.save("Brown", week: 1, scenarioReview(reason: .housing, edd: "2026-11-20"))
            try await world.save("Dale", week: 1, scenarioReview(reason: .housing, edd: "2026-11-15"))
            _ = try await world.run(.applyLevel1Deadline, 1)
            #expect(try await world.hits(1, level: "level2") == ["Adams: L2-SAME-REASON", "Cole: L2-INCOMPLETE,L2-LONG-NO-EDD"])
            _ = try await world.run(.buildLevel2Agenda, 1)
            let stored2 = try #require(try await world.meetings.agenda(week: Self.weeks[1]))
            // C is with the chief executive call, so not on the Level 2 agenda.
            #expect(stored2.content.cases.compactMap(\.familyName).sorted() == ["Adams", "Dale"])
            #expect(stored2.content.cases.first { $0.familyName == "Dale" }?.isNew == false)
            #expect(stored2.content.cases.first { $0.familyName == "Dale" }?.history.first?.level2Decision == "No decision recorded")
            // A kept with an action agreed (a decision); D again nothing.
            let adamsID = try await world.caseID("Adams")
            _ = try await world.meetings.addAction(
                caseID: adamsID,
                week: Self.weeks[1],
                description: "Broker a package",
                agency: .socialCare,
                owner: "Head of brokerage",
                dueDate: CalendarDate(iso: "2026-11-13")!,
                actor: "chair"
            )
            _ = try await world.meetings.recordDecision(caseID: adamsID, week: Self.weeks[1], decision: .keep, ask: nil, notes: nil, actor: "chair")
            _ = try await world.run(.buildChiefExecutiveSummary, 1)
            #expect(try await world.hits(1, level: "ce-call") == ["Dale: CE-STUCK"])
            _ = try await world.meetings.recordChiefExecutiveDecision(
                caseID: try await world.caseID("Cole"),
                week: Self.weeks[1],
                decision: .resolved,
                notes: "Placement funded",
                actor: "ce"
            )
            #expect(try await world.escalationStates("Cole") == ["level2 2026-11-02 resolved", "ce-call 2026-11-02 resolved"])

            // Week 3 (16 Nov). D has gone home: its escalations close with the import.
            try await world.importWeek(2, Self.a, Self.b, Self.c)
            #expect(try await world.escalationStates("Dale") == ["level2 2026-11-02 closed-discharged", "ce-call 2026-11-09 closed-discharged"])
            let outcome: String? = try await database.client.query(
                "SELECT outcome FROM escalation WHERE case_id = \(try await world.caseID("Dale")) LIMIT 1"
            )[0].decode("outcome")
            #expect(outcome?.contains("discharged on 2026-11-16") == true)
            _ = try await world.run(.openWeek, 2)
            try await world.save("Adams", week: 2, scenarioReview(reason: .nursingHome, edd: "2026-11-21", actions: [overdueAction]))
            try await world.save("Cole", week: 2, scenarioReview(reason: .furtherNHSCare, edd: "2026-11-20"))
            _ = try await world.run(.applyLevel1Deadline, 2)
            #expect(try await world.hits(2, level: "level2") == ["Adams: L2-ACTION-OVERDUE", "Brown: L2-INCOMPLETE,L2-LONG-NO-EDD"])
            #expect(try await world.escalationStates("Brown") == ["level2 2026-11-02 resolved", "level2 2026-11-16 open"])
            _ = try await world.run(.buildLevel2Agenda, 2)
            let stored3 = try #require(try await world.meetings.agenda(week: Self.weeks[2]))
            #expect(stored3.content.cases.map { "\($0.familyName ?? "") \($0.isNew)" }.sorted() == ["Adams false", "Brown true"])
            _ = try await world.run(.buildChiefExecutiveSummary, 2)
            #expect(try await world.hits(2, level: "ce-call") == [])

            // Week 4 (23 Nov). B's form comes in late again; A and C are fine.
            try await world.importWeek(3, Self.a, Self.b, Self.c)
            _ = try await world.run(.openWeek, 3)
            var done = overdueAction
            done.isDone = true
            try await world.save(
                "Adams",
                week: 3,
                scenarioReview(
                    reason: .residentialHome,
                    edd: "2026-11-28",
                    actions: [
                        done,
                        ReviewAction(
                            description: "Care home assessment",
                            owner: "Care home",
                            agency: .socialCare,
                            dueDate: CalendarDate(iso: "2026-11-30")
                        ),
                    ]
                )
            )
            try await world.save("Cole", week: 3, scenarioReview(reason: .equipmentAdaptations, edd: "2026-11-27"))
            _ = try await world.run(.applyLevel1Deadline, 3)
            try await world.save("Brown", week: 3, scenarioReview(reason: .housing, edd: "2026-11-26"), late: true)
            #expect(try await world.hits(3, level: "level2") == ["Brown: L2-INCOMPLETE,L2-LONG-NO-EDD"])
            #expect(try await world.escalationStates("Adams") == ["level2 2026-11-09 open"])
            #expect(try await world.escalationStates("Brown") == ["level2 2026-11-02 resolved", "level2 2026-11-16 open"])
        }
    }

    @Test func rebuildingTheAgendaFreezesANewVersionAndKeepsTheOld() async throws {
        try await TestCluster.withDatabase { database in
            let world = World(
                database: database,
                fixture: try await ImportFixture(database: database),
                runner: CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil),
                meetings: MeetingService(database: database, policy: .standard)
            )
            try await world.importWeek(0, Self.b, Self.c)
            _ = try await world.run(.applyLevel1Deadline, 0)
            _ = try await world.run(.buildLevel2Agenda, 0)
            // Brown is resolved early; the rebuilt agenda no longer has him, version 1 still does.
            _ = try await world.meetings.recordDecision(
                caseID: try await world.caseID("Brown"),
                week: Self.weeks[0],
                decision: .resolved,
                ask: nil,
                notes: nil,
                actor: "chair"
            )
            let rebuilt = try await world.run(.buildLevel2Agenda, 0)
            #expect(rebuilt.agendaVersion == 2)
            let v1 = try #require(try await world.meetings.agenda(week: Self.weeks[0], version: 1))
            let v2 = try #require(try await world.meetings.agenda(week: Self.weeks[0]))
            #expect(v1.content.cases.compactMap(\.familyName).sorted() == ["Brown", "Cole"])
            #expect(v2.version == 2)
            #expect(v2.content.cases.compactMap(\.familyName) == ["Cole"])
            let versions = try await Level2Store(database: database).agendaVersions(week: Self.weeks[0])
            #expect(versions.map(\.version) == [2, 1])
            // Organisation filter: every case here is R9A's.
            let r9b: Int64 = try await database.client.query("SELECT id FROM organisation WHERE code = 'R9B'")[0].decode("id")
            #expect(try await world.meetings.agenda(week: Self.weeks[0], organisationID: r9b)?.content.cases.isEmpty == true)
        }
    }

    @Test func aReferralNeedsAnAskAndOnlyEscalatedCasesCanBeRecorded() async throws {
        try await TestCluster.withDatabase { database in
            let world = World(
                database: database,
                fixture: try await ImportFixture(database: database),
                runner: CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil),
                meetings: MeetingService(database: database, policy: .standard)
            )
            try await world.importWeek(0, Self.a, Self.b)
            try await world.save("Adams", week: 0, scenarioReview(reason: .carePackageHome, edd: "2026-11-06"))
            _ = try await world.run(.applyLevel1Deadline, 0)
            let brown = try await world.caseID("Brown")
            await #expect(throws: MeetingRecordError.self) {
                _ = try await world.meetings.recordDecision(
                    caseID: brown,
                    week: Self.weeks[0],
                    decision: .referToChiefExecutive,
                    ask: "  ",
                    notes: nil,
                    actor: "chair"
                )
            }
            let adams = try await world.caseID("Adams")
            await #expect(throws: MeetingRecordError.refused(caseID: adams, .notEscalated(.level2))) {
                _ = try await world.meetings.recordDecision(caseID: adams, week: Self.weeks[0], decision: .keep, ask: nil, notes: nil, actor: "chair")
            }
        }
    }
}
