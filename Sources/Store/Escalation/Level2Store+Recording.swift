import Foundation
import Postgres
import StrandedCore

/// What the Level 2 meeting records: decisions, agreed actions, attendance.
/// Each recording is one transaction; what it does to the case's
/// escalations is decided by Core's escalation state machine.
extension Level2Store {
    /// Records (or changes) the meeting's decision for a case in one
    /// transaction; "resolved at Level 2" closes the case's Level 2
    /// escalation, and changing the week's decision away from it reopens it.
    ///
    /// - Parameter scope: what the recorder may see (nil: everything); a case
    ///   outside it reads as not escalated (the route answers 404).
    public func recordDecision(
        caseID: Int64,
        week: ReviewWeek,
        decision: Level2Decision?,
        ask: String?,
        notes: String?,
        by actor: String,
        scope: RecordScope? = nil
    ) async throws -> Level2CaseRecordRow {
        if let problem = Level2Decision.problem(decision: decision, ask: ask) { throw MeetingRecordError.invalid(problem) }
        return try await database.client.withTransaction { connection in
            let subject = try await Self.caseInScope(caseID, scope: scope, on: connection)
            guard subject.found else { throw MeetingRecordError.refused(caseID: caseID, .notEscalated(.level2)) }
            let escalations = try await StoredCaseEscalations.read(caseID: caseID, on: connection)
            let changes = try Self.allowed(escalations.transition(.level2Decision(decision, week: week, notes: notes)), caseID: caseID)
            guard let escalationID = escalations.latest[.level2]?.id else { throw MeetingRecordError.refused(caseID: caseID, .notEscalated(.level2)) }
            let before = try await connection.query(
                """
                SELECT decision, ask, notes, recorded_by FROM level2_case_record WHERE case_id = \(caseID) AND week = \(week.monday)
                """
            ).first.map { row in
                AuditedLevel2Record(
                    decision: try row.decode("decision"),
                    ask: try row.decode("ask"),
                    notes: try row.decode("notes"),
                    recordedBy: try row.decode("recorded_by")
                )
            }
            let row = try await connection.query(
                """
                INSERT INTO level2_case_record (case_id, escalation_id, week, decision, ask, notes, recorded_by)
                VALUES (\(caseID), \(escalationID), \(week.monday), \(decision?.rawValue), \(ask), \(notes), \(actor))
                ON CONFLICT (case_id, week) DO UPDATE SET decision = EXCLUDED.decision, ask = EXCLUDED.ask, notes = EXCLUDED.notes,
                    recorded_by = EXCLUDED.recorded_by, recorded_at = now()
                RETURNING id, recorded_at
                """
            )[0]
            let recordID: Int64 = try row.decode("id")
            try await connection.execute(
                """
                INSERT INTO level2_case_record_history (record_id, decision, ask, notes, recorded_by)
                VALUES (\(recordID), \(decision?.rawValue), \(ask), \(notes), \(actor))
                """
            )
            try await AuditTrail.record(
                AuditEntry(
                    action: before == nil ? "create" : "update",
                    entityType: "level2_case_record",
                    entityID: String(recordID),
                    caseID: caseID,
                    nhsNumber: subject.nhsNumber,
                    before: before,
                    after: AuditedLevel2Record(decision: decision?.rawValue, ask: ask, notes: notes, recordedBy: actor)
                ),
                on: connection
            )
            try await escalations.write(changes, week: week, actor: actor, nhsNumber: subject.nhsNumber, on: connection)
            return Level2CaseRecordRow(
                caseID: caseID,
                week: week.monday,
                decision: decision,
                ask: ask,
                notes: notes,
                recordedBy: actor,
                recordedAt: try row.decode("recorded_at")
            )
        }
    }

    /// Adds an action the meeting agreed for a case.
    public func addAction(
        caseID: Int64,
        week: ReviewWeek,
        description: String,
        agency: Agency,
        owner: String,
        dueDate: CalendarDate,
        by actor: String,
        scope: RecordScope? = nil
    ) async throws -> Level2ActionRow {
        if let problem = Level2MeetingProblems.agreedAction(description: description, owner: owner) { throw MeetingRecordError.invalid(problem) }
        let description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        let owner = owner.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await database.client.withTransaction { connection in
            let subject = try await Self.caseInScope(caseID, scope: scope, on: connection)
            guard subject.found else { throw MeetingRecordError.refused(caseID: caseID, .notEscalated(.level2)) }
            let escalations = try await StoredCaseEscalations.read(caseID: caseID, on: connection)
            _ = try Self.allowed(escalations.transition(.level2ActionAgreed(week: week)), caseID: caseID)
            let row = try await connection.query(
                """
                INSERT INTO level2_action (case_id, week, description, agency, owner, due_date, recorded_by)
                VALUES (\(caseID), \(week.monday), \(description), \(agency.rawValue), \(owner), \(dueDate), \(actor))
                RETURNING id, recorded_at
                """
            )[0]
            let action = Level2ActionRow(
                id: try row.decode("id"),
                caseID: caseID,
                week: week.monday,
                description: description,
                agency: agency,
                owner: owner,
                dueDate: dueDate,
                recordedBy: actor,
                recordedAt: try row.decode("recorded_at")
            )
            try await AuditTrail.record(
                AuditEntry(
                    action: "create",
                    entityType: "level2_action",
                    entityID: String(action.id),
                    caseID: caseID,
                    nhsNumber: subject.nhsNumber,
                    after: action
                ),
                on: connection
            )
            return action
        }
    }

