import Foundation
import Postgres
import StrandedCore

/// API bearer tokens for machines (`api_token`): shown once at creation,
/// stored as a SHA-256 hash, scoped to roles, revocable, last use recorded.
public struct TokenStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A token that authenticated a request.
    public struct Resolved: Sendable, Equatable {
        public let id: Int64
        public let name: String
        public let roles: [RoleGrant]
    }

    /// Creates a token; the returned text is the only time it exists outside the caller.
    public func create(
        name: String,
        roles: [RoleGrant],
        createdBy: Int64? = nil,
        by actor: AuditActor = .currentOrSystem
    ) async throws -> (token: String, record: TokenRecord) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw AccessError.unknownToken(name) }
        if let problem = FreeTextField("Token name", .name).problem(trimmed) { throw AccessError.unusableText(problem) }
        guard !roles.isEmpty else { throw AccessError.noRoles }
        let token = "strd_" + Secret.generate()
        let prefix = String(token.prefix(12))
        return try await database.client.withTransaction { connection in
            let id: Int64
            do {
                id = try await connection.query(
                    """
                    INSERT INTO api_token (name, token_hash, token_prefix, created_by)
                    VALUES (\(trimmed), encode(sha256(convert_to(\(token), 'UTF8')), 'hex'), \(prefix), \(createdBy))
                    RETURNING id
                    """
                )[0].decode("id")
            } catch let error as PostgresError where error.kind == .uniqueViolation {
                throw AccessError.tokenNameTaken(trimmed)
            }
            for grant in roles {
                try await connection.execute(
                    """
                    INSERT INTO api_token_role (token_id, role, scope) VALUES (\(id), \(grant.role.rawValue), \(PostgresArray(grant.scope))::text[])
                    ON CONFLICT (token_id, role) DO UPDATE SET scope = api_token_role.scope || EXCLUDED.scope
                    """
                )
            }
            try await AuditTrail.record(
                AuditEntry(
                    action: "create",
                    entityType: "api_token",
                    entityID: trimmed,
                    after: ["prefix": prefix, "roles": roles.summary]
                ),
                by: actor,
                on: connection
            )
            let record = try await Self.tokens(on: connection, id: id)[0]
            return (token, record)
        }
    }

    static func tokens(on connection: PostgresConnection, id: Int64? = nil) async throws -> [TokenRecord] {
        try await connection.query(
            """
            SELECT t.id, t.name, t.token_prefix, t.created_at, t.last_used_at, t.revoked_at,
                   COALESCE((SELECT jsonb_agg(jsonb_build_object('role', r.role, 'scope', to_jsonb(r.scope)) ORDER BY r.role)
                             FROM api_token_role r WHERE r.token_id = t.id), '[]'::jsonb) AS roles
            FROM api_token t
            WHERE \(id)::bigint IS NULL OR t.id = \(id)
            ORDER BY t.revoked_at IS NOT NULL, t.name
            """
        ).map { row in
            TokenRecord(
                id: try row.decode("id"),
                name: try row.decode("name"),
                prefix: try row.decode("token_prefix"),
                createdAt: try row.decode("created_at"),
                lastUsedAt: try row.decode("last_used_at"),
                revokedAt: try row.decode("revoked_at"),
                roles: try row.decode("roles", as: PostgresJSON<[RoleGrant]>.self).value
            )
        }
    }

    /// Every token, active first.
    public func tokens() async throws -> [TokenRecord] {
        try await database.client.withConnection { try await Self.tokens(on: $0) }
    }

    /// The active token with this text, recording its use; nil when unknown or revoked.
    public func resolve(token: String) async throws -> Resolved? {
        let rows = try await database.client.query(
            """
            WITH t AS (
                UPDATE api_token SET last_used_at = now()
                WHERE token_hash = encode(sha256(convert_to(\(token), 'UTF8')), 'hex') AND revoked_at IS NULL
                RETURNING id, name
            )
            SELECT t.id, t.name,
                   COALESCE((SELECT jsonb_agg(jsonb_build_object('role', r.role, 'scope', to_jsonb(r.scope)) ORDER BY r.role)
                             FROM api_token_role r WHERE r.token_id = t.id), '[]'::jsonb) AS roles
            FROM t
            """
        )
        guard let row = rows.first else { return nil }
        return Resolved(
            id: try row.decode("id"),
            name: try row.decode("name"),
            roles: try row.decode("roles", as: PostgresJSON<[RoleGrant]>.self).value
        )
    }

    /// Revokes a token by name; it stops working at once.
    public func revoke(name: String, by actor: AuditActor = .currentOrSystem) async throws {
        try await database.client.withTransaction { connection in
            let rows = try await connection.query(
                """
                UPDATE api_token SET revoked_at = now() WHERE name = \(name) AND revoked_at IS NULL RETURNING token_prefix
                """
            )
            guard let row = rows.first else { throw AccessError.unknownToken(name) }
            let prefix: String = try row.decode("token_prefix")
            try await AuditTrail.record(
                AuditEntry(
                    action: "revoke",
                    entityType: "api_token",
                    entityID: name,
                    before: ["prefix": prefix, "state": "active"],
                    after: ["state": "revoked"]
                ),
                by: actor,
                on: connection
            )
        }
    }
}
