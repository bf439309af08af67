import Foundation
import Postgres

/// Which patients' records a user may see (DESIGN.md §7, insecure direct
/// object references): every lookup by id is filtered by it, and an
/// out-of-scope id reads as not found.
public struct RecordScope: Sendable, Equatable {
    /// No restriction (administrators, level2 for all organisations, the system).
    public var all: Bool
    /// "SITE/WARD" codes, or "SITE" for every ward of a site.
    public var wards: [String]
    /// Organisation codes.
    public var organisations: [String]

    public init(all: Bool = false, wards: [String] = [], organisations: [String] = []) {
        self.all = all
        self.wards = wards
        self.organisations = organisations
    }

    public static let all = RecordScope(all: true)
    public static let none = RecordScope()

    /// What these roles together may see: ward roles their wards, level2 its
    /// organisations (all when unscoped), administrators everything.
    public init(roles: [RoleGrant]) {
        self.init()
        for grant in roles {
            switch grant.role {
            case .administrator: all = true
            case .ward: wards += grant.scope
            case .level2: if grant.scope.isEmpty { all = true } else { organisations += grant.scope }
            default: break
            }
        }
    }

    /// A SQL condition on a ward `w` joined to its site `s`.
    public func condition(ward: String = "w", site: String = "s") -> PostgresQuery {
        if all { return "true" }
        return """
            ((\(fragment: PostgresQuery(unsafeSQL: site)).code || '/' || \(fragment: PostgresQuery(unsafeSQL: ward)).code) = ANY(\(PostgresArray(wards))::text[])
             OR \(fragment: PostgresQuery(unsafeSQL: site)).code = ANY(\(PostgresArray(wards))::text[])
             OR EXISTS (SELECT 1 FROM organisation scope_o WHERE scope_o.id = \(fragment: PostgresQuery(unsafeSQL: site)).organisation_id
                        AND scope_o.code = ANY(\(PostgresArray(organisations))::text[])))
            """
    }
}