    /// The week's records, by case.
    public func records(week: ReviewWeek) async throws -> [Int64: Level2CaseRecordRow] {
        var result: [Int64: Level2CaseRecordRow] = [:]
        for row in try await database.client.query(
            """
            SELECT case_id, week, decision, ask, notes, recorded_by, recorded_at FROM level2_case_record WHERE week = \(week.monday)
            """
        ) {
            let caseID: Int64 = try row.decode("case_id")
            result[caseID] = Level2CaseRecordRow(
                caseID: caseID,
                week: try row.decode("week"),
                decision: try row.decodeRawValue("decision", as: Level2Decision?.self),
                ask: try row.decode("ask"),
                notes: try row.decode("notes"),
                recordedBy: try row.decode("recorded_by"),
                recordedAt: try row.decode("recorded_at")
            )
        }
        return result
    }

    /// Every decision the week's meeting recorded, by case, in the order
    /// recorded: each is its own record with its own ask and notes, so a
    /// changed decision never carries the earlier one's words.
    /// - Parameter caseIDs: only these cases (one case's page); nil: every case of the week.
    public func decisionHistory(week: ReviewWeek, caseIDs: [Int64]? = nil) async throws -> [Int64: [Level2CaseRecordRow]] {
        var result: [Int64: [Level2CaseRecordRow]] = [:]
        for row in try await database.client.query(
            """
            SELECT r.case_id, r.week, h.decision, h.ask, h.notes, h.recorded_by, h.recorded_at
            FROM level2_case_record_history h JOIN level2_case_record r ON r.id = h.record_id
            WHERE r.week = \(week.monday) AND (\(caseIDs.map(PostgresArray.init))::bigint[] IS NULL OR r.case_id = ANY(\(caseIDs.map(PostgresArray.init))::bigint[]))
            ORDER BY h.id
            """
        ) {
            let caseID: Int64 = try row.decode("case_id")
            result[caseID, default: []].append(
                Level2CaseRecordRow(
                    caseID: caseID,
                    week: try row.decode("week"),
                    decision: try row.decodeRawValue("decision", as: Level2Decision?.self),
                    ask: try row.decode("ask"),
                    notes: try row.decode("notes"),
                    recordedBy: try row.decode("recorded_by"),
                    recordedAt: try row.decode("recorded_at")
                )
            )
        }
        return result
    }

    /// The actions agreed for these cases up to `week`, oldest first.
    public func actions(caseIDs: [Int64], upTo week: ReviewWeek) async throws -> [Level2ActionRow] {
        guard !caseIDs.isEmpty else { return [] }
        return try await database.client.query(
            """
            SELECT id, case_id, week, description, agency, owner, due_date, recorded_by, recorded_at FROM level2_action
            WHERE case_id = ANY(\(PostgresArray(caseIDs))::bigint[]) AND week <= \(week.monday) ORDER BY week, id
            """
        ).map { row in
            Level2ActionRow(
                id: try row.decode("id"),
                caseID: try row.decode("case_id"),
                week: try row.decode("week"),
                description: try row.decode("description"),
                agency: try row.decodeRawValue("agency", as: Agency.self),
                owner: try row.decode("owner"),
                dueDate: try row.decode("due_date"),
                recordedBy: try row.decode("recorded_by"),
                recordedAt: try row.decode("recorded_at")
            )
        }
    }

    /// Records (or updates) one attendee of the week's meeting.
    public func recordAttendance(week: ReviewWeek, name: String, role: String, agency: Agency, present: Bool, by actor: String) async throws {
        if let problem = Level2MeetingProblems.attendee(name: name) { throw MeetingRecordError.invalid(problem) }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let role = role.trimmingCharacters(in: .whitespacesAndNewlines)
        try await database.client.withTransaction { connection in
            let before = try await connection.query(
                """
                SELECT name, role, agency, present, recorded_by FROM level2_attendance
                WHERE week = \(week.monday) AND lower(btrim(name)) = lower(btrim(\(name)))
                """
            ).first.map(Self.attendee)
            try await connection.execute(
                """
                INSERT INTO level2_attendance (week, name, role, agency, present, recorded_by)
                VALUES (\(week.monday), \(name), \(role), \(agency.rawValue), \(present), \(actor))
                ON CONFLICT (week, lower(btrim(name))) DO UPDATE SET role = EXCLUDED.role, agency = EXCLUDED.agency, present = EXCLUDED.present,
                    recorded_by = EXCLUDED.recorded_by, recorded_at = now()
                """
            )
            try await AuditTrail.record(
                AuditEntry(
                    action: before == nil ? "create" : "update",
                    entityType: "level2_attendance",
                    entityID: week.monday.iso,
                    before: before,
                    after: AttendanceRow(name: name, role: role, agency: agency, present: present, recordedBy: actor)
                ),
                on: connection
            )
        }
    }

    public func attendance(week: ReviewWeek) async throws -> [AttendanceRow] {
        try await database.client.query(
            """
            SELECT name, role, agency, present, recorded_by FROM level2_attendance WHERE week = \(week.monday) ORDER BY agency, name
            """
        ).map(Self.attendee)
    }

    private static func attendee(_ row: PostgresRow) throws -> AttendanceRow {
        AttendanceRow(
            name: try row.decode("name"),
            role: try row.decode("role"),
            agency: try row.decodeRawValue("agency", as: Agency.self),
            present: try row.decode("present"),
            recordedBy: try row.decode("recorded_by")
        )
    }

    /// The changes Core allows, or its refusal thrown for the recorder.
    static func allowed(_ transition: EscalationTransition, caseID: Int64) throws -> [EscalationChange] {
        switch transition {
        case let .apply(changes): return changes
        case let .refused(refusal): throw MeetingRecordError.refused(caseID: caseID, refusal)
        }
    }
}
