import Foundation
import Postgres
import StrandedCore

/// A case's escalations as stored, read as Core's `CaseEscalations` so the
/// escalation state machine can decide, and written back as it answers:
/// read, ask Core, write, all in the caller's transaction.
struct StoredCaseEscalations {
    struct Latest {
        let id: Int64
        let outcome: String?
    }

    let caseID: Int64
    private(set) var states = CaseEscalations()
    /// The latest escalation at each level: the one a change applies to.
    private(set) var latest: [EscalationLevel: Latest] = [:]

    /// Reads and locks every escalation of the case, so nothing changes them
    /// between the decision and its writes.
    static func read(caseID: Int64, on connection: PostgresConnection) async throws -> StoredCaseEscalations {
        var stored = StoredCaseEscalations(caseID: caseID)
        for row in try await connection.query(
            """
            SELECT id, level, status, closed_week, outcome FROM escalation WHERE case_id = \(caseID) ORDER BY id FOR UPDATE
            """
        ) {
            let level: EscalationLevel = try row.decode("level")
            let status = try row.decodeRawValue("status", as: EscalationStatus.self)
            let closedWeek: CalendarDate? = try row.decode("closed_week")
            guard let state = EscalationState(status: status, closedWeek: closedWeek.flatMap(ReviewWeek.init(monday:))) else {
                throw PostgresError(
                    kind: .decoding,
                    message: "escalation \(try row.decode("id", as: Int64.self)) is \(status) without a closing week"
                )
            }
            // Rows come oldest first, so the latest at each level wins.
            stored.states[level] = state
            stored.latest[level] = Latest(id: try row.decode("id"), outcome: try row.decode("outcome"))
        }
        return stored
    }

    /// What Core's state machine says `event` does to these escalations.
    func transition(_ event: EscalationEvent) -> EscalationTransition {
        states.transition(event)
    }

    /// Writes Core's changes. A new escalation is opened in `week`; closing
    /// and reopening are audited here (opening is audited by the caller,
    /// with the rule hits that opened it).
    ///
    /// - Returns: the id of the escalation each change wrote, by level.
    @discardableResult
    func write(
        _ changes: [EscalationChange],
        week: ReviewWeek,
        actor: String,
        nhsNumber: String?,
        on connection: PostgresConnection
    ) async throws -> [EscalationLevel: Int64] {
        var written: [EscalationLevel: Int64] = [:]
        for change in changes {
            if change.kind == .open {
                written[change.level] = try await connection.query(
                    """
                    INSERT INTO escalation (case_id, level, opened_week, opened_by) VALUES (\(caseID), \(change.level), \(week.monday), \(actor))
                    RETURNING id
                    """
                )[0].decode("id")
                continue
            }
            guard let target = latest[change.level] else {
                throw PostgresError(kind: .client, message: "case \(caseID) has no \(change.level) escalation to \(change.kind.rawValue)")
            }
            if change.to.isOpen {
                try await connection.execute(
                    """
                    UPDATE escalation SET status = \(change.to.status.rawValue), closed_week = NULL, closed_at = NULL, closed_by = NULL, outcome = NULL
                    WHERE id = \(target.id)
                    """
                )
            } else {
                try await connection.execute(
                    """
                    UPDATE escalation SET status = \(change.to.status.rawValue), closed_week = \(change.to.closedWeek?.monday), closed_at = now(),
                        closed_by = \(actor), outcome = \(change.outcome)
                    WHERE id = \(target.id)
                    """
                )
            }
            written[change.level] = target.id
            try await AuditTrail.record(
                AuditEntry(
                    action: change.kind.rawValue,
                    entityType: "escalation",
                    entityID: String(target.id),
                    caseID: caseID,
                    nhsNumber: nhsNumber,
                    before: AuditedEscalationState(status: (change.from ?? .open).status.rawValue, outcome: target.outcome),
                    after: AuditedEscalationState(status: change.to.status.rawValue, outcome: change.outcome)
                ),
                on: connection
            )
        }
        return written
    }
}
