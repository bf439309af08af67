import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// A remembered session is checked against its user's access revision, so
/// every change to a user or their roles must move it, however it is made.
@Suite("Migration 0047: a user's access revision moves with every change")
struct UserAccessRevisionMigrationTests {
    @Test func everyChangeToAUserOrTheirRolesMovesTheirRevision() async throws {
        try await TestCluster.withDatabase { database in
            let users = UserStore(database: database)
            let user = try await users.create(
                username: "sister.jones", displayName: "Sister Jones", passwordHash: nil, roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
            let other = try await users.create(username: "sam.patel", displayName: "Sam Patel", passwordHash: nil, roles: [RoleGrant(.data)])
            func revision(_ id: Int64) async throws -> Int64 {
                try await database.client.query("SELECT access_revision FROM app_user WHERE id = \(id)")[0].decode("access_revision")
            }
            let changes: [String] = [
                "UPDATE app_user SET display_name = 'Sister J Jones' WHERE id = \(user.id)",
                "UPDATE app_user SET password_hash = 'x' WHERE id = \(user.id)",
                "UPDATE app_user SET disabled = true WHERE id = \(user.id)",
                "UPDATE user_role SET scope = '{ACU1/W2}' WHERE user_id = \(user.id)",
                "INSERT INTO user_role (user_id, role) VALUES (\(user.id), 'viewer')",
                "DELETE FROM user_role WHERE user_id = \(user.id) AND role = 'viewer'",
                "TRUNCATE user_role",
            ]
            for change in changes {
                let before = try await revision(user.id)
                try await database.client.execute(PostgresQuery(unsafeSQL: change))
                #expect(try await revision(user.id) > before, "\(change)")
            }
            // A change to one user leaves another's sessions standing.
            let othersBefore = try await revision(other.id)
            try await database.client.execute("UPDATE app_user SET display_name = 'Sister Jones' WHERE id = \(user.id)")
            #expect(try await revision(other.id) == othersBefore)
        }
    }
}
