import Foundation
import Postgres
import StrandedCore

/// The plan tracker's SQL: import a plan file, read it back, edit it, and
/// keep the audit trail (`plan_change`) of every edit.
///
/// Every public operation is one transaction, so an import or an edit is
/// either whole or absent. The RAG rating is not read or written here: it is
/// computed from what is loaded (`KeyAction.rag(on:)`).
public struct PlanRepository: Sendable {
    let client: PostgresClient

    public init(database: Database) {
        self.client = database.client
    }

    // MARK: - Which plan

    /// Every plan in the tracker, newest import first.
    public func plans() async throws -> [PlanSummary] {
        try await client.query(
            """
            SELECT id, title, status, imported_at, imported_by FROM plan ORDER BY id DESC
            """
        ).map { row in
            PlanSummary(
                id: try row.decode("id"),
                title: try row.decode("title"),
                status: PlanStatus(rawValue: try row.decode("status")) ?? .active,
                importedAt: try row.decode("imported_at"),
                importedBy: try row.decode("imported_by")
            )
        }
    }

    /// The plan the pages and the API show: the one imported last.
    public func currentPlanID() async throws -> Int64? {
        let rows = try await client.query("SELECT max(id) AS id FROM plan")
        return try rows.first?.decode("id", as: Int64?.self)
    }

    public func planID(title: String) async throws -> Int64? {
        let rows = try await client.query("SELECT id FROM plan WHERE title = \(title)")
        return try rows.first?.decode("id", as: Int64.self)
    }

    // MARK: - Audit trail

    /// The audit trail of a plan, oldest first; narrowed to one entity when given.
    public func changes(planID: Int64, entityKey: String? = nil) async throws -> [PlanChange] {
        try await client.query(
            """
            SELECT id, changed_at, changed_by, entity, entity_key, field, before::text AS before, after::text AS after
            FROM plan_change
            WHERE plan_id = \(planID) AND (\(entityKey)::text IS NULL OR entity_key = \(entityKey))
            ORDER BY id
            """
        ).map { row in
            PlanChange(
                id: try row.decode("id"),
                changedAt: try row.decode("changed_at"),
                changedBy: try row.decode("changed_by"),
                entity: try row.decode("entity"),
                entityKey: try row.decode("entity_key"),
                field: try row.decode("field"),
                before: try row.decode("before"),
                after: try row.decode("after")
            )
        }
    }

    /// Writes one audit row in the caller's transaction.
    static func recordChange<Before: Codable & Sendable, After: Codable & Sendable>(
        on connection: PostgresConnection,
        planID: Int64,
        by author: String,
        entity: String,
        key: String,
        field: String,
        before: Before?,
        after: After?
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO plan_change (plan_id, changed_by, entity, entity_key, field, before, after)
            VALUES (\(planID), \(author), \(entity), \(key), \(field),
                    \(before.map(PostgresJSON.init))::jsonb, \(after.map(PostgresJSON.init))::jsonb)
            """
        )
        // The same change in the product-wide audit trail, attributed to the signed-in user.
        try await AuditTrail.record(
            AuditEntry(
                action: "update",
                entityType: entity,
                entityID: key,
                before: before.map { [field: $0] },
                after: after.map { [field: $0] }
            ),
            on: connection
        )
    }
}
