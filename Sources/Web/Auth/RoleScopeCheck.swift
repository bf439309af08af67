import Store

/// A ward role must name sites and wards the service knows: a mistyped code
/// would give a user a role that opens nothing, and nobody would notice
/// until a ward sister could not find her forms.
struct RoleScopeCheck: Sendable {
    let reference: ReferenceDataStore

    /// Why `grants` cannot be given, naming the form field; nil when every ward scope exists.
    func problem(_ grants: [RoleGrant], field: String = "Roles") async throws -> String? {
        let scopes = grants.filter { $0.role == .ward }.flatMap(\.scope)
        guard !scopes.isEmpty else { return nil }
        let sites = Set(try await reference.sites().map { $0.code.uppercased() })
        let wards = Set(try await reference.wards().map { "\($0.siteCode.uppercased())/\($0.code.uppercased())" })
        for scope in scopes {
            let parts = scope.split(separator: "/", maxSplits: 1).map(String.init)
            guard let site = parts.first, sites.contains(site) else {
                return "\(field): ward:\(scope) names site \(parts.first ?? scope), which is not registered; check the site code"
            }
            if parts.count == 2, !wards.contains(scope) {
                return
                    "\(field): ward:\(scope) names ward \(parts[1]), which site \(site) does not have; check the ward code (a ward is registered by the first ward list that names it)"
            }
        }
        return nil
    }
}
