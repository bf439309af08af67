import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Users, sessions and API tokens in the database")
struct AccessStoreTests {
    @Test func rolesParseWithScopesAndRefuseNonsense() throws {
        #expect(try RoleGrant(parsing: "ward:acu1/w1, ACU1/W2") == RoleGrant(.ward, scope: ["ACU1/W1", "ACU1/W2"]))
        #expect(try RoleGrant(parsing: "level2") == RoleGrant(.level2))
        #expect(try RoleGrant(parsing: "plan-editor") == RoleGrant(.planEditor))
        #expect(throws: AccessError.wardRoleNeedsScope) { try RoleGrant(parsing: "ward") }
        #expect(throws: AccessError.scopeNotAllowed(.viewer)) { try RoleGrant(parsing: "viewer:X") }
        #expect(throws: AccessError.unknownRole("nurse")) { try RoleGrant(parsing: "nurse") }
    }

    /// A NUL or other control character cannot reach the database (PostgreSQL
    /// refuses NUL in text, which was an empty 500): each is refused naming the field.
    @Test func namesAndScopesWithControlCharactersAreRefusedNamingTheField() async throws {
        #expect(throws: AccessError.self) { try RoleGrant(parsing: "ward:ACU1/W\u{0}1") }
        #expect(throws: AccessError.self) { try RoleGrant(parsing: "level2:R9\u{7}A") }
        try await TestCluster.withDatabase { database in
            do {
                _ = try await UserStore(database: database).create(
                    username: "sister.jones",
                    displayName: "Sister\u{0} Jones",
                    passwordHash: nil,
                    roles: [RoleGrant(.viewer)]
                )
                Issue.record("a display name with NUL was kept")
            } catch let error as AccessError {
                #expect(error.description.contains("Display name"))
            }
            do {
                _ = try await TokenStore(database: database).create(name: "nightly\u{0}", roles: [RoleGrant(.data)])
                Issue.record("a token name with NUL was kept")
            } catch let error as AccessError {
                #expect(error.description.contains("Token name"))
            }
            let long = String(repeating: "x", count: 201)
            await #expect(throws: AccessError.self) {
                try await UserStore(database: database).create(
                    username: "long.name",
                    displayName: long,
                    passwordHash: nil,
                    roles: [RoleGrant(.viewer)]
                )
            }
        }
    }

    @Test func aTokenIsShownOnceStoredHashedRecordsUseAndCanBeRevoked() async throws {
        try await TestCluster.withDatabase { database in
            let tokens = TokenStore(database: database)
            let (token, record) = try await tokens.create(name: "nightly-upload", roles: [RoleGrant(.data)])
            #expect(token.hasPrefix("strd_") && token.count > 40)
            // Only the hash and a short prefix are stored.
            let stored = try await database.client.query("SELECT token_hash, token_prefix FROM api_token")[0]
            #expect(try stored.decode("token_hash", as: String.self) != token)
            #expect(try stored.decode("token_hash", as: String.self).count == 64)
            #expect(token.hasPrefix(try stored.decode("token_prefix", as: String.self)))
            #expect(try await tokens.tokens().allSatisfy { !String(describing: $0).contains(token) })
            #expect(record.lastUsedAt == nil)

            let resolved = try await tokens.resolve(token: token)
            #expect(resolved?.name == "nightly-upload" && resolved?.roles == [RoleGrant(.data)])
            #expect(try await tokens.tokens()[0].lastUsedAt != nil)
            #expect(try await tokens.resolve(token: token + "x") == nil)

            try await tokens.revoke(name: "nightly-upload")
            #expect(try await tokens.resolve(token: token) == nil)
            #expect(try await tokens.tokens()[0].revokedAt != nil)
            let audited = try await AuditTrail(database: database).search(AuditQuery(entityType: "api_token")).map(\.action)
            #expect(audited == ["revoke", "create"])
            await #expect(throws: AccessError.tokenNameTaken("nightly-upload")) {
                try await tokens.create(name: "nightly-upload", roles: [RoleGrant(.data)])
            }
        }
    }

    @Test func workOnARememberedSessionHappensOnlyWhileTheSessionIsUnchanged() async throws {
        try await TestCluster.withDatabase { database in
            let users = UserStore(database: database)
            let user = try await users.create(username: "sister.jones", displayName: "Sister Jones", passwordHash: nil, roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
            let sessions = SessionStore(database: database)
            let trail = AuditTrail(database: database)
            func reads() async throws -> Int { try await trail.search(AuditQuery(entityType: "ward")).count }
            func readAWard(on session: SessionRecord, id: String) async throws -> String {
                try await sessions.whileUnchanged(session, id: id, idleTimeout: .seconds(1800)) {
                    try await trail.record(AuditEntry(action: "read", entityType: "ward", entityID: "1"))
                    return "page"
                }
            }
            let (id, _) = try await sessions.create(userID: user.id, clientAddress: nil, absoluteLifetime: .seconds(3600))
            let session = try #require(try await sessions.resolve(id: id, idleTimeout: .seconds(1800)))
            #expect(try await readAWard(on: session, id: id) == "page")
            #expect(try await reads() == 1)
            // Changed roles: the remembered session no longer stands, and nothing is read or recorded on it.
            try await users.setRoles(username: "sister.jones", roles: [RoleGrant(.ward, scope: ["ACU1/W2"])])
            await #expect(throws: SessionChanged.self) { try await readAWard(on: session, id: id) }
            #expect(try await reads() == 1)
            let fresh = try #require(try await sessions.resolve(id: id, idleTimeout: .seconds(1800)))
            #expect(fresh.user.roles == [RoleGrant(.ward, scope: ["ACU1/W2"])])
            #expect(try await readAWard(on: fresh, id: id) == "page")
            // Disabled, signed out (on any server) or idle: refused, even with no statement to carry the check.
            try await users.setDisabled(username: "sister.jones", true)
            await #expect(throws: SessionChanged.self) { try await readAWard(on: fresh, id: id) }
            try await users.setDisabled(username: "sister.jones", false)
            let (next, _) = try await sessions.create(userID: user.id, clientAddress: nil, absoluteLifetime: .seconds(3600))
            let again = try #require(try await sessions.resolve(id: next, idleTimeout: .seconds(1800)))
            await #expect(throws: SessionChanged.self) {
                try await sessions.whileUnchanged(again, id: next, idleTimeout: .seconds(0)) { "idle too long" }
            }
            try await sessions.delete(idHash: again.idHash)
            await #expect(throws: SessionChanged.self) {
                try await sessions.whileUnchanged(again, id: next, idleTimeout: .seconds(1800)) { "signed out" }
            }
            #expect(try await reads() == 2)
        }
    }

    @Test func sessionsStoreOnlyAHashExpireAndEndAtLogoutOrDisable() async throws {
        try await TestCluster.withDatabase { database in
            let user = try await UserStore(database: database).create(
                username: "Sister.Jones",
                displayName: "Sister Jones",
                passwordHash: nil,
                roles: [RoleGrant(.ward, scope: ["ACU1/W1"])]
            )
            #expect(user.username == "sister.jones")
            let sessions = SessionStore(database: database)
            let (id, record) = try await sessions.create(userID: user.id, clientAddress: "10.0.0.5", absoluteLifetime: .seconds(3600))
            #expect(try await database.client.query("SELECT count(*) AS n FROM user_session WHERE id_hash = \(id)")[0].decode("n", as: Int.self) == 0)
            #expect(try await sessions.resolve(id: id, idleTimeout: .seconds(1800))?.user.username == "sister.jones")
            // Idle too long.
            #expect(try await sessions.resolve(id: id, idleTimeout: .seconds(0)) == nil)
            try await sessions.delete(idHash: record.idHash)
            #expect(try await sessions.resolve(id: id, idleTimeout: .seconds(1800)) == nil)

            let (second, _) = try await sessions.create(userID: user.id, clientAddress: nil, absoluteLifetime: .seconds(3600))
            try await UserStore(database: database).setDisabled(username: "sister.jones", true)
            #expect(try await sessions.resolve(id: second, idleTimeout: .seconds(1800)) == nil)
            // Past its absolute expiry.
            let (third, _) = try await sessions.create(userID: user.id, clientAddress: nil, absoluteLifetime: .seconds(0))
            try await UserStore(database: database).setDisabled(username: "sister.jones", false)
            #expect(try await sessions.resolve(id: third, idleTimeout: .seconds(1800)) == nil)
            let actions = try await AuditTrail(database: database).search(AuditQuery(entityType: "app_user")).map(\.action)
            #expect(actions == ["enable", "disable", "create"])
        }
    }

    @Test func userNamesAreCheckedAndUnique() async throws {
        try await TestCluster.withDatabase { database in
            let users = UserStore(database: database)
            try await users.create(username: "admin", displayName: nil, passwordHash: nil, roles: [RoleGrant(.administrator)])
            #expect(try await users.hasAdministrator())
            await #expect(throws: AccessError.usernameTaken("admin")) {
                try await users.create(username: "ADMIN", displayName: nil, passwordHash: nil, roles: [RoleGrant(.viewer)])
            }
            await #expect(throws: AccessError.invalidUsername("a b")) {
                try await users.create(username: "a b", displayName: nil, passwordHash: nil, roles: [RoleGrant(.viewer)])
            }
            await #expect(throws: AccessError.noRoles) {
                try await users.create(username: "nobody", displayName: nil, passwordHash: nil, roles: [])
            }
            try await users.setRoles(username: "admin", roles: [RoleGrant(.viewer), RoleGrant(.level2, scope: ["R9A"])])
            #expect(try await users.user(username: "admin")?.roles == [RoleGrant(.level2, scope: ["R9A"]), RoleGrant(.viewer)])
        }
    }
}
