import Foundation
import Postgres
import StrandedCore

/// One week's Level 1 form of a case, as the Level 2 agenda shows it.
public struct CaseWeekFacts: Sendable, Codable, Equatable {
    public let week: CalendarDate
    public let lengthOfStay: Int
    public let status: String
    public let review: Level1Review
    public let wardCode: String
    public let wardName: String?
}

/// Who and where a case is, with its weekly forms up to a week.
public struct AgendaCaseFacts: Sendable, Codable, Equatable {
    public let caseID: Int64
    public let organisationID: Int64
    public let organisationName: String
    public let siteCode: String
    public let siteName: String
    public let patientKey: String
    public let nhsNumber: String?
    public let familyName: String?
    public let givenName: String?
    public let age: Int?
    public let admissionDate: CalendarDate
    /// Oldest first; the last is the latest week up to the one asked for.
    public let weeks: [CaseWeekFacts]
}

/// A frozen Level 2 agenda version.
public struct StoredAgenda<Content: Codable & Sendable>: Sendable {
    public let week: CalendarDate
    public let version: Int
    public let builtAt: Date
    public let builtBy: String
    public let content: Content

    public init(week: CalendarDate, version: Int, builtAt: Date, builtBy: String, content: Content) {
        self.week = week
        self.version = version
        self.builtAt = builtAt
        self.builtBy = builtBy
        self.content = content
    }
}

/// One version of a week's agenda, without its content.
public struct AgendaVersionInfo: Sendable, Codable, Equatable {
    public let week: CalendarDate
    public let version: Int
    public let builtAt: Date
    public let builtBy: String
    public let cases: Int
}

/// What Level 2 recorded for a case in a week.
public struct Level2CaseRecordRow: Sendable, Codable, Equatable {
    public let caseID: Int64
    public let week: CalendarDate
    public let decision: Level2Decision?
    public let ask: String?
    public let notes: String?
    public let recordedBy: String
    public let recordedAt: Date
}

public struct Level2ActionRow: Sendable, Codable, Equatable {
    public let id: Int64
    public let caseID: Int64
    public let week: CalendarDate
    public let description: String
    public let agency: Agency
    public let owner: String
    public let dueDate: CalendarDate
    public let recordedBy: String
    public let recordedAt: Date
}

public struct AttendanceRow: Sendable, Codable, Equatable {
    public let name: String
    public let role: String
    public let agency: Agency
    public let present: Bool
    public let recordedBy: String
}

public struct ChiefExecutiveDecisionRow: Sendable, Codable, Equatable {
    public let caseID: Int64
    public let week: CalendarDate
    public let decision: ChiefExecutiveDecision
    public let notes: String
    public let recordedBy: String
    public let recordedAt: Date
}

/// Why a meeting's recording was refused.
public enum MeetingRecordError: Error, Equatable, CustomStringConvertible {
    case notEscalated(caseID: Int64, level: String)
    case invalid(String)

    public var description: String {
        switch self {
        case let .notEscalated(caseID, level):
            return "case \(caseID) has no open \(level == "level2" ? "Level 2" : "chief executive call") escalation; only escalated cases can be recorded at that meeting"
        case let .invalid(message): return message
        }
    }
}

