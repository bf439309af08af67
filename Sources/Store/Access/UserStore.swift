import Foundation
import Postgres
import StrandedCore

/// Users and their roles (`app_user`, `user_role`). Every change is one
/// transaction with its audit entry.
public struct UserStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let userColumns = """
        SELECT u.id, u.username, u.display_name, u.disabled, u.password_hash IS NOT NULL AS has_password, u.created_at,
               COALESCE((SELECT jsonb_agg(jsonb_build_object('role', r.role, 'scope', to_jsonb(r.scope)) ORDER BY r.role)
                         FROM user_role r WHERE r.user_id = u.id), '[]'::jsonb) AS roles
        FROM app_user u
        """

    static func user(_ row: PostgresRow) throws -> UserRecord {
        UserRecord(
            id: try row.decode("id"),
            username: try row.decode("username"),
            displayName: try row.decode("display_name"),
            disabled: try row.decode("disabled"),
            hasPassword: try row.decode("has_password"),
            createdAt: try row.decode("created_at"),
            roles: try row.decode("roles", as: PostgresJSON<[RoleGrant]>.self).value
        )
    }

    public static func normalised(_ username: String) throws(AccessError) -> String {
        let name = username.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._@-")
        guard (2...64).contains(name.count), name.allSatisfy(allowed.contains), let first = name.first, first.isLetter || first.isNumber else {
            throw .invalidUsername(username)
        }
        return name
    }

    public func users() async throws -> [UserRecord] {
        try await database.client.query("\(fragment: PostgresQuery(unsafeSQL: Self.userColumns)) ORDER BY u.username").map(Self.user)
    }

    public func user(id: Int64) async throws -> UserRecord? {
        try await database.client.query("\(fragment: PostgresQuery(unsafeSQL: Self.userColumns)) WHERE u.id = \(id)").first.map(Self.user)
    }

    public func user(username: String) async throws -> UserRecord? {
        guard let name = try? Self.normalised(username) else { return nil }
        return try await database.client.query("\(fragment: PostgresQuery(unsafeSQL: Self.userColumns)) WHERE u.username = \(name)")
            .first.map(Self.user)
    }

    /// The user and password hash for a login (nil: no such user).
    public func credentials(username: String) async throws -> (user: UserRecord, passwordHash: String?)? {
        guard let name = try? Self.normalised(username) else { return nil }
        let rows = try await database.client.query(
            """
            \(fragment: PostgresQuery(unsafeSQL: Self.userColumns.replacingOccurrences(of: "u.created_at,", with: "u.created_at, u.password_hash,")))
            WHERE u.username = \(name)
            """
        )
        guard let row = rows.first else { return nil }
        return (try Self.user(row), try row.decode("password_hash"))
    }

    /// Adds a user. `passwordHash` is a bcrypt hash made by the caller (nil: no password login).
    @discardableResult
    public func create(
        username: String,
        displayName: String?,
        passwordHash: String?,
        roles: [RoleGrant],
        by actor: AuditActor = .currentOrSystem
    ) async throws -> UserRecord {
        let name = try Self.normalised(username)
        guard !roles.isEmpty else { throw AccessError.noRoles }
        if roles.contains(where: { $0.role == .feed }) { throw AccessError.feedRoleIsForTokens }
        let display = displayName?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? name
        if let problem = FreeTextField("Display name", .name).problem(display) { throw AccessError.unusableText(problem) }
        return try await database.client.withTransaction { connection in
            let id: Int64
            do {
                id = try await connection.query(
                    """
                    INSERT INTO app_user (username, display_name, password_hash) VALUES (\(name), \(display), \(passwordHash)) RETURNING id
                    """
                )[0].decode("id")
            } catch let error as PostgresError where error.kind == .uniqueViolation {
                throw AccessError.usernameTaken(name)
            }
            try await Self.writeRoles(roles, userID: id, on: connection)
            try await AuditTrail.record(
                AuditEntry(
                    action: "create",
                    entityType: "app_user",
                    entityID: name,
                    after: ["displayName": display, "roles": roles.summary]
                ),
                by: actor,
                on: connection
            )
            return try Self.user(try await connection.query("\(fragment: PostgresQuery(unsafeSQL: Self.userColumns)) WHERE u.id = \(id)")[0])
        }
    }

    static func writeRoles(_ roles: [RoleGrant], userID: Int64, on connection: PostgresConnection) async throws {
        try await connection.execute("DELETE FROM user_role WHERE user_id = \(userID)")
        for grant in roles {
            try await connection.execute(
                """
                INSERT INTO user_role (user_id, role, scope) VALUES (\(userID), \(grant.role.rawValue), \(PostgresArray(grant.scope))::text[])
                ON CONFLICT (user_id, role) DO UPDATE SET scope = user_role.scope || EXCLUDED.scope
                """
            )
        }
    }

    /// Replaces a user's roles.
    public func setRoles(username: String, roles: [RoleGrant], by actor: AuditActor = .currentOrSystem) async throws {
        guard !roles.isEmpty else { throw AccessError.noRoles }
        if roles.contains(where: { $0.role == .feed }) { throw AccessError.feedRoleIsForTokens }
        try await change(username, action: "roles", by: actor) { user, connection in
            try await Self.writeRoles(roles, userID: user.id, on: connection)
            return (["roles": .string(user.roles.summary)], ["roles": .string(roles.summary)])
        }
    }

    /// Sets a new password hash; the user's sessions end.
    public func setPassword(username: String, passwordHash: String, by actor: AuditActor = .currentOrSystem) async throws {
        try await change(username, action: "password", by: actor) { user, connection in
            try await connection.execute("UPDATE app_user SET password_hash = \(passwordHash) WHERE id = \(user.id)")
            try await connection.execute("DELETE FROM user_session WHERE user_id = \(user.id)")
            // The hash itself is never recorded.
            return (nil, ["password": "changed"])
        }
    }

    /// Disables (or re-enables) a user; disabling ends their sessions at once.
    public func setDisabled(username: String, _ disabled: Bool, by actor: AuditActor = .currentOrSystem) async throws {
        try await change(username, action: disabled ? "disable" : "enable", by: actor) { user, connection in
            try await connection.execute("UPDATE app_user SET disabled = \(disabled) WHERE id = \(user.id)")
            if disabled { try await connection.execute("DELETE FROM user_session WHERE user_id = \(user.id)") }
            return (["disabled": .bool(user.disabled)], ["disabled": .bool(disabled)])
        }
    }

    private func change(
        _ username: String,
        action: String,
        by actor: AuditActor,
        _ body: (UserRecord, PostgresConnection) async throws -> (before: [String: AnyCodableValue]?, after: [String: AnyCodableValue]?)
    ) async throws {
        let name = try Self.normalised(username)
        try await database.client.withTransaction { connection in
            let rows = try await connection.query(
                "\(fragment: PostgresQuery(unsafeSQL: Self.userColumns)) WHERE u.username = \(name) FOR UPDATE OF u"
            )
            guard let user = try rows.first.map(Self.user) else { throw AccessError.unknownUser(name) }
            let (before, after) = try await body(user, connection)
            try await AuditTrail.record(
                AuditEntry(action: action, entityType: "app_user", entityID: name, before: before, after: after),
                by: actor,
                on: connection
            )
        }
    }

    /// Whether any administrator can sign in (the first one is made at the command line).
    public func hasAdministrator() async throws -> Bool {
        try await database.client.query(
            """
            SELECT EXISTS (SELECT 1 FROM user_role r JOIN app_user u ON u.id = r.user_id
                           WHERE r.role = 'administrator' AND NOT u.disabled) AS present
            """
        )[0].decode("present")
    }
}

/// A string or a bool, for small before/after audit documents.
public enum AnyCodableValue: Codable, Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) { self = .bool(flag) } else { self = .string(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(text): try container.encode(text)
        case let .bool(flag): try container.encode(flag)
        }
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
