import Postgres
import Store
import StrandedCore
import TestSupport
import Testing

/// A case closed by an import closes its escalations through a trigger
/// (migration 0006), set-based and in the import's transaction. The trigger
/// is SQL; the rule is Core's state machine. These tests hold them together.
@Suite("The discharge trigger does what Core's state machine says")
struct EscalationDischargeTriggerTests {
    static let earlier = ReviewWeek(monday: CalendarDate(iso: "2026-11-02")!)!
    static let states: [EscalationState?] = [nil, .open, .resolved(in: earlier), .closedOnDischarge(in: earlier)]

    /// Every pair of Level 2 and chief executive states, each in a case of
    /// its own, closed in one statement (as the import closes them): half
    /// discharged, half withdrawn, some with no discharge date.
    @Test func everyStateClosesAsCoreSays() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await EscalationFixture.make(database)
            // A Sunday: the escalation closes in the week that day ends.
            let dischargedOn = CalendarDate(iso: "2026-11-22")!
            var cases: [(id: Int64, before: CaseEscalations, closure: String, dischargedOn: CalendarDate?)] = []
            for (index, pair) in Self.states.flatMap({ l2 in Self.states.map { (l2, $0) } }).enumerated() {
                for closure in ["discharged", "withdrawn"] {
                    let id = try await fixture.newCase("P\(index)-\(closure)")
                    for (level, state) in [(EscalationLevel.level2, pair.0), (.chiefExecutive, pair.1)] {
                        if let state { try await fixture.escalation(id, level, state, opened: Self.earlier) }
                    }
                    let date: CalendarDate? = closure == "withdrawn" && index.isMultiple(of: 2) ? nil : dischargedOn
                    cases.append((id, try await fixture.states(id).states, closure, date))
                }
            }
            let today: CalendarDate = try await database.client.query("SELECT current_date AS today")[0].decode("today")
            try await database.client.execute(
                """
                UPDATE patient_case c SET status = v.status, discharged_on = NULLIF(v.date, '')::date
                FROM unnest(\(PostgresArray(cases.map(\.id)))::bigint[], \(PostgresArray(cases.map(\.closure)))::text[],
                            \(PostgresArray(cases.map { $0.dischargedOn?.iso ?? "" }))::text[]) AS v(id, status, date)
                WHERE c.id = v.id
                """
            )
            for item in cases {
                let date = item.dischargedOn ?? today
                let closure: CaseClosure = item.closure == "discharged" ? .discharged(on: date) : .withdrawn(on: date)
                let changes = item.before.transition(.caseClosed(closure)).changes
                let after = try await fixture.states(item.id)
                #expect(after.states == item.before.applying(changes), "case \(item.id) \(item.closure) from \(item.before)")
                for change in changes {
                    #expect(after.outcomes[change.level] == change.outcome, "case \(item.id) \(change)")
                }
            }
        }
    }
}