/// Level 2 agendas, the meeting's records and the chief executive call's
/// decisions in PostgreSQL.
public struct Level2Store: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    // MARK: Scope (issue 8)

    /// Of these cases, those `scope` may see (its ward or organisation scope,
    /// by the case's site and latest ward).
    public func visibleCaseIDs(_ caseIDs: [Int64], scope: RecordScope) async throws -> Set<Int64> {
        guard !caseIDs.isEmpty else { return [] }
        if scope.all { return Set(caseIDs) }
        return Set(try await database.client.query("""
            SELECT c.id FROM patient_case c JOIN site s ON s.id = c.site_id JOIN ward w ON w.id = c.last_ward_id
            WHERE c.id = ANY(\(PostgresArray(caseIDs))::bigint[]) AND \(fragment: scope.condition())
            """).map { try $0.decode("id", as: Int64.self) })
    }

    /// The case's NHS number when `scope` (nil: no restriction) may see it;
    /// nil when the case does not exist or is out of scope. Inside a recording's transaction.
    static func caseInScope(_ caseID: Int64, scope: RecordScope?, on connection: PostgresConnection) async throws -> (found: Bool, nhsNumber: String?) {
        let scope = scope ?? .all
        guard let row = try await connection.query("""
            SELECT c.nhs_number FROM patient_case c JOIN site s ON s.id = c.site_id JOIN ward w ON w.id = c.last_ward_id
            WHERE c.id = \(caseID) AND \(fragment: scope.condition())
            """).first else { return (false, nil) }
        return (true, try row.decode("nhs_number"))
    }

    // MARK: Case facts

    /// The cases' forms up to `week`, with who and where they are.
    public func caseFacts(caseIDs: [Int64], upTo week: ReviewWeek) async throws -> [Int64: AgendaCaseFacts] {
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try await database.client.query("""
            SELECT c.id AS case_id, o.id AS organisation_id, o.name AS organisation_name, s.code AS site_code, s.name AS site_name,
                   r.patient_key, r.nhs_number, r.family_name, r.given_name, r.age, c.admission_date,
                   f.week_start, f.los, f.status, f.review, w.code AS ward_code, w.name AS ward_name
            FROM patient_case c
            JOIN site s ON s.id = c.site_id
            JOIN organisation o ON o.id = s.organisation_id
            JOIN level1_form f ON f.case_id = c.id AND f.week_start <= \(week.monday)
            JOIN ward w ON w.id = f.ward_id
            JOIN list_row r ON r.import_id = f.source_import AND r.site_id = c.site_id AND r.line_no = f.source_line
            WHERE c.id = ANY(\(PostgresArray(caseIDs))::bigint[])
            ORDER BY c.id, f.week_start
            """)
        var result: [Int64: AgendaCaseFacts] = [:]
        var weeks: [Int64: [CaseWeekFacts]] = [:]
        for row in rows {
            let caseID: Int64 = try row.decode("case_id")
            weeks[caseID, default: []].append(CaseWeekFacts(
                week: try row.decode("week_start"), lengthOfStay: try row.decode("los"), status: try row.decode("status"),
                review: try row.decode("review", as: PostgresJSON<Level1Review>.self).value,
                wardCode: try row.decode("ward_code"), wardName: try row.decode("ward_name")))
            // The latest row's identity wins (rows are ordered by week).
            result[caseID] = AgendaCaseFacts(
                caseID: caseID, organisationID: try row.decode("organisation_id"), organisationName: try row.decode("organisation_name"),
                siteCode: try row.decode("site_code"), siteName: try row.decode("site_name"), patientKey: try row.decode("patient_key"),
                nhsNumber: try row.decode("nhs_number"), familyName: try row.decode("family_name"), givenName: try row.decode("given_name"),
                age: try row.decode("age"), admissionDate: try row.decode("admission_date"), weeks: [])
        }
        for (id, facts) in result {
            result[id] = AgendaCaseFacts(
                caseID: facts.caseID, organisationID: facts.organisationID, organisationName: facts.organisationName,
                siteCode: facts.siteCode, siteName: facts.siteName, patientKey: facts.patientKey, nhsNumber: facts.nhsNumber,
                familyName: facts.familyName, givenName: facts.givenName, age: facts.age, admissionDate: facts.admissionDate,
                weeks: weeks[id] ?? [])
        }
        return result
    }

    // MARK: Agendas

    /// Freezes a new version of the week's agenda; returns its number.
    public func saveAgenda<Content: Codable & Sendable>(week: ReviewWeek, content: Content, caseIDs: [Int64], by actor: String) async throws -> Int {
        try await database.client.withTransaction { connection in
            // Versions are numbered per week; the lock keeps two builders apart.
            try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("level2-agenda:\(week.monday.iso)"), 0))")
            let version: Int = try await connection.query("""
                INSERT INTO level2_agenda (week, version, built_by, case_ids, content)
                SELECT \(week.monday), COALESCE(max(version), 0) + 1, \(actor), \(PostgresArray(caseIDs))::bigint[], \(PostgresJSON(content))
                FROM level2_agenda WHERE week = \(week.monday)
                RETURNING version
                """)[0].decode("version")
            try await AuditTrail.record(AuditEntry(
                action: "build", entityType: "level2_agenda", entityID: "\(week.monday.iso)/v\(version)",
                after: AuditedAgendaBuild(week: week.monday.iso, version: version, builtBy: actor, caseIDs: caseIDs)), on: connection)
            return version
        }
    }

    /// A version of the week's agenda, the latest when `version` is nil.
    public func agenda<Content: Codable & Sendable>(week: ReviewWeek, version: Int? = nil, as type: Content.Type) async throws -> StoredAgenda<Content>? {
        let rows: PostgresRows
        if let version {
            rows = try await database.client.query("""
                SELECT week, version, built_at, built_by, content FROM level2_agenda WHERE week = \(week.monday) AND version = \(version)
                """)
        } else {
            rows = try await database.client.query("""
                SELECT week, version, built_at, built_by, content FROM level2_agenda WHERE week = \(week.monday) ORDER BY version DESC LIMIT 1
                """)
        }
        return try rows.first.map { row in
            StoredAgenda(week: try row.decode("week"), version: try row.decode("version"), builtAt: try row.decode("built_at"),
                         builtBy: try row.decode("built_by"), content: try row.decode("content", as: PostgresJSON<Content>.self).value)
        }
    }

    /// Every version built, newest week and version first (`week` nil: all weeks).
    ///
    /// - Parameter scope: whose cases count (a scoped level2 user sees the
    ///   number of their organisations' cases, as the agenda itself shows them).
    public func agendaVersions(week: ReviewWeek? = nil, scope: RecordScope = .all) async throws -> [AgendaVersionInfo] {
        let condition: PostgresQuery = week.map { "WHERE a.week = \($0.monday)" } ?? ""
        let cases: PostgresQuery = scope.all ? "cardinality(a.case_ids)" : """
            (SELECT count(*)::int FROM patient_case c JOIN site s ON s.id = c.site_id JOIN ward w ON w.id = c.last_ward_id
             WHERE c.id = ANY(a.case_ids) AND \(fragment: scope.condition()))
            """
        return try await database.client.query("""
            SELECT a.week, a.version, a.built_at, a.built_by, \(fragment: cases) AS cases FROM level2_agenda a \(fragment: condition)
            ORDER BY a.week DESC, a.version DESC LIMIT 200
            """).map { row in
            AgendaVersionInfo(week: try row.decode("week"), version: try row.decode("version"), builtAt: try row.decode("built_at"),
                              builtBy: try row.decode("built_by"), cases: try row.decode("cases"))
        }
    }

    // MARK: Recording at Level 2

    /// Records (or changes) the meeting's decision for a case in one
    /// transaction; "resolved at Level 2" closes the case's Level 2 escalation.
    ///
    /// - Parameter scope: what the recorder may see (nil: everything); a case
    ///   outside it reads as not escalated (the route answers 404).
    public func recordDecision(caseID: Int64, week: ReviewWeek, decision: Level2Decision?, ask: String?, notes: String?,
                               by actor: String, scope: RecordScope? = nil) async throws -> Level2CaseRecordRow {
        if let problem = Level2Decision.problem(decision: decision, ask: ask) { throw MeetingRecordError.invalid(problem) }
        return try await database.client.withTransaction { connection in
            let subject = try await Self.caseInScope(caseID, scope: scope, on: connection)
            guard subject.found else { throw MeetingRecordError.notEscalated(caseID: caseID, level: "level2") }
            guard let escalation = try await connection.query("""
                SELECT id FROM escalation WHERE case_id = \(caseID) AND level = 'level2'
                  AND (status = 'open' OR (status = 'resolved' AND closed_week = \(week.monday)))
                ORDER BY id DESC LIMIT 1 FOR UPDATE
                """).first else { throw MeetingRecordError.notEscalated(caseID: caseID, level: "level2") }
            let escalationID: Int64 = try escalation.decode("id")
            let before = try await connection.query("""
                SELECT decision, ask, notes, recorded_by FROM level2_case_record WHERE case_id = \(caseID) AND week = \(week.monday)
                """).first.map { row in
                AuditedLevel2Record(decision: try row.decode("decision"), ask: try row.decode("ask"), notes: try row.decode("notes"),
                                    recordedBy: try row.decode("recorded_by"))
            }
            let row = try await connection.query("""
                INSERT INTO level2_case_record (case_id, escalation_id, week, decision, ask, notes, recorded_by)
                VALUES (\(caseID), \(escalationID), \(week.monday), \(decision?.rawValue), \(ask), \(notes), \(actor))
                ON CONFLICT (case_id, week) DO UPDATE SET decision = EXCLUDED.decision, ask = EXCLUDED.ask, notes = EXCLUDED.notes,
                    recorded_by = EXCLUDED.recorded_by, recorded_at = now()
                RETURNING id, recorded_at
                """)[0]
            let recordID: Int64 = try row.decode("id")
            try await connection.execute("""
                INSERT INTO level2_case_record_history (record_id, decision, ask, notes, recorded_by)
                VALUES (\(recordID), \(decision?.rawValue), \(ask), \(notes), \(actor))
                """)
            try await AuditTrail.record(AuditEntry(
                action: before == nil ? "create" : "update", entityType: "level2_case_record", entityID: String(recordID),
                caseID: caseID, nhsNumber: subject.nhsNumber, before: before,
                after: AuditedLevel2Record(decision: decision?.rawValue, ask: ask, notes: notes, recordedBy: actor)), on: connection)
            if decision == .resolved {
                let closed = try await connection.query("""
                    UPDATE escalation SET status = 'resolved', closed_week = \(week.monday), closed_at = now(), closed_by = \(actor),
                        outcome = \("Resolved at Level 2" + ((notes ?? "").isEmpty ? "" : ": \(notes!)"))
                    WHERE id = \(escalationID) AND status = 'open'
                    RETURNING id, outcome
                    """)
                try await Self.auditEscalationChanges(closed, action: "resolve", caseID: caseID, nhsNumber: subject.nhsNumber, on: connection)
            } else {
                // Changing the decision away from "resolved" in the same week reopens it.
                let previousOutcome: String? = try await connection.query("""
                    SELECT outcome FROM escalation WHERE id = \(escalationID)
                    """).first?.decode("outcome")
                let reopened = try await connection.query("""
                    UPDATE escalation SET status = 'open', closed_week = NULL, closed_at = NULL, closed_by = NULL, outcome = NULL
                    WHERE id = \(escalationID) AND status = 'resolved' AND closed_week = \(week.monday)
                      AND NOT EXISTS (SELECT 1 FROM escalation x WHERE x.case_id = \(caseID) AND x.level = 'level2' AND x.status = 'open')
                    RETURNING id, outcome
                    """)
                try await Self.auditEscalationChanges(reopened, action: "reopen", caseID: caseID, nhsNumber: subject.nhsNumber,
                                                      beforeOutcome: previousOutcome, on: connection)
            }
            return Level2CaseRecordRow(caseID: caseID, week: week.monday, decision: decision, ask: ask, notes: notes,
                                       recordedBy: actor, recordedAt: try row.decode("recorded_at"))
        }
    }

    /// Adds an action the meeting agreed for a case.
    public func addAction(caseID: Int64, week: ReviewWeek, description: String, agency: Agency, owner: String, dueDate: CalendarDate,
                          by actor: String, scope: RecordScope? = nil) async throws -> Level2ActionRow {
        let description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        let owner = owner.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw MeetingRecordError.invalid("An agreed action needs a description: say what will be done.") }
        guard !owner.isEmpty else { throw MeetingRecordError.invalid("An agreed action needs an owner: name the person or role who will do it.") }
        return try await database.client.withTransaction { connection in
            let subject = try await Self.caseInScope(caseID, scope: scope, on: connection)
            guard subject.found else { throw MeetingRecordError.notEscalated(caseID: caseID, level: "level2") }
            guard try await !connection.query("""
                SELECT 1 FROM escalation WHERE case_id = \(caseID) AND level = 'level2' AND (status = 'open' OR closed_week = \(week.monday))
                """).isEmpty else { throw MeetingRecordError.notEscalated(caseID: caseID, level: "level2") }
            let row = try await connection.query("""
                INSERT INTO level2_action (case_id, week, description, agency, owner, due_date, recorded_by)
                VALUES (\(caseID), \(week.monday), \(description), \(agency.rawValue), \(owner), \(dueDate), \(actor))
                RETURNING id, recorded_at
                """)[0]
            let action = Level2ActionRow(id: try row.decode("id"), caseID: caseID, week: week.monday, description: description, agency: agency,
                                         owner: owner, dueDate: dueDate, recordedBy: actor, recordedAt: try row.decode("recorded_at"))
            try await AuditTrail.record(AuditEntry(
                action: "create", entityType: "level2_action", entityID: String(action.id), caseID: caseID, nhsNumber: subject.nhsNumber,
                after: action), on: connection)
            return action
        }
    }

    /// The week's records, by case.
    public func records(week: ReviewWeek) async throws -> [Int64: Level2CaseRecordRow] {
        var result: [Int64: Level2CaseRecordRow] = [:]
        for row in try await database.client.query("""
            SELECT case_id, week, decision, ask, notes, recorded_by, recorded_at FROM level2_case_record WHERE week = \(week.monday)
            """) {
            let decision: String? = try row.decode("decision")
            let caseID: Int64 = try row.decode("case_id")
            result[caseID] = Level2CaseRecordRow(caseID: caseID, week: try row.decode("week"), decision: decision.flatMap(Level2Decision.init(rawValue:)),
                                                 ask: try row.decode("ask"), notes: try row.decode("notes"),
                                                 recordedBy: try row.decode("recorded_by"), recordedAt: try row.decode("recorded_at"))
        }
        return result
    }

    /// The actions agreed for these cases up to `week`, oldest first.
    public func actions(caseIDs: [Int64], upTo week: ReviewWeek) async throws -> [Level2ActionRow] {
        guard !caseIDs.isEmpty else { return [] }
        return try await database.client.query("""
            SELECT id, case_id, week, description, agency, owner, due_date, recorded_by, recorded_at FROM level2_action
            WHERE case_id = ANY(\(PostgresArray(caseIDs))::bigint[]) AND week <= \(week.monday) ORDER BY week, id
            """).map { row in
            Level2ActionRow(id: try row.decode("id"), caseID: try row.decode("case_id"), week: try row.decode("week"),
                            description: try row.decode("description"), agency: Agency(rawValue: try row.decode("agency")) ?? .other,
                            owner: try row.decode("owner"), dueDate: try row.decode("due_date"),
                            recordedBy: try row.decode("recorded_by"), recordedAt: try row.decode("recorded_at"))
        }
    }

    /// Records (or updates) one attendee of the week's meeting.
    public func recordAttendance(week: ReviewWeek, name: String, role: String, agency: Agency, present: Bool, by actor: String) async throws {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw MeetingRecordError.invalid("Give the attendee's name.") }
        let role = role.trimmingCharacters(in: .whitespacesAndNewlines)
        try await database.client.withTransaction { connection in
            let before = try await connection.query("""
                SELECT name, role, agency, present, recorded_by FROM level2_attendance
                WHERE week = \(week.monday) AND lower(btrim(name)) = lower(btrim(\(name)))
                """).first.map { row in
                AttendanceRow(name: try row.decode("name"), role: try row.decode("role"), agency: Agency(rawValue: try row.decode("agency")) ?? .other,
                              present: try row.decode("present"), recordedBy: try row.decode("recorded_by"))
            }
            try await connection.execute("""
                INSERT INTO level2_attendance (week, name, role, agency, present, recorded_by)
                VALUES (\(week.monday), \(name), \(role), \(agency.rawValue), \(present), \(actor))
                ON CONFLICT (week, lower(btrim(name))) DO UPDATE SET role = EXCLUDED.role, agency = EXCLUDED.agency, present = EXCLUDED.present,
                    recorded_by = EXCLUDED.recorded_by, recorded_at = now()
                """)
            try await AuditTrail.record(AuditEntry(
                action: before == nil ? "create" : "update", entityType: "level2_attendance", entityID: week.monday.iso, before: before,
                after: AttendanceRow(name: name, role: role, agency: agency, present: present, recordedBy: actor)), on: connection)
        }
    }

    public func attendance(week: ReviewWeek) async throws -> [AttendanceRow] {
        try await database.client.query("""
            SELECT name, role, agency, present, recorded_by FROM level2_attendance WHERE week = \(week.monday) ORDER BY agency, name
            """).map { row in
            AttendanceRow(name: try row.decode("name"), role: try row.decode("role"), agency: Agency(rawValue: try row.decode("agency")) ?? .other,
                          present: try row.decode("present"), recordedBy: try row.decode("recorded_by"))
        }
    }

    // MARK: The chief executive call

    /// Case ids on the chief executive list for `week`: open at the call,
    /// referred (a rule hit) that week, or closed that week (so a decision
    /// just recorded stays in view); `organisationID` limits it to one
    /// organisation's sites.
    public func chiefExecutiveCaseIDs(week: ReviewWeek, organisationID: Int64? = nil, scope: RecordScope? = nil) async throws -> [Int64] {
        let scope = scope ?? .all
        return try await database.client.query("""
            SELECT DISTINCT e.case_id FROM escalation e
            JOIN patient_case c ON c.id = e.case_id JOIN site s ON s.id = c.site_id JOIN ward w ON w.id = c.last_ward_id
            WHERE e.level = 'ce-call' AND e.opened_week <= \(week.monday)
              AND (e.status = 'open' OR e.closed_week = \(week.monday)
                   OR EXISTS (SELECT 1 FROM escalation_rule_hit h WHERE h.escalation_id = e.id AND h.week = \(week.monday)))
              AND (\(organisationID)::bigint IS NULL OR s.organisation_id = \(organisationID))
              AND \(fragment: scope.condition())
            ORDER BY e.case_id
            """).map { try $0.decode("case_id") }
    }

    /// Records a decision of the call, in one transaction: "resolved" closes
    /// the case's chief executive and Level 2 escalations; "return to Level 2"
    /// closes only the chief executive one.
    public func recordChiefExecutiveDecision(caseID: Int64, week: ReviewWeek, decision: ChiefExecutiveDecision, notes: String,
                                             by actor: String, scope: RecordScope? = nil) async throws -> ChiefExecutiveDecisionRow {
        try await database.client.withTransaction { connection in
            let subject = try await Self.caseInScope(caseID, scope: scope, on: connection)
            guard subject.found else { throw MeetingRecordError.notEscalated(caseID: caseID, level: "ce-call") }
            guard let escalation = try await connection.query("""
                SELECT id FROM escalation WHERE case_id = \(caseID) AND level = 'ce-call' AND status = 'open' FOR UPDATE
                """).first else { throw MeetingRecordError.notEscalated(caseID: caseID, level: "ce-call") }
            let escalationID: Int64 = try escalation.decode("id")
            let row = try await connection.query("""
                INSERT INTO ce_decision (case_id, escalation_id, week, decision, notes, recorded_by)
                VALUES (\(caseID), \(escalationID), \(week.monday), \(decision.rawValue), \(notes), \(actor))
                RETURNING id, recorded_at
                """)[0]
            let recorded = ChiefExecutiveDecisionRow(caseID: caseID, week: week.monday, decision: decision, notes: notes, recordedBy: actor,
                                                     recordedAt: try row.decode("recorded_at"))
            try await AuditTrail.record(AuditEntry(
                action: "create", entityType: "ce_decision", entityID: String(try row.decode("id", as: Int64.self)), caseID: caseID,
                nhsNumber: subject.nhsNumber, after: recorded), on: connection)
            let suffix = notes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : ": \(notes)"
            switch decision {
            case .resolved:
                let closed = try await connection.query("""
                    UPDATE escalation SET status = 'resolved', closed_week = \(week.monday), closed_at = now(), closed_by = \(actor),
                        outcome = \("Resolved at the chief executive call" + suffix)
                    WHERE case_id = \(caseID) AND status = 'open'
                    RETURNING id, outcome
                    """)
                try await Self.auditEscalationChanges(closed, action: "resolve", caseID: caseID, nhsNumber: subject.nhsNumber, on: connection)
            case .returnToLevel2:
                let closed = try await connection.query("""
                    UPDATE escalation SET status = 'resolved', closed_week = \(week.monday), closed_at = now(), closed_by = \(actor),
                        outcome = \("Returned to Level 2 by the chief executive call" + suffix)
                    WHERE id = \(escalationID)
                    RETURNING id, outcome
                    """)
                try await Self.auditEscalationChanges(closed, action: "resolve", caseID: caseID, nhsNumber: subject.nhsNumber, on: connection)
            case .keep:
                break
            }
            return recorded
        }
    }

    public func chiefExecutiveDecisions(week: ReviewWeek) async throws -> [ChiefExecutiveDecisionRow] {
        try await database.client.query("""
            SELECT case_id, week, decision, notes, recorded_by, recorded_at FROM ce_decision WHERE week = \(week.monday) ORDER BY id
            """).compactMap { row in
            guard let decision = ChiefExecutiveDecision(rawValue: try row.decode("decision")) else { return nil }
            return ChiefExecutiveDecisionRow(caseID: try row.decode("case_id"), week: try row.decode("week"), decision: decision,
                                             notes: try row.decode("notes"), recordedBy: try row.decode("recorded_by"),
                                             recordedAt: try row.decode("recorded_at"))
        }
    }
}

