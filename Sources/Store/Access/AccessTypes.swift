import Foundation
import StrandedCore

/// What a user may do. A user can hold several.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case administrator
    /// Imports ward lists and takes exports.
    case data
    /// Level 1 reviews of named wards.
    case ward
    /// The Level 2 multi-agency meeting, for named organisations or all.
    case level2
    /// The chief executive call and summaries.
    case executive
    case planEditor = "plan-editor"
    /// Reads the action plan and trends.
    case viewer
    /// A hospital system posting FHIR Encounters; API tokens only (migration 0030).
    case feed

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A role with its scope: for `ward`, "SITE/WARD" codes (or "SITE" for all
/// of a site's wards); for `level2`, organisation codes (empty: all).
public struct RoleGrant: Sendable, Codable, Equatable, Hashable {
    public var role: Role
    public var scope: [String]

    public init(_ role: Role, scope: [String] = []) {
        self.role = role
        self.scope = scope
    }

    /// "ward:ACU1/W1,ACU1/W2", "level2", "level2:R9A": the command-line form.
    public init(parsing text: String) throws(AccessError) {
        let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let name = parts.first, let role = Role(rawValue: name.lowercased()) else {
            throw .unknownRole(text)
        }
        let scope =
            parts.count > 1
            ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty } : []
        if role == .ward, scope.isEmpty { throw .wardRoleNeedsScope }
        if !scope.isEmpty, role != .ward, role != .level2 { throw .scopeNotAllowed(role) }
        // Each part of a scope is a site, ward or organisation code, under the codes' own rule.
        for part in scope.flatMap({ $0.split(separator: "/", omittingEmptySubsequences: false) }) {
            if let problem = ReferenceCode.problem(String(part)) { throw .invalidScope(problem.reason(field: "a code in the role's scope")) }
        }
        self.init(role, scope: scope)
    }

    public var description: String { scope.isEmpty ? role.rawValue : "\(role.rawValue):\(scope.joined(separator: ","))" }
}

/// A user as the stores return it (never with the password hash).
public struct UserRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let username: String
    public let displayName: String
    public let disabled: Bool
    public let hasPassword: Bool
    public let createdAt: Date
    public let roles: [RoleGrant]
}

/// An API token as lists show it (never the token).
public struct TokenRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let name: String
    public let prefix: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let revokedAt: Date?
    public let roles: [RoleGrant]
}

public enum AccessError: Error, Equatable, CustomStringConvertible {
    case unknownRole(String)
    case wardRoleNeedsScope
    case scopeNotAllowed(Role)
    case invalidUsername(String)
    case usernameTaken(String)
    case unknownUser(String)
    case tokenNameTaken(String)
    case unknownToken(String)
    case noRoles
    /// The feed role is a system's, held by API tokens, never by a person.
    case feedRoleIsForTokens
    /// A scope code that cannot be a code; the reason names what is wrong without quoting it.
    case invalidScope(String)
    /// A name or display name that cannot be kept; the message names the field.
    case unusableText(String)

    public var description: String {
        switch self {
        case let .unknownRole(text):
            "\"\(text)\" is not a role; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), e.g. ward:ACU1/W1 or level2:R9A"
        case .wardRoleNeedsScope: "the ward role needs its wards: ward:SITE/WARD[,SITE/WARD…] (or ward:SITE for all of a site)"
        case let .scopeNotAllowed(role): "the \(role.rawValue) role takes no scope; only ward and level2 do"
        case let .invalidUsername(name):
            "\"\(name)\" is not a valid user name: 2–64 characters, lower-case letters, digits and . _ @ -, starting with a letter or digit"
        case let .usernameTaken(name): "there is already a user \(name)"
        case let .unknownUser(name): "there is no user \(name)"
        case let .tokenNameTaken(name): "there is already a token named \(name); revoke it or choose another name"
        case let .unknownToken(name): "there is no active token \(name)"
        case .noRoles: "give at least one role (--role ROLE[:scope,…])"
        case .feedRoleIsForTokens: "the feed role is for a hospital system's API token (`stranded tokens create --role feed`), not for a person"
        case let .invalidScope(reason): reason + "; write ward:SITE/WARD or level2:ORG"
        case let .unusableText(message): message
        }
    }
}

extension Array where Element == RoleGrant {
    /// "ward:ACU1/W1,viewer", for the audit trail and lists.
    public var summary: String { map(\.description).joined(separator: " ") }
}
