import Foundation
import Postgres
import StrandedCore

extension PlanRepository {
    /// Reads a plan back as the document it was imported from, with every
    /// edit since applied. Eleven queries, one per table, in one
    /// repeatable-read transaction so the parts agree with each other.
    public func load(planID: Int64) async throws -> PlanDocument {
        try await client.withTransaction(isolation: .repeatableRead) { connection in
            try await Self.load(planID: planID, on: connection)
        }
    }

    /// The current plan (the one imported last).
    public func loadCurrent() async throws -> (id: Int64, document: PlanDocument) {
        guard let id = try await currentPlanID() else { throw PlanStoreError.noPlan }
        return (id, try await load(planID: id))
    }

    static func load(planID: Int64, on connection: PostgresConnection) async throws -> PlanDocument {
        let planRows = try await connection.query(
            """
            SELECT title, owner, start_date, start_date_text, duration_months, status, closed_on, format_version
            FROM plan WHERE id = \(planID)
            """
        )
        guard let row = planRows.first else { throw PlanStoreError.noPlan }
        let plan = Plan(
            title: try row.decode("title"),
            owner: try row.decode("owner"),
            startDate: try row.decode("start_date"),
            startDateText: try row.decode("start_date_text"),
            durationMonths: try row.decode("duration_months"),
            status: try keyword(PlanStatus.self, row, "status"),
            closedOn: try row.decode("closed_on")
        )
        let formatVersion: Int = try row.decode("format_version")

        let people = try await connection.query(
            """
            SELECT initials, name, role, organisation FROM plan_person WHERE plan_id = \(planID) ORDER BY position
            """
        ).map { row in
            Person(
                initials: try row.decode("initials"),
                name: try row.decode("name"),
                role: try row.decode("role"),
                organisation: try row.decode("organisation")
            )
        }

        // Owners and notes of key actions and sub-actions, grouped by row id.
        var actionOwners: [Int64: [OwnerRole: [Owner]]] = [:]
        var subOwners: [Int64: [OwnerRole: [Owner]]] = [:]
        for row in try await connection.query(
            """
            SELECT o.key_action_id, o.sub_action_id, o.role, o.owner
            FROM action_owner o
            LEFT JOIN sub_action s ON s.id = o.sub_action_id
            JOIN key_action k ON k.id = coalesce(o.key_action_id, s.key_action_id)
            WHERE k.plan_id = \(planID)
            ORDER BY o.role, o.position
            """
        ) {
            let role = try keyword(OwnerRole.self, row, "role")
            let owner = Owner(try row.decode("owner", as: String.self))
            if let sub = try row.decode("sub_action_id", as: Int64?.self) {
                subOwners[sub, default: [:]][role, default: []].append(owner)
            } else {
                actionOwners[try row.decode("key_action_id"), default: [:]][role, default: []].append(owner)
            }
        }
        var actionNotes: [Int64: [ProgressNote]] = [:]
        var subNotes: [Int64: [ProgressNote]] = [:]
        for row in try await connection.query(
            """
            SELECT n.key_action_id, n.sub_action_id, n.note_date, n.author, n.text
            FROM progress_note n
            LEFT JOIN sub_action s ON s.id = n.sub_action_id
            JOIN key_action k ON k.id = coalesce(n.key_action_id, s.key_action_id)
            WHERE k.plan_id = \(planID)
            ORDER BY n.id
            """
        ) {
            let note = ProgressNote(date: try row.decode("note_date"), author: try row.decode("author"), text: try row.decode("text"))
            if let sub = try row.decode("sub_action_id", as: Int64?.self) {
                subNotes[sub, default: []].append(note)
            } else {
                actionNotes[try row.decode("key_action_id"), default: []].append(note)
            }
        }

        var subActions: [Int64: [SubAction]] = [:]
        for row in try await connection.query(
            """
            SELECT s.id, s.key_action_id, s.numeral, s.text, s.due_text
            FROM sub_action s JOIN key_action k ON k.id = s.key_action_id
            WHERE k.plan_id = \(planID)
            ORDER BY s.key_action_id, s.position
            """
        ) {
            let id: Int64 = try row.decode("id")
            subActions[try row.decode("key_action_id"), default: []].append(
                SubAction(
                    numeral: try row.decode("numeral"),
                    text: try row.decode("text"),
                    accountable: subOwners[id]?[.accountable] ?? [],
                    responsible: subOwners[id]?[.responsible] ?? [],
                    due: try row.decode("due_text", as: String?.self).map(DueDate.init),
                    progress: subNotes[id] ?? []
                )
            )
        }

        var actions: [Int64: [KeyAction]] = [:]
        for row in try await connection.query(
            """
            SELECT id, priority_id, code, text, due_text, status FROM key_action
            WHERE plan_id = \(planID) ORDER BY priority_id, position
            """
        ) {
            let id: Int64 = try row.decode("id")
            actions[try row.decode("priority_id"), default: []].append(
                KeyAction(
                    code: try row.decode("code"),
                    text: try row.decode("text"),
                    accountable: actionOwners[id]?[.accountable] ?? [],
                    responsible: actionOwners[id]?[.responsible] ?? [],
                    due: try row.decode("due_text", as: String?.self).map(DueDate.init),
                    status: try keyword(ActionStatus.self, row, "status"),
                    progress: actionNotes[id] ?? [],
                    subActions: subActions[id] ?? []
                )
            )
        }

        var delivered: [Int64: [DeliveredItem]] = [:]
        for row in try await connection.query(
            """
            SELECT d.priority_id, d.text, d.details FROM delivered_item d JOIN priority p ON p.id = d.priority_id
            WHERE p.plan_id = \(planID) ORDER BY d.priority_id, d.position
            """
        ) {
            delivered[try row.decode("priority_id"), default: []].append(
                DeliveredItem(try row.decode("text"), details: try row.decode("details", as: PostgresJSON<[String]>.self).value)
            )
        }

        let outstanding = try await loadOutstanding(planID: planID, on: connection)

        let priorities = try await connection.query(
            """
            SELECT id, letter, category, title, priority_text, finding, recommendation
            FROM priority WHERE plan_id = \(planID) ORDER BY position
            """
        ).map { row in
            let id: Int64 = try row.decode("id")
            return Priority(
                letter: try row.decode("letter"),
                category: try keyword(PriorityCategory.self, row, "category"),
                title: try row.decode("title"),
                priorityText: try row.decode("priority_text"),
                finding: try row.decode("finding"),
                recommendation: try row.decode("recommendation"),
                actions: actions[id] ?? [],
                delivered: delivered[id] ?? [],
                outstanding: outstanding[id] ?? []
            )
        }

        let metrics = try await connection.query(
            """
            SELECT m.key, m.name, m.definition, m.unit, m.direction, m.source, m.target,
                   coalesce((SELECT jsonb_agg(k.code ORDER BY ma.position)
                             FROM metric_action ma JOIN key_action k ON k.id = ma.key_action_id
                             WHERE ma.metric_id = m.id), '[]') AS actions
            FROM evaluation_metric m WHERE m.plan_id = \(planID) ORDER BY m.position
            """
        ).map { row in
            PlanEvaluationMetric(
                id: try row.decode("key"),
                name: try row.decode("name"),
                definition: try row.decode("definition"),
                unit: try row.decode("unit"),
                direction: try keyword(ImprovementDirection.self, row, "direction"),
                source: try row.decode("source"),
                target: try row.decode("target"),
                actions: try row.decode("actions", as: PostgresJSON<[String]>.self).value
            )
        }

        return PlanDocument(
            formatVersion: formatVersion,
            plan: plan,
            people: people,
            priorities: priorities,
            evaluationMetrics: metrics
        )
    }

