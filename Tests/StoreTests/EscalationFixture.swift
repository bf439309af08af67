import Postgres
import Store
import StrandedCore

/// One site and ward, and cases with escalations written straight into the
/// tables: enough for the escalation store's reads and recordings without
/// importing ward lists.
struct EscalationFixture {
    let database: Database
    let wardID: Int64

    static func make(_ database: Database) async throws -> EscalationFixture {
        let client = database.client
        try await client.execute("INSERT INTO organisation (code, name) VALUES ('RX1', 'Test Trust')")
        try await client.execute(
            """
            INSERT INTO site (organisation_id, code, name, setting) SELECT id, 'RX101', 'Test Hospital', 'acute' FROM organisation
            """
        )
        let wardID: Int64 = try await client.query("INSERT INTO ward (site_id, code) SELECT id, 'W1' FROM site RETURNING id")[0].decode("id")
        return EscalationFixture(database: database, wardID: wardID)
    }

    /// An open case admitted on `admitted`.
    func newCase(_ key: String, admitted: CalendarDate = CalendarDate(iso: "2026-10-01")!) async throws -> Int64 {
        try await database.client.query(
            """
            INSERT INTO patient_case (site_id, patient_key, admission_date, nhs_number, opened_on, last_seen_on, last_ward_id, last_los, status)
            SELECT site_id, \(key), \(admitted), NULL, \(admitted), \(admitted), id, 7, 'open' FROM ward WHERE id = \(wardID)
            RETURNING id
            """
        )[0].decode("id")
    }

    /// An escalation of the case at `level` in `state`, opened in `opened`.
    func escalation(
        _ caseID: Int64,
        _ level: EscalationLevel,
        _ state: EscalationState,
        opened: ReviewWeek,
        outcome: String? = "Closed before the test"
    ) async throws {
        try await database.client.execute(
            """
            INSERT INTO escalation (case_id, level, opened_week, status, closed_week, closed_at, closed_by, outcome)
            VALUES (\(caseID), \(level), \(opened.monday), \(state.status.rawValue), \(state.closedWeek?.monday),
                    CASE WHEN \(state.isOpen) THEN NULL ELSE now() END, \(state.isOpen ? nil : "test"), \(state.isOpen ? nil : outcome))
            """
        )
    }

    /// The case's latest escalation at each level, as Core's states, with their outcomes.
    func states(_ caseID: Int64) async throws -> (states: CaseEscalations, outcomes: [EscalationLevel: String?]) {
        var states = CaseEscalations()
        var outcomes: [EscalationLevel: String?] = [:]
        for row in try await database.client.query(
            """
            SELECT level, status, closed_week, outcome FROM escalation WHERE case_id = \(caseID) ORDER BY id
            """
        ) {
            let level: EscalationLevel = try row.decode("level")
            let status = EscalationStatus(rawValue: try row.decode("status"))!
            let week: CalendarDate? = try row.decode("closed_week")
            states[level] = EscalationState(status: status, closedWeek: week.flatMap(ReviewWeek.init(monday:)))
            outcomes[level] = try row.decode("outcome", as: String?.self)
        }
        return (states, outcomes)
    }
}
