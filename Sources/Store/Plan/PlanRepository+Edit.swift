import Foundation
import Postgres
import StrandedCore

/// A due date as plan_change records it: the text as written and the date read from it.
struct DueChange: Codable, Sendable {
    let text: String
    let date: CalendarDate?

    init?(_ due: DueDate?) {
        guard let due else { return nil }
        text = due.text
        date = due.date
    }
}

extension PlanRepository {
    /// Sets a key action's status. Sub-actions share their action's status.
    public func setStatus(_ status: ActionStatus, of code: String, planID: Int64, by author: String) async throws {
        let who = try Self.author(author)
        try await client.withTransaction { connection in
            let target = try await Self.lock(ActionReference(code: code), planID: planID, on: connection)
            let before = try await connection.query("SELECT status FROM key_action WHERE id = \(target.keyActionID)")[0]
                .decode("status", as: String.self)
            guard before != status.rawValue else { return }
            try await connection.execute("UPDATE key_action SET status = \(status.rawValue) WHERE id = \(target.keyActionID)")
            try await Self.recordChange(
                on: connection,
                planID: planID,
                by: who,
                entity: "key_action",
                key: code,
                field: "status",
                before: before,
                after: status.rawValue
            )
        }
    }

    /// Sets the due date of a key action or sub-action: the text as written
    /// (nil clears it) and the date parsed from it, both kept.
    public func setDue(_ due: DueDate?, of reference: ActionReference, planID: Int64, by author: String) async throws {
        let who = try Self.author(author)
        try await client.withTransaction { connection in
            let target = try await Self.lock(reference, planID: planID, on: connection)
            let table: PostgresQuery = target.subActionID == nil ? "key_action" : "sub_action"
            let id = target.subActionID ?? target.keyActionID
            let beforeText = try await connection.query("SELECT due_text FROM \(fragment: table) WHERE id = \(id)")[0]
                .decode("due_text", as: String?.self)
            guard beforeText != due?.text else { return }
            try await connection.execute(
                """
                UPDATE \(fragment: table) SET due_text = \(due?.text), due_date = \(due?.date) WHERE id = \(id)
                """
            )
            try await Self.recordChange(
                on: connection,
                planID: planID,
                by: who,
                entity: target.entity,
                key: reference.description,
                field: "due",
                before: DueChange(beforeText.map(DueDate.init)),
                after: DueChange(due)
            )
        }
    }

    /// Replaces the accountable and/or responsible owners of a key action or
    /// sub-action, in one transaction with one audit row per role that
    /// changed. Initials must be in the plan's people key; nothing is written
    /// if any are not.
    public func setOwners(
        _ owners: [OwnerRole: [Owner]],
        of reference: ActionReference,
        planID: Int64,
        by author: String
    ) async throws {
        let who = try Self.author(author)
        try await client.withTransaction { connection in
            let target = try await Self.lock(reference, planID: planID, on: connection)
            let known = Set(
                try await connection.query("SELECT initials FROM plan_person WHERE plan_id = \(planID)")
                    .map { try $0.decode("initials", as: String.self) }
            )
            for role in OwnerRole.allCases {
                for owner in owners[role] ?? [] {
                    if let initials = owner.initials, !known.contains(initials) { throw PlanStoreError.unknownPerson(initials: initials) }
                }
            }
            let keyActionID = target.subActionID == nil ? target.keyActionID : nil
            for role in OwnerRole.allCases {
                guard let new = owners[role] else { continue }
                let before = try await connection.query(
                    """
                    SELECT owner FROM action_owner
                    WHERE (key_action_id = \(keyActionID) OR sub_action_id = \(target.subActionID)) AND role = \(role.rawValue)
                    ORDER BY position
                    """
                ).map { try $0.decode("owner", as: String.self) }
                let after = new.map(\.text)
                guard before != after else { continue }
                // Owners are current state, not history: the history of who
                // owned what is the plan_change row written below.
                try await connection.execute(
                    """
                    DELETE FROM action_owner
                    WHERE (key_action_id = \(keyActionID) OR sub_action_id = \(target.subActionID)) AND role = \(role.rawValue)
                    """
                )
                try await Self.insertOwners(new, role, keyActionID: keyActionID, subActionID: target.subActionID, on: connection)
                try await Self.recordChange(
                    on: connection,
                    planID: planID,
                    by: who,
                    entity: target.entity,
                    key: reference.description,
                    field: role.rawValue,
                    before: before,
                    after: after
                )
            }
        }
    }

    /// Appends a dated, attributed progress note to a key action or
    /// sub-action. The model's rules apply (text, date and author present; not
    /// dated before the latest dated note), checked under a row lock so two
    /// officers adding notes at once cannot interleave out of order.
    public func appendNote(_ note: ProgressNote, to reference: ActionReference, planID: Int64) async throws {
        let who = try Self.author(note.author ?? "")
        try await client.withTransaction { connection in
            let target = try await Self.lock(reference, planID: planID, on: connection)
            let existing = try await connection.query(
                """
                SELECT note_date, author, text FROM progress_note
                WHERE key_action_id = \(target.subActionID == nil ? target.keyActionID : nil) OR sub_action_id = \(target.subActionID)
                ORDER BY id
                """
            ).map { row in
                ProgressNote(date: try row.decode("note_date"), author: try row.decode("author"), text: try row.decode("text"))
            }
            // The model owns the append rule; run the note through it.
            var history = SubAction(numeral: "i", text: "", progress: existing)
            do throws(ProgressNoteError) {
                try history.record(note)
            } catch {
                throw PlanStoreError.invalidNote(error)
            }
            try await Self.insertNote(
                note,
                keyActionID: target.subActionID == nil ? target.keyActionID : nil,
                subActionID: target.subActionID,
                on: connection
            )
            try await Self.recordChange(
                on: connection,
                planID: planID,
                by: who,
                entity: target.entity,
                key: reference.description,
                field: "progress",
                before: String?.none,
                after: note
            )
        }
    }

    // MARK: - Helpers

    struct LockedTarget {
        let keyActionID: Int64
        let subActionID: Int64?
        var entity: String { subActionID == nil ? "key_action" : "sub_action" }
    }

    /// Finds the action (and sub-action) and locks the key action's row for
    /// the rest of the transaction; unknown codes are the caller's error.
    static func lock(_ reference: ActionReference, planID: Int64, on connection: PostgresConnection) async throws -> LockedTarget {
        let rows = try await connection.query(
            """
            SELECT id FROM key_action WHERE plan_id = \(planID) AND code = \(reference.code) FOR UPDATE
            """
        )
        guard let row = rows.first else { throw PlanStoreError.unknownAction(code: reference.code) }
        let actionID: Int64 = try row.decode("id")
        guard let numeral = reference.numeral else { return LockedTarget(keyActionID: actionID, subActionID: nil) }
        let subRows = try await connection.query(
            """
            SELECT id FROM sub_action WHERE key_action_id = \(actionID) AND numeral = \(numeral)
            """
        )
        guard let sub = subRows.first else { throw PlanStoreError.unknownSubAction(code: reference.code, numeral: numeral) }
        return LockedTarget(keyActionID: actionID, subActionID: try sub.decode("id"))
    }

    static func author(_ text: String) throws -> String {
        let who = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !who.isEmpty else { throw PlanStoreError.blankAuthor }
        return who
    }
}
