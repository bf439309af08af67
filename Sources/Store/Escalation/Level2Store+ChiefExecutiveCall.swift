import Foundation
import Postgres
import StrandedCore

/// The chief executive call: its list of cases and its decisions.
extension Level2Store {
    /// Case ids on the chief executive list for `week`: the escalations that
    /// belong to the week's call (`MeetingEscalations`); `organisationID`
    /// limits it to one organisation's sites.
    public func chiefExecutiveCaseIDs(week: ReviewWeek, organisationID: Int64? = nil, scope: RecordScope? = nil) async throws -> [Int64] {
        let scope = scope ?? .all
        return try await database.client.query(
            """
            SELECT DISTINCT e.case_id FROM escalation e
            JOIN patient_case c ON c.id = e.case_id JOIN site s ON s.id = c.site_id JOIN ward w ON w.id = c.last_ward_id
            WHERE \(fragment: MeetingEscalations.condition(level: .chiefExecutive, week: week))
              AND (\(organisationID)::bigint IS NULL OR s.organisation_id = \(organisationID))
              AND \(fragment: scope.condition())
            ORDER BY e.case_id
            """
        ).map { try $0.decode("case_id") }
    }

    /// Records a decision of the call, in one transaction: "resolved" closes
    /// the case's chief executive and Level 2 escalations; "return to Level 2"
    /// closes only the chief executive one (Core's state machine decides).
    public func recordChiefExecutiveDecision(
        caseID: Int64,
        week: ReviewWeek,
        decision: ChiefExecutiveDecision,
        notes: String,
        by actor: String,
        scope: RecordScope? = nil
    ) async throws -> ChiefExecutiveDecisionRow {
        try await database.client.withTransaction { connection in
            let subject = try await Self.caseInScope(caseID, scope: scope, on: connection)
            guard subject.found else { throw MeetingRecordError.refused(caseID: caseID, .notEscalated(.chiefExecutive)) }
            let escalations = try await StoredCaseEscalations.read(caseID: caseID, on: connection)
            let changes = try Self.allowed(escalations.transition(.chiefExecutiveDecision(decision, week: week, notes: notes)), caseID: caseID)
            guard let escalationID = escalations.latest[.chiefExecutive]?.id else {
                throw MeetingRecordError.refused(caseID: caseID, .notEscalated(.chiefExecutive))
            }
            let row = try await connection.query(
                """
                INSERT INTO ce_decision (case_id, escalation_id, week, decision, notes, recorded_by)
                VALUES (\(caseID), \(escalationID), \(week.monday), \(decision.rawValue), \(notes), \(actor))
                RETURNING id, recorded_at
                """
            )[0]
            let recorded = ChiefExecutiveDecisionRow(
                caseID: caseID,
                week: week.monday,
                decision: decision,
                notes: notes,
                recordedBy: actor,
                recordedAt: try row.decode("recorded_at")
            )
            try await AuditTrail.record(
                AuditEntry(
                    action: "create",
                    entityType: "ce_decision",
                    entityID: String(try row.decode("id", as: Int64.self)),
                    caseID: caseID,
                    nhsNumber: subject.nhsNumber,
                    after: recorded
                ),
                on: connection
            )
            try await escalations.write(changes, week: week, actor: actor, nhsNumber: subject.nhsNumber, on: connection)
            return recorded
        }
    }

    public func chiefExecutiveDecisions(week: ReviewWeek) async throws -> [ChiefExecutiveDecisionRow] {
        try await database.client.query(
            """
            SELECT case_id, week, decision, notes, recorded_by, recorded_at FROM ce_decision WHERE week = \(week.monday) ORDER BY id
            """
        ).map { row in
            ChiefExecutiveDecisionRow(
                caseID: try row.decode("case_id"),
                week: try row.decode("week"),
                decision: try row.decodeRawValue("decision", as: ChiefExecutiveDecision.self),
                notes: try row.decode("notes"),
                recordedBy: try row.decode("recorded_by"),
                recordedAt: try row.decode("recorded_at")
            )
        }
    }
}
