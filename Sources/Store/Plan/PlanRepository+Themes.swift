import Foundation
import Postgres
import StrandedCore

extension PlanRepository {
    /// The prevention themes each key action of a plan is linked to, by action code.
    public func actionThemes(planID: Int64) async throws -> [String: [PreventionThemeCode]] {
        var result: [String: [PreventionThemeCode]] = [:]
        for row in try await client.query(
            """
            SELECT a.code, t.theme_code
            FROM key_action_theme t JOIN key_action a ON a.id = t.key_action_id
            WHERE a.plan_id = \(planID)
            ORDER BY a.code, t.linked_at, t.theme_code
            """
        ) {
            result[try row.decode("code"), default: []].append(PreventionThemeCode(try row.decode("theme_code", as: String.self)))
        }
        return result
    }

    /// Links a theme to a key action (nothing happens when already linked);
    /// audited as a change of the action's themes.
    public func linkTheme(_ theme: PreventionThemeCode, to code: String, planID: Int64, by author: String) async throws {
        let who = try Self.author(author)
        try await client.withTransaction { connection in
            let target = try await Self.lock(ActionReference(code: code), planID: planID, on: connection)
            try await Self.link(theme, keyActionID: target.keyActionID, code: code, planID: planID, by: who, on: connection)
        }
    }

    /// Removes a theme from a key action (nothing happens when not linked); audited.
    public func unlinkTheme(_ theme: PreventionThemeCode, from code: String, planID: Int64, by author: String) async throws {
        let who = try Self.author(author)
        try await client.withTransaction { connection in
            let target = try await Self.lock(ActionReference(code: code), planID: planID, on: connection)
            let before = try await Self.themes(keyActionID: target.keyActionID, on: connection)
            guard before.contains(theme.rawValue) else { return }
            try await connection.execute(
                "DELETE FROM key_action_theme WHERE key_action_id = \(target.keyActionID) AND theme_code = \(theme.rawValue)"
            )
            try await Self.recordChange(
                on: connection,
                planID: planID,
                by: who,
                entity: "key_action",
                key: code,
                field: "themes",
                before: before,
                after: before.filter { $0 != theme.rawValue }
            )
        }
    }

    /// Adds a key action under `priority` to reduce `theme`, linked to it,
    /// with the next free code of the priority (after H3 comes H4); audited
    /// as created. Returns the new code.
    public func raiseAction(
        fromTheme theme: PreventionThemeCode,
        priority letter: String,
        text: String,
        planID: Int64,
        by author: String
    ) async throws -> String {
        let who = try Self.author(author)
        return try await client.withTransaction { connection in
            let priorities = try await connection.query(
                "SELECT id FROM priority WHERE plan_id = \(planID) AND letter = \(letter) FOR UPDATE"
            )
            guard let priority = priorities.first else { throw PlanStoreError.unknownPriority(letter: letter) }
            let priorityID: Int64 = try priority.decode("id")
            let next = try await connection.query(
                """
                SELECT COALESCE(max(substring(code FROM 2)::integer), 0) + 1 AS number,
                       COALESCE(max(position), -1) + 1 AS position
                FROM key_action WHERE priority_id = \(priorityID)
                """
            )[0]
            let code = letter + String(try next.decode("number", as: Int.self))
            let position: Int = try next.decode("position")
            let inserted = try await connection.query(
                """
                INSERT INTO key_action (priority_id, plan_id, code, position, text, status)
                VALUES (\(priorityID), \(planID), \(code), \(position), \(text), 'notStarted')
                RETURNING id
                """
            )[0]
            try await Self.recordChange(
                on: connection,
                planID: planID,
                by: who,
                entity: "key_action",
                key: code,
                field: "created",
                before: String?.none,
                after: ["text": text, "fromTheme": theme.rawValue]
            )
            try await Self.link(theme, keyActionID: try inserted.decode("id"), code: code, planID: planID, by: who, on: connection)
            return code
        }
    }

    static func themes(keyActionID: Int64, on connection: PostgresConnection) async throws -> [String] {
        try await connection.query(
            "SELECT theme_code FROM key_action_theme WHERE key_action_id = \(keyActionID) ORDER BY linked_at, theme_code"
        ).map { try $0.decode("theme_code") }
    }

    static func link(
        _ theme: PreventionThemeCode,
        keyActionID: Int64,
        code: String,
        planID: Int64,
        by who: String,
        on connection: PostgresConnection
    ) async throws {
        let before = try await themes(keyActionID: keyActionID, on: connection)
        guard !before.contains(theme.rawValue) else { return }
        try await connection.execute(
            """
            INSERT INTO key_action_theme (key_action_id, theme_code, linked_by)
            VALUES (\(keyActionID), \(theme.rawValue), \(who))
            """
        )
        try await recordChange(
            on: connection,
            planID: planID,
            by: who,
            entity: "key_action",
            key: code,
            field: "themes",
            before: before,
            after: before + [theme.rawValue]
        )
    }
}
