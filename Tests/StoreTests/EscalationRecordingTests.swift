import Postgres
import Store
import StrandedCore
import TestSupport
import Testing

/// The meetings' recordings read the case's escalations, ask Core's state
/// machine, and write its answer: the stored states follow Core's table.
@Suite("Recordings apply Core's escalation transitions")
struct EscalationRecordingTests {
    static let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!

    @Test func level2ResolvesThenReopensInTheSameWeek() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await EscalationFixture.make(database)
            let store = Level2Store(database: database)
            let id = try await fixture.newCase("A")
            try await fixture.escalation(id, .level2, .open, opened: Self.week.previous)

            _ = try await store.recordDecision(caseID: id, week: Self.week, decision: .resolved, ask: nil, notes: "Placement found", by: "chair")
            var stored = try await fixture.states(id)
            #expect(stored.states == CaseEscalations(level2: .resolved(in: Self.week)))
            #expect(stored.outcomes[.level2] == "Resolved at Level 2: Placement found")

            _ = try await store.recordDecision(caseID: id, week: Self.week, decision: .keep, ask: nil, notes: nil, by: "chair")
            stored = try await fixture.states(id)
            #expect(stored.states == CaseEscalations(level2: .open))
            #expect(stored.outcomes[.level2] == .some(nil))

            let audited: [String] = try await database.client.query(
                """
                SELECT action FROM audit_event WHERE entity_type = 'escalation' AND case_id = \(id) ORDER BY id
                """
            ).map { try $0.decode("action") }
            #expect(audited == ["resolve", "reopen"])
        }
    }

    @Test func aLaterWeekCannotReopenAndIsRefusedInCoresWords() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await EscalationFixture.make(database)
            let store = Level2Store(database: database)
            let id = try await fixture.newCase("A")
            try await fixture.escalation(id, .level2, .resolved(in: Self.week.previous), opened: Self.week.adding(weeks: -2))
            let error = await #expect(throws: MeetingRecordError.self) {
                _ = try await store.recordDecision(caseID: id, week: Self.week, decision: .keep, ask: nil, notes: nil, by: "chair")
            }
            #expect(error == .refused(caseID: id, .notEscalated(.level2)))
            #expect(error?.description == EscalationRefusal.notEscalated(.level2).message(caseID: id))
            // An action closed earlier is refused too; nothing was written.
            await #expect(throws: MeetingRecordError.refused(caseID: id, .notEscalated(.level2))) {
                _ = try await store.addAction(
                    caseID: id,
                    week: Self.week,
                    description: "Assess",
                    agency: .nhs,
                    owner: "S Patel",
                    dueDate: Self.week.day(4),
                    by: "chair"
                )
            }
            let records: Int = try await database.client.query("SELECT count(*)::int AS n FROM level2_case_record")[0].decode("n")
            #expect(records == 0)
        }
    }

    @Test func theCallResolvesBothLevelsOrReturnsTheCaseToLevel2() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await EscalationFixture.make(database)
            let store = Level2Store(database: database)
            let resolved = try await fixture.newCase("R")
            let returned = try await fixture.newCase("T")
            for id in [resolved, returned] {
                try await fixture.escalation(id, .level2, .open, opened: Self.week.previous)
                try await fixture.escalation(id, .chiefExecutive, .open, opened: Self.week)
            }
            _ = try await store.recordChiefExecutiveDecision(
                caseID: resolved,
                week: Self.week,
                decision: .resolved,
                notes: "Funding agreed",
                by: "ce"
            )
            _ = try await store.recordChiefExecutiveDecision(caseID: returned, week: Self.week, decision: .returnToLevel2, notes: "", by: "ce")

            let afterResolve = try await fixture.states(resolved)
            #expect(afterResolve.states == CaseEscalations(level2: .resolved(in: Self.week), chiefExecutive: .resolved(in: Self.week)))
            #expect(afterResolve.outcomes[.chiefExecutive] == "Resolved at the chief executive call: Funding agreed")
            let afterReturn = try await fixture.states(returned)
            #expect(afterReturn.states == CaseEscalations(level2: .open, chiefExecutive: .resolved(in: Self.week)))
            #expect(afterReturn.outcomes[.chiefExecutive] == "Returned to Level 2 by the chief executive call")

            // The call's list still shows both this week (closed in it), through the one meeting definition.
            #expect(try await store.chiefExecutiveCaseIDs(week: Self.week) == [resolved, returned])
            #expect(
                try await EscalationStore(database: database).escalations(level: .chiefExecutive, week: Self.week).map(\.caseID).sorted()
                    == [resolved, returned]
            )
            #expect(try await store.chiefExecutiveCaseIDs(week: Self.week.next) == [])

            await #expect(throws: MeetingRecordError.refused(caseID: returned, .notEscalated(.chiefExecutive))) {
                _ = try await store.recordChiefExecutiveDecision(caseID: returned, week: Self.week, decision: .keep, notes: "", by: "ce")
            }
        }
    }

    @Test func levelsAndStatusesReadAsCoreTypesAndUnknownSpellingsFailClearly() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await EscalationFixture.make(database)
            let id = try await fixture.newCase("A")
            try await fixture.escalation(id, .chiefExecutive, .open, opened: Self.week)
            // Core's `chief-executive` is stored with the database's spelling.
            let stored: String = try await database.client.query("SELECT level FROM escalation WHERE case_id = \(id)")[0].decode("level")
            #expect(stored == "ce-call")
            let record = try #require(try await EscalationStore(database: database).escalations(caseID: id).first)
            #expect(record.level == .chiefExecutive)
            #expect(record.status == .open)

            let error = await #expect(throws: PostgresError.self) {
                _ = try await database.client.query("SELECT 'chief-executive' AS level")[0].decode("level", as: EscalationLevel.self)
            }
            #expect(error?.description.contains("not an escalation level") == true)
        }
    }
}