/// A Level 2 agenda build as the audit trail shows it.
struct AuditedAgendaBuild: Encodable {
    let week: String
    let version: Int
    let builtBy: String
    let caseIDs: [Int64]
}

/// A Level 2 case record as the audit trail shows it, before and after.
struct AuditedLevel2Record: Encodable {
    let decision: String?
    let ask: String?
    let notes: String?
    let recordedBy: String
}

extension Level2Store {
    /// Audits escalations a recording closed or reopened (rows `id, outcome`
    /// from an `UPDATE … RETURNING`), in the recording's transaction.
    static func auditEscalationChanges(_ rows: PostgresRows, action: String, caseID: Int64, nhsNumber: String?,
                                       beforeOutcome: String? = nil, on connection: PostgresConnection) async throws {
        struct Change: Encodable { let status: String; let outcome: String? }
        for row in rows {
            let id: Int64 = try row.decode("id")
            let outcome: String? = try row.decode("outcome")
            try await AuditTrail.record(AuditEntry(
                action: action, entityType: "escalation", entityID: String(id), caseID: caseID, nhsNumber: nhsNumber,
                before: Change(status: action == "reopen" ? "resolved" : "open", outcome: beforeOutcome),
                after: Change(status: action == "reopen" ? "open" : "resolved", outcome: outcome)), on: connection)
        }
    }
}
