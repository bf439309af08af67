import Foundation
import Postgres

/// Who did something, as the audit trail records it (DESIGN.md §7): the
/// user and the roles they held, how they signed in, and from where.
public struct AuditActor: Sendable, Codable, Equatable {
    /// nil for the system itself (scheduler, inbox watcher, command line).
    public var userID: Int64?
    public var username: String
    /// The actor's roles, comma-separated ("ward,viewer").
    public var roles: String
    /// "session", "token", "trusted-header", "cli" or "system".
    public var authMethod: String?
    public var clientAddress: String?
    /// SHA-256 of the session id (never the id itself).
    public var sessionHash: String?

    public init(
        userID: Int64? = nil,
        username: String,
        roles: String = "",
        authMethod: String? = nil,
        clientAddress: String? = nil,
        sessionHash: String? = nil
    ) {
        self.userID = userID
        self.username = username
        self.roles = roles
        self.authMethod = authMethod
        self.clientAddress = clientAddress
        self.sessionHash = sessionHash
    }

    /// Background work with no user behind it.
    public static let system = AuditActor(username: "system", authMethod: "system")

    /// Someone at the server's command line (who ran it, as the OS says).
    public static var commandLine: AuditActor {
        let user = ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        return AuditActor(username: "cli:\(user)", authMethod: "cli")
    }

    /// The actor of the request being served, set by the Web layer's
    /// authentication middleware for the duration of the request, so that
    /// store functions deep in a call chain attribute their changes without
    /// every signature in between carrying it. Explicit `actor:` parameters
    /// default to this.
    @TaskLocal public static var current: AuditActor?

    /// `current`, or the system when nothing is signed in (background jobs).
    public static var currentOrSystem: AuditActor { current ?? .system }
}

/// One thing that happened, to record.
public struct AuditEntry: Sendable {
    /// e.g. "create", "update", "complete", "read", "export", "login", "revoke".
    public var action: String
    /// e.g. "level1_form", "key_action", "import_file", "app_user", "api_token".
    public var entityType: String
    public var entityID: String?
    /// The patient, when the entry concerns one.
    public var caseID: Int64?
    public var nhsNumber: String?
    /// Before and after, as JSON text (nil: nothing to show).
    public var before: String?
    public var after: String?

    public init(
        action: String,
        entityType: String,
        entityID: String? = nil,
        caseID: Int64? = nil,
        nhsNumber: String? = nil,
        before: (any Encodable)? = nil,
        after: (any Encodable)? = nil
    ) {
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.caseID = caseID
        self.nhsNumber = nhsNumber
        self.before = before.flatMap(Self.json)
        self.after = after.flatMap(Self.json)
    }

    static func json(_ value: any Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A recorded entry, as searches return it.
public struct AuditRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let occurredAt: Date
    public let userID: Int64?
    public let username: String
    public let roles: String
    public let authMethod: String?
    public let action: String
    public let entityType: String
    public let entityID: String?
    public let caseID: Int64?
    public let nhsNumber: String?
    public let clientAddress: String?
    public let sessionHash: String?
    public let before: String?
    public let after: String?
}

/// What to search the trail for; nil fields do not filter.
public struct AuditQuery: Sendable, Equatable {
    public var username: String?
    public var action: String?
    public var entityType: String?
    public var entityID: String?
    public var caseID: Int64?
    public var nhsNumber: String?
    public var from: Date?
    /// Exclusive.
    public var to: Date?
    public var limit: Int
    public var offset: Int

