import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Migration 0045: audit events without a foreign key to their user")
struct AuditUserKeyMigrationTests {
    /// The audit trail names users without a foreign key, so users must
    /// never go: DELETE and TRUNCATE are refused outright.
    @Test func usersCannotBeDeleted() async throws {
        try await TestCluster.withDatabase { database in
            let client = database.client
            for statement in ["DELETE FROM app_user", "TRUNCATE app_user CASCADE"] {
                let error = await #expect(throws: PostgresError.self, "\(statement)") {
                    try await client.execute(.init(unsafeSQL: statement))
                }
                #expect(error?.sqlState == "23001", "\(statement)")
            }
        }
    }

    /// An audit event's insert no longer checks and locks its user's row,
    /// which several of one person's requests at once would share.
    @Test func anAuditEventTakesNoLockOnItsUser() async throws {
        try await TestCluster.withDatabase { database in
            let keys: [String] = try await database.client.query(
                """
                SELECT conname FROM pg_constraint
                WHERE conrelid = 'audit_event'::regclass AND contype = 'f'
                """
            ).map { try $0.decode("conname") }
            #expect(keys.isEmpty)
        }
    }
}
