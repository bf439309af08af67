import Foundation
import Store

/// How a request proved who it is.
public enum AuthMethod: String, Sendable, Codable {
    case session
    case token
    case trustedHeader = "trusted-header"
}

/// Who is making a request: set on ``AppRequestContext`` by ``AuthMiddleware``.
public struct Identity: Sendable, Equatable {
    /// nil for an API token (tokens are not users).
    public let userID: Int64?
    /// The user name, or "token:NAME" for an API token.
    public let username: String
    public let displayName: String
    public let roles: [RoleGrant]
    public let method: AuthMethod
    /// SHA-256 of the session id (sessions and trusted-header sessions).
    public let sessionHash: String?
    /// The session's CSRF token, rendered into every form.
    public let csrfToken: String?
    public let clientAddress: String?

    public init(
        userID: Int64?,
        username: String,
        displayName: String,
        roles: [RoleGrant],
        method: AuthMethod,
        sessionHash: String? = nil,
        csrfToken: String? = nil,
        clientAddress: String? = nil
    ) {
        self.userID = userID
        self.username = username
        self.displayName = displayName
        self.roles = roles
        self.method = method
        self.sessionHash = sessionHash
        self.csrfToken = csrfToken
        self.clientAddress = clientAddress
    }

    public func has(_ role: Role) -> Bool { roles.contains { $0.role == role } }

    /// What records this identity may see.
    public var scope: RecordScope { RecordScope(roles: roles) }

    /// The identity as the audit trail records it.
    public var auditActor: AuditActor {
        AuditActor(
            userID: userID,
            username: username,
            roles: roles.map(\.role.rawValue).sorted().joined(separator: ","),
            authMethod: method.rawValue,
            clientAddress: clientAddress,
            sessionHash: sessionHash
        )
    }
}

/// What the page layout shows about the signed-in user, available to the
/// renderer for the duration of a request (set by ``AuthMiddleware``) so
/// that every page gets the CSRF token and the sign-out button without each
/// route passing them along.
public struct SignedInView: Sendable {
    public let displayName: String
    public let username: String
    public let roles: String
    public let csrfToken: String
    public let isAdministrator: Bool
    /// The menu entries this user may open (``NavigationMenu``).
    public var menu: [NavigationMenu.Item] = []

    @TaskLocal public static var current: SignedInView?
}
