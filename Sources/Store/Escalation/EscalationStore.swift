import Foundation
import Postgres
import StrandedCore

/// Escalations and their rule hits in PostgreSQL.
public struct EscalationStore: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    // MARK: Facts for the rules

    /// Every open, not-discharged case with a Level 1 form in `week`, with its
    /// form, its list row's expected discharge date and its completed reviews
    /// of earlier weeks.
    ///
    /// - Parameter asOf: read each form as it was saved at this instant (its
    ///   latest saved version then; not started if none), so a deadline
    ///   applied late, after downtime, still treats a form completed after
    ///   the deadline as late. Nil: as the forms stand now.
    public func deadlineCases(week: ReviewWeek, asOf: Date? = nil) async throws -> [DeadlineCaseFacts] {
        let rows = try await database.client.query(
            """
            SELECT f.case_id, r.admission_date, r.expected_discharge_date, f.created_at,
                   CASE WHEN \(asOf)::timestamptz IS NULL THEN f.status ELSE COALESCE(v.status, 'not-started') END AS status,
                   CASE WHEN \(asOf)::timestamptz IS NULL THEN f.review ELSE COALESCE(v.review, f.prefill, f.review) END AS review
            FROM level1_form f
            JOIN patient_case c ON c.id = f.case_id
            JOIN list_row r ON r.import_id = f.source_import AND r.site_id = c.site_id AND r.line_no = f.source_line
            LEFT JOIN LATERAL (
                SELECT v.status, v.review FROM level1_form_version v
                WHERE v.form_id = f.id AND v.saved_at <= \(asOf)::timestamptz
                ORDER BY v.version DESC LIMIT 1
            ) v ON true
            WHERE f.week_start = \(week.monday) AND NOT f.discharged AND c.status = 'open'
            ORDER BY f.case_id
            """
        )
        let prior = try await database.client.query(
            """
            SELECT p.case_id, p.week_start, p.review
            FROM level1_form p
            JOIN level1_form f ON f.case_id = p.case_id AND f.week_start = \(week.monday)
            WHERE p.week_start < \(week.monday) AND p.completed_at IS NOT NULL
            """
        )
        var priorByCase: [Int64: [(week: ReviewWeek, review: Level1Review)]] = [:]
        for row in prior {
            guard let w = ReviewWeek(monday: try row.decode("week_start")) else { continue }
            priorByCase[try row.decode("case_id"), default: []].append((w, try row.decode("review", as: PostgresJSON<Level1Review>.self).value))
        }
        return try rows.map { row in
            let caseID: Int64 = try row.decode("case_id")
            return DeadlineCaseFacts(
                caseID: caseID,
                formStatus: try row.decodeRawValue("status", as: FormStatus.self),
                review: try row.decode("review", as: PostgresJSON<Level1Review>.self).value,
                admissionDate: try row.decode("admission_date"),
                listedExpectedDischargeDate: try row.decode("expected_discharge_date"),
                priorReviews: priorByCase[caseID] ?? [],
                openedAt: try row.decode("created_at")
            )
        }
    }

    /// The weeks each case was on a Level 2 agenda (the latest version built
    /// for the week), up to and including `week`, with what was recorded.
    public func level2Meetings(caseIDs: [Int64], upTo week: ReviewWeek) async throws -> [Int64: [Level2MeetingFacts]] {
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try await database.client.query(
            """
            WITH latest AS (
                SELECT DISTINCT ON (week) week, case_ids FROM level2_agenda WHERE week <= \(week.monday) ORDER BY week, version DESC
            ), present AS (
                SELECT l.week, u.case_id FROM latest l CROSS JOIN LATERAL unnest(l.case_ids) AS u(case_id)
                WHERE u.case_id = ANY(\(PostgresArray(caseIDs))::bigint[])
            )
            SELECT p.case_id, p.week, rec.decision, rec.ask, rec.notes,
                   (SELECT count(*) FROM level2_action a WHERE a.case_id = p.case_id AND a.week = p.week) AS actions
            FROM present p
            LEFT JOIN level2_case_record rec ON rec.case_id = p.case_id AND rec.week = p.week
            ORDER BY p.case_id, p.week
            """
        )
        var result: [Int64: [Level2MeetingFacts]] = [:]
        for row in rows {
            guard let w = ReviewWeek(monday: try row.decode("week")) else { continue }
            let caseID: Int64 = try row.decode("case_id")
            result[caseID, default: []].append(
                Level2MeetingFacts(
                    caseID: caseID,
                    week: w,
                    decision: try row.decodeRawValue("decision", as: Level2Decision?.self),
                    ask: try row.decode("ask"),
                    notes: try row.decode("notes"),
                    actionsAgreed: try row.decode("actions")
                )
            )
        }
        return result
    }

    /// Cases open at Level 2 (and not already at the chief executive call)
    /// whose escalation was opened in or before `week`.
    ///
    /// - Parameter forTheAgenda: what the Level 2 agenda shows, which keeps two
    ///   kinds of case the chief executive call holds: one that `week`'s own
    ///   meeting referred (an agenda rebuilt after the meeting has begun still
    ///   shows what that meeting decided), and one whose ward has asked Level 2
    ///   for help again since it was referred (a late request is never dropped).
    ///   The chief executive rules leave both out, as they are already at the call.
    public func openLevel2CaseIDs(week: ReviewWeek, forTheAgenda: Bool) async throws -> [Int64] {
        try await database.client.query(
            """
            SELECT e.case_id FROM escalation e
            JOIN patient_case c ON c.id = e.case_id AND c.status = 'open'
            WHERE e.level = \(EscalationLevel.level2) AND e.status = 'open' AND e.opened_week <= \(week.monday)
              AND NOT EXISTS (SELECT 1 FROM escalation x WHERE x.case_id = e.case_id AND x.level = \(EscalationLevel.chiefExecutive) AND x.status = 'open'
                              AND NOT (\(forTheAgenda) AND x.opened_week = \(week.monday))
                              AND NOT (\(forTheAgenda) AND EXISTS (SELECT 1 FROM escalation_rule_hit h
                                                                   WHERE h.escalation_id = e.id AND h.late AND h.fired_at > x.opened_at)))
            ORDER BY e.case_id
            """
        ).map { try $0.decode("case_id") }
    }

    /// The listed expected discharge date and admission date of a case's latest form up to `week`.
    public func caseBasics(caseIDs: [Int64], week: ReviewWeek) async throws -> [Int64: (admission: CalendarDate, review: Level1Review?)] {
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try await database.client.query(
            """
            SELECT c.id, c.admission_date, f.review
            FROM patient_case c
            LEFT JOIN LATERAL (SELECT review FROM level1_form f WHERE f.case_id = c.id AND f.week_start <= \(week.monday)
                               ORDER BY f.week_start DESC LIMIT 1) f ON true
            WHERE c.id = ANY(\(PostgresArray(caseIDs))::bigint[])
            """
        )
        var result: [Int64: (admission: CalendarDate, review: Level1Review?)] = [:]
        for row in rows {
            result[try row.decode("id")] = (try row.decode("admission_date"), try row.decode("review", as: PostgresJSON<Level1Review>?.self)?.value)
        }
        return result
    }

    // MARK: Escalating

    /// Records that `rules` fired for a case in `week` (one transaction): opens
    /// an escalation at the rules' level, or adds this week's hits to the one
    /// already open. Idempotent per case, level and week: if an escalation of
    /// the case at that level already has a hit this week (even one closed
    /// since, e.g. resolved at the meeting), nothing changes.
    public func escalate(
        caseID: Int64,
        level: EscalationLevel,
        week: ReviewWeek,
        rules: [FiredRule],
        snapshot: CaseSnapshot?,
        by actor: String
    ) async throws -> EscalateOutcome {
        guard !rules.isEmpty else { return .unchanged }
        return try await database.client.withTransaction { connection in
            let open = try await connection.query("SELECT status, nhs_number FROM patient_case WHERE id = \(caseID) FOR UPDATE")
            guard let caseRow = open.first, try caseRow.decode("status", as: String.self) == "open" else { return .unchanged }
            let nhsNumber: String? = try caseRow.decode("nhs_number")
            let already = try await connection.query(
                """
                SELECT 1 FROM escalation_rule_hit h JOIN escalation e ON e.id = h.escalation_id
                WHERE e.case_id = \(caseID) AND e.level = \(level) AND h.week = \(week.monday) AND NOT h.late LIMIT 1
                """
            )
            // A late hit (a ward asking after the deadline) does not count:
            // the deadline's own run must still record what it finds.
            if !already.isEmpty { return .unchanged }
            // Core decides whether the rules open a new escalation or join the open one.
            let escalations = try await StoredCaseEscalations.read(caseID: caseID, on: connection)
            let changes = escalations.transition(.rulesFired(level: level)).changes
            let outcome: EscalateOutcome
            let escalationID: Int64
            if let opened = try await escalations.write(changes, week: week, actor: actor, nhsNumber: nhsNumber, on: connection)[level] {
                escalationID = opened
                outcome = .opened(escalationID)
            } else if let existing = escalations.latest[level] {
                escalationID = existing.id
                outcome = .appended(escalationID)
            } else {
                return .unchanged
            }
            for rule in rules {
                try await connection.execute(
                    """
                    INSERT INTO escalation_rule_hit (escalation_id, rule_id, week, reason, snapshot)
                    VALUES (\(escalationID), \(rule.rule.rawValue), \(week.monday), \(rule.reason), \(snapshot.map { PostgresJSON($0) }))
                    ON CONFLICT (escalation_id, rule_id, week) DO NOTHING
                    """
                )
            }
            // Every change to an escalation is audited (the scheduler records as `system`).
            struct Hits: Encodable {
                let level: String
                let week: String
                let rules: [String]
                let reasons: [String]
            }
            let opened: Bool
            if case .opened = outcome { opened = true } else { opened = false }
            try await AuditTrail.record(
                AuditEntry(
                    action: opened ? "open" : "append",
                    entityType: "escalation",
                    entityID: String(escalationID),
                    caseID: caseID,
                    nhsNumber: nhsNumber,
                    after: Hits(level: level.storedName, week: week.monday.iso, rules: rules.map(\.rule.rawValue), reasons: rules.map(\.reason))
                ),
                on: connection
            )
            return outcome
        }
    }

    /// Records a ward's escalation made after the Level 1 deadline (one
    /// transaction): the hit is kept under the form's week and marked late;
    /// an escalation already open takes the hit, otherwise a new one opens
    /// for `meetingWeek`, the first meeting still to be held. The deadline's
    /// own run for the form's week is over, so nothing else would pick it up.
    public func escalateLate(
        caseID: Int64,
        formWeek: ReviewWeek,
        meetingWeek: ReviewWeek,
        rule: FiredRule,
        by actor: String
    ) async throws -> EscalateOutcome {
        try await database.client.withTransaction { connection in
            let open = try await connection.query("SELECT status, nhs_number FROM patient_case WHERE id = \(caseID) FOR UPDATE")
            guard let caseRow = open.first, try caseRow.decode("status", as: String.self) == "open" else { return .unchanged }
            let nhsNumber: String? = try caseRow.decode("nhs_number")
            let escalations = try await StoredCaseEscalations.read(caseID: caseID, on: connection)
            let changes = escalations.transition(.rulesFired(level: rule.level)).changes
            let outcome: EscalateOutcome
            let escalationID: Int64
            if let opened = try await escalations.write(changes, week: meetingWeek, actor: actor, nhsNumber: nhsNumber, on: connection)[rule.level] {
                escalationID = opened
                outcome = .opened(opened)
            } else if let existing = escalations.latest[rule.level] {
                escalationID = existing.id
                outcome = .appended(existing.id)
            } else {
                return .unchanged
            }
            let inserted = try await connection.query(
                """
                INSERT INTO escalation_rule_hit (escalation_id, rule_id, week, reason, late)
                VALUES (\(escalationID), \(rule.rule.rawValue), \(formWeek.monday), \(rule.reason), true)
                ON CONFLICT (escalation_id, rule_id, week) DO NOTHING
                RETURNING id
                """
            )
            guard !inserted.isEmpty else { return .unchanged }
            struct LateHit: Encodable {
                let level: String
                let formWeek: String
                let meetingWeek: String
                let rule: String
                let reason: String
            }
            let opened: Bool
            if case .opened = outcome { opened = true } else { opened = false }
            try await AuditTrail.record(
                AuditEntry(
                    action: opened ? "open" : "append",
                    entityType: "escalation",
                    entityID: String(escalationID),
                    caseID: caseID,
                    nhsNumber: nhsNumber,
                    after: LateHit(
                        level: rule.level.storedName,
                        formWeek: formWeek.monday.iso,
                        meetingWeek: meetingWeek.monday.iso,
                        rule: rule.rule.rawValue,
                        reason: rule.reason
                    )
                ),
                on: connection
            )
            return outcome
        }
    }

    // MARK: Reading

    /// Escalations opened and resolved in `week`, and open now, at each level.
    public struct ActivityCounts: Sendable, Equatable, Codable {
        public var level2Opened = 0
        public var level2Resolved = 0
        public var level2Open = 0
        public var chiefExecutiveOpened = 0
        public var chiefExecutiveResolved = 0
        public var chiefExecutiveOpen = 0
    }

    public func activity(week: ReviewWeek, organisationID: Int64? = nil) async throws -> ActivityCounts {
        let row = try await database.client.query(
            """
            SELECT count(*) FILTER (WHERE e.level = \(EscalationLevel.level2) AND e.opened_week = \(week.monday)) AS l2_opened,
                   count(*) FILTER (WHERE e.level = \(EscalationLevel.level2) AND e.status = 'resolved' AND e.closed_week = \(week.monday)) AS l2_resolved,
                   count(*) FILTER (WHERE e.level = \(EscalationLevel.level2) AND e.status = 'open' AND e.opened_week <= \(week.monday)) AS l2_open,
                   count(*) FILTER (WHERE e.level = \(EscalationLevel.chiefExecutive) AND e.opened_week = \(week.monday)) AS ce_opened,
                   count(*) FILTER (WHERE e.level = \(EscalationLevel.chiefExecutive) AND e.status = 'resolved' AND e.closed_week = \(week.monday)) AS ce_resolved,
                   count(*) FILTER (WHERE e.level = \(EscalationLevel.chiefExecutive) AND e.status = 'open' AND e.opened_week <= \(week.monday)) AS ce_open
            FROM escalation e JOIN patient_case c ON c.id = e.case_id JOIN site s ON s.id = c.site_id
            WHERE (\(organisationID)::bigint IS NULL OR s.organisation_id = \(organisationID))
            """
        )[0]
        return ActivityCounts(
            level2Opened: try row.decode("l2_opened"),
            level2Resolved: try row.decode("l2_resolved"),
            level2Open: try row.decode("l2_open"),
            chiefExecutiveOpened: try row.decode("ce_opened"),
            chiefExecutiveResolved: try row.decode("ce_resolved"),
            chiefExecutiveOpen: try row.decode("ce_open")
        )
    }

    /// A case's escalations, newest first, each with its hits.
    public func escalations(caseID: Int64) async throws -> [EscalationRecord] {
        try await escalations(where: "e.case_id = \(caseID)")
    }

    /// The escalations at a level that belong to `week`'s meeting (`MeetingEscalations`).
    public func escalations(level: EscalationLevel, week: ReviewWeek) async throws -> [EscalationRecord] {
        try await escalations(where: MeetingEscalations.condition(level: level, week: week))
    }

    private func escalations(where condition: PostgresQuery) async throws -> [EscalationRecord] {
        let rows = try await database.client.query(
            """
            SELECT e.id, e.case_id, e.level, e.opened_week, e.opened_at, e.status, e.closed_week, e.closed_at, e.outcome,
                   h.rule_id, h.week AS hit_week, h.reason, h.fired_at, h.late
            FROM escalation e LEFT JOIN escalation_rule_hit h ON h.escalation_id = e.id
            WHERE \(fragment: condition)
            ORDER BY e.id DESC, h.week, h.id
            """
        )
        var result: [EscalationRecord] = []
        for row in rows {
            let id: Int64 = try row.decode("id")
            if result.last?.id != id {
                result.append(
                    EscalationRecord(
                        id: id,
                        caseID: try row.decode("case_id"),
                        level: try row.decode("level"),
                        openedWeek: try row.decode("opened_week"),
                        openedAt: try row.decode("opened_at"),
                        status: try row.decodeRawValue("status", as: EscalationStatus.self),
                        closedWeek: try row.decode("closed_week"),
                        closedAt: try row.decode("closed_at"),
                        outcome: try row.decode("outcome"),
                        hits: []
                    )
                )
            }
            if let rule: String = try row.decode("rule_id") {
                result[result.count - 1].hits.append(
                    .init(
                        rule: rule,
                        week: try row.decode("hit_week"),
                        reason: try row.decode("reason"),
                        firedAt: try row.decode("fired_at"),
                        late: try row.decode("late")
                    )
                )
            }
        }
        return result
    }
}