    /// The tasks handed over at closure, by priority row id.
    private static func loadOutstanding(planID: Int64, on connection: PostgresConnection) async throws -> [Int64: [OutstandingTask]] {
        var result: [Int64: [OutstandingTask]] = [:]
        for row in try await connection.query(
            """
            SELECT t.priority_id, t.task, t.rationale, t.future_reporting, t.governance_stream,
                   coalesce((SELECT jsonb_agg(o.owner ORDER BY o.position) FROM outstanding_task_owner o
                             WHERE o.outstanding_task_id = t.id), '[]') AS owners,
                   coalesce((SELECT jsonb_agg(k.code ORDER BY a.position) FROM outstanding_task_action a
                             JOIN key_action k ON k.id = a.key_action_id
                             WHERE a.outstanding_task_id = t.id), '[]') AS actions
            FROM outstanding_task t JOIN priority p ON p.id = t.priority_id
            WHERE p.plan_id = \(planID)
            ORDER BY t.priority_id, t.position
            """
        ) {
            result[try row.decode("priority_id"), default: []].append(
                OutstandingTask(
                    task: try row.decode("task"),
                    owners: try row.decode("owners", as: PostgresJSON<[String]>.self).value.map(Owner.init),
                    rationale: try row.decode("rationale"),
                    futureReporting: try row.decode("future_reporting"),
                    governanceStream: try row.decode("governance_stream"),
                    actions: try row.decode("actions", as: PostgresJSON<[String]>.self).value
                )
            )
        }
        return result
    }

    /// Reads a keyword column; the schema's CHECK constraints make failure a bug, reported as such.
    static func keyword<K: RawRepresentable>(_ type: K.Type, _ row: PostgresRow, _ column: String) throws -> K where K.RawValue == String {
        let text: String = try row.decode(column)
        guard let value = K(rawValue: text) else {
            throw PostgresError(kind: .decoding, message: "column \"\(column)\" holds \"\(text)\", which is not a known \(K.self)")
        }
        return value
    }
}