    public init(
        username: String? = nil,
        action: String? = nil,
        entityType: String? = nil,
        entityID: String? = nil,
        caseID: Int64? = nil,
        nhsNumber: String? = nil,
        from: Date? = nil,
        to: Date? = nil,
        limit: Int = 100,
        offset: Int = 0
    ) {
        self.username = username
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.caseID = caseID
        self.nhsNumber = nhsNumber
        self.from = from
        self.to = to
        self.limit = limit
        self.offset = offset
    }
}

/// The append-only audit trail (`audit_event`). PostgreSQL refuses UPDATE,
/// DELETE and TRUNCATE on it (triggers for every role, and no grant to
/// `stranded_app`, the role the service connects as, which cannot switch the
/// triggers off either: ``ApplicationRole``), so nothing here can rewrite history.
///
/// To record a change, call ``record(_:by:on:)`` with the connection of the
/// transaction making the change: the entry commits or rolls back with it.
public struct AuditTrail: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Records `entry` inside the caller's transaction.
    public static func record(_ entry: AuditEntry, by actor: AuditActor = .currentOrSystem, on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO audit_event (user_id, username, roles, auth_method, action, entity_type, entity_id, case_id, nhs_number,
                                     client_address, session_hash, before, after)
            VALUES (\(actor.userID), \(actor.username), \(actor.roles), \(actor.authMethod), \(entry.action), \(entry.entityType),
                    \(entry.entityID), \(entry.caseID), \(entry.nhsNumber), \(actor.clientAddress), \(actor.sessionHash),
                    \(entry.before)::jsonb, \(entry.after)::jsonb)
            """
        )
    }

    /// The INSERT of `entry` for each row of `source`, a query named in the
    /// caller's statement (`WITH found AS (…), audited AS (<this>) SELECT …`):
    /// a read is recorded by the statement that reads, and only when it found
    /// the record, so the pages people wait on make one round trip, not two.
    /// `caseColumn` and `nhsNumberColumn` take the patient from `source`
    /// instead of `entry`.
    public static func insert(
        _ entry: AuditEntry,
        by actor: AuditActor = .currentOrSystem,
        forEachRowOf source: String,
        caseColumn: String? = nil,
        nhsNumberColumn: String? = nil
    ) -> PostgresQuery {
        let caseID: PostgresQuery = caseColumn.map { PostgresQuery(unsafeSQL: "\(source).\($0)") } ?? "\(entry.caseID)::bigint"
        let nhsNumber: PostgresQuery = nhsNumberColumn.map { PostgresQuery(unsafeSQL: "\(source).\($0)") } ?? "\(entry.nhsNumber)::text"
        return """
            INSERT INTO audit_event (user_id, username, roles, auth_method, action, entity_type, entity_id, case_id, nhs_number,
                                     client_address, session_hash, before, after)
            SELECT \(actor.userID)::bigint, \(actor.username)::text, \(actor.roles)::text, \(actor.authMethod)::text, \(entry.action)::text,
                   \(entry.entityType)::text, \(entry.entityID)::text, \(fragment: caseID), \(fragment: nhsNumber),
                   \(actor.clientAddress)::text, \(actor.sessionHash)::text, \(entry.before)::jsonb, \(entry.after)::jsonb
            FROM \(fragment: PostgresQuery(unsafeSQL: source))
            """
    }

    /// Records several entries by one actor inside the caller's transaction,
    /// in one statement (a file of corrections is thousands of entries).
    public static func record(_ entries: [AuditEntry], by actor: AuditActor = .currentOrSystem, on connection: PostgresConnection) async throws {
        guard !entries.isEmpty else { return }
        // Arrays cannot carry NULL here: "" (and case 0) stand for none.
        try await connection.execute(
            """
            INSERT INTO audit_event (user_id, username, roles, auth_method, action, entity_type, entity_id, case_id, nhs_number,
                                     client_address, session_hash, before, after)
            SELECT \(actor.userID), \(actor.username), \(actor.roles), \(actor.authMethod), e.action, e.entity_type,
                   NULLIF(e.entity_id, ''), NULLIF(e.case_id, 0), NULLIF(e.nhs_number, ''), \(actor.clientAddress), \(actor.sessionHash),
                   NULLIF(e.before, '')::jsonb, NULLIF(e.after, '')::jsonb
            FROM unnest(\(PostgresArray(entries.map(\.action)))::text[], \(PostgresArray(entries.map(\.entityType)))::text[],
                        \(PostgresArray(entries.map { $0.entityID ?? "" }))::text[], \(PostgresArray(entries.map { $0.caseID ?? 0 }))::bigint[],
                        \(PostgresArray(entries.map { $0.nhsNumber ?? "" }))::text[], \(PostgresArray(entries.map { $0.before ?? "" }))::text[],
                        \(PostgresArray(entries.map { $0.after ?? "" }))::text[])
                 WITH ORDINALITY AS e(action, entity_type, entity_id, case_id, nhs_number, before, after, n)
            ORDER BY e.n
            """
        )
    }

    /// Records `entry` on its own (reads, exports, logins: nothing else to commit with).
    public func record(_ entry: AuditEntry, by actor: AuditActor = .currentOrSystem) async throws {
        try await database.client.withConnection { try await Self.record(entry, by: actor, on: $0) }
    }

    /// Entries matching `query`, newest first, one page.
    public func search(_ query: AuditQuery) async throws -> [AuditRecord] {
        let from = query.from
        let to = query.to
        return try await database.client.query(
            """
            SELECT id, occurred_at, user_id, username, roles, auth_method, action, entity_type, entity_id, case_id, nhs_number,
                   client_address, session_hash, before::text AS before, after::text AS after
            FROM audit_event
            WHERE (\(query.username)::text IS NULL OR username = \(query.username))
              AND (\(query.action)::text IS NULL OR action = \(query.action))
              AND (\(query.entityType)::text IS NULL OR entity_type = \(query.entityType))
              AND (\(query.entityID)::text IS NULL OR entity_id = \(query.entityID))
              AND (\(query.caseID)::bigint IS NULL OR case_id = \(query.caseID))
              AND (\(query.nhsNumber)::text IS NULL OR nhs_number = \(query.nhsNumber))
              AND (\(from)::timestamptz IS NULL OR occurred_at >= \(from))
              AND (\(to)::timestamptz IS NULL OR occurred_at < \(to))
            ORDER BY id DESC
            LIMIT \(max(1, min(query.limit, 10_000))) OFFSET \(max(0, query.offset))
            """
        ).map { row in
            AuditRecord(
                id: try row.decode("id"),
                occurredAt: try row.decode("occurred_at"),
                userID: try row.decode("user_id"),
                username: try row.decode("username"),
                roles: try row.decode("roles"),
                authMethod: try row.decode("auth_method"),
                action: try row.decode("action"),
                entityType: try row.decode("entity_type"),
                entityID: try row.decode("entity_id"),
                caseID: try row.decode("case_id"),
                nhsNumber: try row.decode("nhs_number"),
                clientAddress: try row.decode("client_address"),
                sessionHash: try row.decode("session_hash"),
                before: try row.decode("before"),
                after: try row.decode("after")
            )
        }
    }
}
