import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing

@testable import Workflow

/// A ward that asks for Level 2 after the Level 1 deadline reaches a meeting:
/// this week's if it has not started, else next week's.
@Suite("Late escalations reach a Level 2 meeting")
struct LateEscalationTests {
    typealias S = EscalationScenarioTests
    static let week = S.weeks[0]
    static let timetable = StrandedPolicy.standard.timetable

    static func world(_ database: Database) async throws -> S.World {
        S.World(
            database: database,
            fixture: try await ImportFixture(database: database),
            runner: CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil),
            meetings: MeetingService(database: database, policy: .standard)
        )
    }

    /// Saves Cole's week-1 form at `instant`, as the ward page would.
    static func saveCole(_ world: S.World, _ review: Level1Review, at instant: Date) async throws {
        let id = try await world.caseID("Cole")
        let row = try await world.database.client.query("SELECT id, version FROM level1_form WHERE case_id = \(id) AND week_start = \(week.monday)")[
            0
        ]
        let result = try await ReviewService(database: world.database, policy: .standard, now: { instant })
            .saveDraft(id: try row.decode("id"), version: try row.decode("version"), review: review, by: "ward")
        guard case .saved = result else {
            Issue.record("could not save Cole's form")
            return
        }
    }

    static let managed = scenarioReview(reason: .nursingHome, edd: "2026-11-06")
    static let asking = scenarioReview(reason: .nursingHome, edd: "2026-11-06", ask: "Find a nursing home bed")

    @Test func changedToEscalateBeforeTheMeetingJoinsThisWeeksAgendaAsANewVersion() async throws {
        try await TestCluster.withDatabase { database in
            let world = try await Self.world(database)
            try await world.importWeek(0, S.c)
            _ = try await world.run(.openWeek, 0)
            let deadline = Self.timetable.instant(of: .level1Deadline, in: Self.week)
            try await Self.saveCole(world, Self.managed, at: deadline.addingTimeInterval(-3600))
            _ = try await world.run(.applyLevel1Deadline, 0)
            _ = try await world.run(.buildLevel2Agenda, 0)
            #expect(try await world.meetings.agenda(week: Self.week)?.content.cases.isEmpty == true)

            // Thursday 09:00: the agenda is frozen, the meeting is at 10:00.
            let beforeMeeting = Self.timetable.instant(of: .level2Meeting, in: Self.week).addingTimeInterval(-3600)
            try await Self.saveCole(world, Self.asking, at: beforeMeeting)
            let agenda = try #require(try await world.meetings.agenda(week: Self.week))
            #expect(agenda.version == 2)
            let cole = try #require(agenda.content.cases.first)
            #expect(cole.familyName == "Cole")
            #expect(cole.lateEscalation == true)
            #expect(cole.rules.contains { $0.rule == "L2-WARD-ASKED" && $0.reason.contains("Find a nursing home bed") })
            // Rebuilding keeps it there, and version 1 stays as it was shown.
            _ = try await Level2AgendaBuilder(database: database, policy: .standard).build(week: Self.week, actor: "test")
            #expect(try await world.meetings.agenda(week: Self.week)?.content.cases.map(\.familyName) == ["Cole"])
            #expect(try await world.meetings.agenda(week: Self.week, version: 1)?.content.cases.isEmpty == true)
            // Saving the same request again adds nothing.
            try await Self.saveCole(world, Self.asking, at: beforeMeeting.addingTimeInterval(60))
            #expect(try await world.meetings.agenda(week: Self.week)?.version == 3)
            #expect(try await Level2Store(database: database).agendaVersions(week: Self.week).count == 3)
        }
    }

    @Test func completedWithEscalateAfterTheMeetingGoesToNextWeeksMeeting() async throws {
        try await TestCluster.withDatabase { database in
            let world = try await Self.world(database)
            try await world.importWeek(0, S.c)
            _ = try await world.run(.openWeek, 0)
            _ = try await world.run(.applyLevel1Deadline, 0)
            _ = try await world.run(.buildLevel2Agenda, 0)
            let cole = try await world.caseID("Cole")
            let before = try await world.database.client.query("SELECT count(*) AS n FROM escalation WHERE case_id = \(cole)")[0].decode(
                "n",
                as: Int.self
            )

            let afterMeeting = Self.timetable.instant(of: .level2Meeting, in: Self.week).addingTimeInterval(3600)
            #expect(LateEscalation.meetingWeek(for: Self.week, at: afterMeeting, timetable: Self.timetable) == Self.week.next)
            // Resolve whatever the deadline opened, so the late request must open its own escalation.
            if before > 0 {
                _ = try await world.meetings.recordDecision(
                    caseID: cole,
                    week: Self.week,
                    decision: .resolved,
                    ask: nil,
                    notes: "Sorted",
                    actor: "chair"
                )
            }
            try await Self.saveCole(world, Self.asking, at: afterMeeting)
            let states = try await world.escalationStates("Cole")
            #expect(states.last == "level2 \(Self.week.next.monday.iso) open")
            let next = try await Level2AgendaBuilder(database: database, policy: .standard).assemble(week: Self.week.next)
            let item = try #require(next.cases.first { $0.caseID == cole })
            #expect(item.lateEscalation == true)
            #expect(item.isNew)
        }
    }

    /// A case the meeting referred to the chief executive call, whose ward
    /// then asks Level 2 for help again, is on the next meeting's agenda too.
    @Test func aLateRequestForACaseAtTheCallReachesTheNextMeeting() async throws {
        try await TestCluster.withDatabase { database in
            let world = try await Self.world(database)
            try await world.importWeek(0, S.c)
            _ = try await world.run(.openWeek, 0)
            _ = try await world.run(.applyLevel1Deadline, 0)
            _ = try await world.run(.buildLevel2Agenda, 0)
            let cole = try await world.caseID("Cole")
            try #require(try await world.meetings.agenda(week: Self.week)?.content.cases.contains { $0.caseID == cole } == true)
            _ = try await world.meetings.recordDecision(
                caseID: cole,
                week: Self.week,
                decision: .referToChiefExecutive,
                ask: "Fund a placement",
                notes: nil,
                actor: "chair"
            )
            #expect(try await Level2AgendaBuilder(database: database, policy: .standard).assemble(week: Self.week.next).cases.isEmpty)

            let afterMeeting = Self.timetable.instant(of: .level2Meeting, in: Self.week).addingTimeInterval(3600)
            try await Self.saveCole(world, Self.asking, at: afterMeeting)
            let next = try await Level2AgendaBuilder(database: database, policy: .standard).assemble(week: Self.week.next)
            let item = try #require(next.cases.first { $0.caseID == cole })
            #expect(item.lateEscalation == true)
            #expect(item.rules.contains { $0.reason.contains("Find a nursing home bed") })
        }
    }

    @Test func aLateRequestDoesNotStopTheDeadlineRecordingItsOwnRules() async throws {
        try await TestCluster.withDatabase { database in
            let world = try await Self.world(database)
            try await world.importWeek(0, S.c)
            _ = try await world.run(.openWeek, 0)
            // The deadline job has not run yet (the scheduler was down) when the ward asks late.
            let deadline = Self.timetable.instant(of: .level1Deadline, in: Self.week)
            try await Self.saveCole(
                world,
                scenarioReview(reason: .nursingHome, edd: "2026-12-20", ask: "Find a bed"),
                at: deadline.addingTimeInterval(600)
            )
            _ = try await world.run(.applyLevel1Deadline, 0)
            #expect(try await world.hits(0, level: "level2") == ["Cole: L2-LONG-NO-EDD,L2-WARD-ASKED"])
        }
    }
}
