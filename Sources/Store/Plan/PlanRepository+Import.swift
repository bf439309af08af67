import Foundation
import Postgres
import StrandedCore

extension PlanRepository {
    /// Stores a whole plan document in one transaction and returns its id.
    ///
    /// A plan whose title is already in the tracker is refused
    /// (`PlanStoreError.alreadyImported`) rather than replaced: its progress
    /// notes and audit trail are append-only, and replacing the plan would
    /// throw them away. The caller validates the document first
    /// (`PlanDocument.validate()`); the schema's constraints are the backstop.
    @discardableResult
    public func importPlan(_ document: PlanDocument, by author: String) async throws -> Int64 {
        let who = author.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !who.isEmpty else { throw PlanStoreError.blankAuthor }
        do {
            return try await client.withTransaction { connection in
                try await Self.insert(document, by: who, on: connection)
            }
        } catch let error as PostgresError where error.kind == .uniqueViolation && error.constraint == "plan_title_key" {
            throw PlanStoreError.alreadyImported(title: document.plan.title)
        }
    }

    private static func insert(_ document: PlanDocument, by author: String, on connection: PostgresConnection) async throws -> Int64 {
        let plan = document.plan
        let planID: Int64 = try await connection.query(
            """
            INSERT INTO plan (title, owner, start_date, start_date_text, duration_months, status, closed_on, format_version, imported_by)
            VALUES (\(plan.title), \(plan.owner), \(plan.startDate), \(plan.startDateText), \(plan.durationMonths),
                    \(plan.status.rawValue), \(plan.closedOn), \(document.formatVersion), \(author))
            RETURNING id
            """
        )[0].decode("id")

        for (position, person) in document.people.enumerated() {
            try await connection.execute(
                """
                INSERT INTO plan_person (plan_id, initials, position, name, role, organisation)
                VALUES (\(planID), \(person.initials), \(position), \(person.name), \(person.role), \(person.organisation))
                """
            )
        }

        var actionIDs: [String: Int64] = [:]
        for (position, priority) in document.priorities.enumerated() {
            let priorityID: Int64 = try await connection.query(
                """
                INSERT INTO priority (plan_id, letter, position, category, title, priority_text, finding, recommendation)
                VALUES (\(planID), \(priority.letter), \(position), \(priority.category.rawValue), \(priority.title),
                        \(priority.priorityText), \(priority.finding), \(priority.recommendation))
                RETURNING id
                """
            )[0].decode("id")
            for (index, action) in priority.actions.enumerated() {
                actionIDs[action.code] = try await insert(action, position: index, priorityID: priorityID, planID: planID, on: connection)
            }
            for (index, item) in priority.delivered.enumerated() {
                try await connection.execute(
                    """
                    INSERT INTO delivered_item (priority_id, position, text, details)
                    VALUES (\(priorityID), \(index), \(item.text), \(PostgresJSON(item.details))::jsonb)
                    """
                )
            }
            for (index, task) in priority.outstanding.enumerated() {
                let taskID: Int64 = try await connection.query(
                    """
                    INSERT INTO outstanding_task (priority_id, position, task, rationale, future_reporting, governance_stream)
                    VALUES (\(priorityID), \(index), \(task.task), \(task.rationale), \(task.futureReporting), \(task.governanceStream))
                    RETURNING id
                    """
                )[0].decode("id")
                for (ownerIndex, owner) in task.owners.enumerated() {
                    try await connection.execute(
                        """
                        INSERT INTO outstanding_task_owner (outstanding_task_id, position, owner)
                        VALUES (\(taskID), \(ownerIndex), \(owner.text))
                        """
                    )
                }
                for (codeIndex, code) in task.actions.enumerated() {
                    guard let actionID = actionIDs[code] else { throw PlanStoreError.unknownAction(code: code) }
                    try await connection.execute(
                        """
                        INSERT INTO outstanding_task_action (outstanding_task_id, key_action_id, position)
                        VALUES (\(taskID), \(actionID), \(codeIndex))
                        """
                    )
                }
            }
        }

        for (position, metric) in document.evaluationMetrics.enumerated() {
            let metricID: Int64 = try await connection.query(
                """
                INSERT INTO evaluation_metric (plan_id, key, position, name, definition, unit, direction, source, target)
                VALUES (\(planID), \(metric.id), \(position), \(metric.name), \(metric.definition), \(metric.unit),
                        \(metric.direction.rawValue), \(metric.source), \(metric.target))
                RETURNING id
                """
            )[0].decode("id")
            for (index, code) in metric.actions.enumerated() {
                guard let actionID = actionIDs[code] else { throw PlanStoreError.unknownAction(code: code) }
                try await connection.execute(
                    """
                    INSERT INTO metric_action (metric_id, key_action_id, position)
                    VALUES (\(metricID), \(actionID), \(index))
                    """
                )
            }
        }
        return planID
    }

    private static func insert(
        _ action: KeyAction,
        position: Int,
        priorityID: Int64,
        planID: Int64,
        on connection: PostgresConnection
    ) async throws -> Int64 {
        let actionID: Int64 = try await connection.query(
            """
            INSERT INTO key_action (priority_id, plan_id, code, position, text, due_text, due_date, status)
            VALUES (\(priorityID), \(planID), \(action.code), \(position), \(action.text),
                    \(action.due?.text), \(action.due?.date), \(action.status.rawValue))
            RETURNING id
            """
        )[0].decode("id")
        try await insertOwners(action.accountable, .accountable, keyActionID: actionID, subActionID: nil, on: connection)
        try await insertOwners(action.responsible, .responsible, keyActionID: actionID, subActionID: nil, on: connection)
        for note in action.progress {
            try await insertNote(note, keyActionID: actionID, subActionID: nil, on: connection)
        }
        for (index, sub) in action.subActions.enumerated() {
            let subID: Int64 = try await connection.query(
                """
                INSERT INTO sub_action (key_action_id, numeral, position, text, due_text, due_date)
                VALUES (\(actionID), \(sub.numeral), \(index), \(sub.text), \(sub.due?.text), \(sub.due?.date))
                RETURNING id
                """
            )[0].decode("id")
            try await insertOwners(sub.accountable, .accountable, keyActionID: nil, subActionID: subID, on: connection)
            try await insertOwners(sub.responsible, .responsible, keyActionID: nil, subActionID: subID, on: connection)
            for note in sub.progress {
                try await insertNote(note, keyActionID: nil, subActionID: subID, on: connection)
            }
        }
        return actionID
    }

    static func insertOwners(
        _ owners: [Owner],
        _ role: OwnerRole,
        keyActionID: Int64?,
        subActionID: Int64?,
        on connection: PostgresConnection
    ) async throws {
        for (position, owner) in owners.enumerated() {
            try await connection.execute(
                """
                INSERT INTO action_owner (key_action_id, sub_action_id, role, position, owner)
                VALUES (\(keyActionID), \(subActionID), \(role.rawValue), \(position), \(owner.text))
                """
            )
        }
    }

    static func insertNote(
        _ note: ProgressNote,
        keyActionID: Int64?,
        subActionID: Int64?,
        on connection: PostgresConnection
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO progress_note (key_action_id, sub_action_id, note_date, author, text)
            VALUES (\(keyActionID), \(subActionID), \(note.date), \(note.author), \(note.text))
            """
        )
    }
}
