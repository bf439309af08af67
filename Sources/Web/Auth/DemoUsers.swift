import Foundation
import Store

/// Demo mode (`serve --demo`): one user per role, each with a random
/// password the daemon prints at start, made only when missing.
public enum DemoUsers {
    public struct Created: Sendable {
        public let username: String
        public let role: String
        public let password: String
    }

    /// `wardScope`: what the demo ward user may see ("SITE" or "SITE/WARD" codes).
    public static func createIfMissing(database: Database, wardScope: [String]) async throws -> [Created] {
        let users = UserStore(database: database)
        var created: [Created] = []
        // The feed role is a system's token, not a person's sign-in.
        for role in Role.allCases where role != .feed {
            let grant = role == .ward ? RoleGrant(.ward, scope: wardScope.isEmpty ? ["DEMO"] : wardScope) : RoleGrant(role)
            let username = "demo-\(role.rawValue)"
            guard try await users.user(username: username) == nil else { continue }
            let password = Secret.generate(bytes: 12)
            _ = try await users.create(
                username: username,
                displayName: "Demo \(role.rawValue)",
                passwordHash: try await Passwords.hash(password),
                roles: [grant],
                by: .system
            )
            created.append(Created(username: username, role: grant.description, password: password))
        }
        return created
    }
}
