import Foundation
import Hummingbird
import NIOCore
import Store
import StrandedCore

/// Administration (administrators only, by ``AccessPolicy``): users and
/// their roles, API tokens, and the audit trail with its CSV export.
struct AdminRoutes: Sendable {
    let users: UserStore
    let tokens: TokenStore
    let audit: AuditTrail
    let renderer: PageRenderer
    let bcryptCost: UInt8
    let roleScopes: RoleScopeCheck

    init(dependencies: AppDependencies) {
        roleScopes = RoleScopeCheck(reference: ReferenceDataStore(database: dependencies.database))
        users = UserStore(database: dependencies.database)
        tokens = TokenStore(database: dependencies.database)
        audit = AuditTrail(database: dependencies.database)
        renderer = dependencies.renderer
        bcryptCost = dependencies.auth.bcryptCost
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/admin", use: { _, _ in Response(status: .seeOther, headers: [.location: "/admin/users"]) })
        router.get("/admin/users", use: usersPage)
        router.post("/admin/users", use: addUser)
        router.post("/admin/users/{username}", use: changeUser)
        router.get("/admin/tokens", use: tokensPage)
        router.post("/admin/tokens", use: createToken)
        router.post("/admin/tokens/revoke", use: revokeToken)
        router.get("/admin/audit", use: auditPage)
        router.get("/admin/audit.csv", use: auditCSV)
    }

    // MARK: Users

    struct UserRow {
        let username: String
        let displayName: String
        let roles: String
        let disabled: Bool
        let created: String
    }

    struct UsersPage {
        let users: [UserRow]
        let message: String?
        let roleNames: String
    }

    @Sendable func usersPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await renderUsers(message: request.uri.queryParameters["done"].map { String($0) }, status: .ok)
    }

    private func renderUsers(message: String?, status: HTTPResponse.Status) async throws -> Response {
        let rows = try await users.users().map {
            UserRow(
                username: $0.username,
                displayName: $0.displayName,
                roles: $0.roles.summary,
                disabled: $0.disabled,
                created: DisplayFormat.instant($0.createdAt)
            )
        }
        return try renderer.render(
            "admin-users",
            title: "Users",
            context: UsersPage(
                users: rows,
                message: message,
                roleNames: Role.allCases.map(\.rawValue).joined(separator: ", ")
            ),
            status: status,
            noStore: true
        )
    }

    static func roles(_ text: String) throws -> [RoleGrant] {
        try text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" }).map { try RoleGrant(parsing: String($0)) }
    }

    @Sendable func addUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        do {
            let roles = try Self.roles(fields["roles"])
            if let problem = Passwords.check(fields["password"]) {
                return try await renderUsers(message: "Not added: \(problem)", status: .unprocessableContent)
            }
            if let problem = try await roleScopes.problem(roles) {
                return try await renderUsers(message: "Not added: \(problem)", status: .unprocessableContent)
            }
            let hash = try await Passwords.hash(fields["password"], cost: bcryptCost)
            let user = try await users.create(username: fields["username"], displayName: fields["display_name"], passwordHash: hash, roles: roles)
            return Self.seeOther("/admin/users?done=" + LoginRoutes.encode("Added \(user.username)."))
        } catch let error as AccessError {
            return try await renderUsers(message: "Not added: \(error)", status: .unprocessableContent)
        }
    }

    /// `action=roles` (with `roles`), `disable`, `enable` or `password` (with `password`).
    @Sendable func changeUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let username = try context.parameters.require("username")
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        do {
            switch fields["action"] {
            case "roles":
                let roles = try Self.roles(fields["roles"])
                if let problem = try await roleScopes.problem(roles) {
                    return try await renderUsers(message: "Not changed: \(problem)", status: .unprocessableContent)
                }
                try await users.setRoles(username: username, roles: roles)
            case "disable":
                guard username != context.identity?.username else {
                    return try await renderUsers(message: "You cannot disable yourself; ask another administrator.", status: .unprocessableContent)
                }
                try await users.setDisabled(username: username, true)
            case "enable": try await users.setDisabled(username: username, false)
            case "password":
                if let problem = Passwords.check(fields["password"]) {
                    return try await renderUsers(message: "Not changed: \(problem)", status: .unprocessableContent)
                }
                try await users.setPassword(username: username, passwordHash: try await Passwords.hash(fields["password"], cost: bcryptCost))
            default: throw HTTPError(.badRequest, message: "action must be roles, disable, enable or password")
            }
        } catch let error as AccessError {
            if case .unknownUser = error { throw HTTPError(.notFound, message: error.description) }
            return try await renderUsers(message: "Not changed: \(error)", status: .unprocessableContent)
        }
        return Self.seeOther("/admin/users?done=" + LoginRoutes.encode("Changed \(username)."))
    }

    // MARK: Tokens

    struct TokenRow {
        let name: String
        let prefix: String
        let roles: String
        let created: String
        let lastUsed: String
        let revoked: String?
    }

    struct TokensPage {
        let tokens: [TokenRow]
        let message: String?
        /// The new token, shown this once.
        let newToken: String?
    }

    @Sendable func tokensPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await renderTokens(message: request.uri.queryParameters["done"].map { String($0) }, newToken: nil, status: .ok)
    }

    private func renderTokens(message: String?, newToken: String?, status: HTTPResponse.Status) async throws -> Response {
        let rows = try await tokens.tokens().map {
            TokenRow(
                name: $0.name,
                prefix: $0.prefix,
                roles: $0.roles.summary,
                created: DisplayFormat.instant($0.createdAt),
                lastUsed: $0.lastUsedAt.map(DisplayFormat.instant) ?? "never",
                revoked: $0.revokedAt.map(DisplayFormat.instant)
            )
        }
        return try renderer.render(
            "admin-tokens",
            title: "API tokens",
            context: TokensPage(tokens: rows, message: message, newToken: newToken),
            status: status,
            noStore: true
        )
    }

    @Sendable func createToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        do {
            let (token, record) = try await tokens.create(
                name: fields["name"],
                roles: try Self.roles(fields["roles"]),
                createdBy: context.identity?.userID
            )
            return try await renderTokens(
                message: "Token \(record.name) created. Copy it now: it is not shown again.",
                newToken: token,
                status: .created
            )
        } catch let error as AccessError {
            return try await renderTokens(message: "Not created: \(error)", newToken: nil, status: .unprocessableContent)
        }
    }

    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        do {
            try await tokens.revoke(name: fields["name"])
        } catch let error as AccessError {
            return try await renderTokens(message: "Not revoked: \(error)", newToken: nil, status: .unprocessableContent)
        }
        return Self.seeOther("/admin/tokens?done=" + LoginRoutes.encode("Revoked \(fields["name"])."))
    }

    // MARK: Audit

    struct AuditRow {
        let when: String
        let username: String
        let roles: String
        let action: String
        let entity: String
        let caseID: String
        let nhsNumber: String
        let address: String
        let before: String
        let after: String
    }

    struct AuditPage {
        let rows: [AuditRow]
        let username: String
        let action: String
        let entityType: String
        let entityID: String
        let caseID: String
        let from: String
        let to: String
        let nextHref: String?
        let previousHref: String?
        let csvHref: String
    }

    static let pageSize = 100

    static func query(_ request: Request) throws -> AuditQuery {
        func text(_ name: String) -> String? {
            guard let value = request.uri.queryParameters[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces), !value.isEmpty
            else { return nil }
            return value
        }
        func date(_ name: String) throws -> Date? {
            guard let value = text(name) else { return nil }
            let date = try CalendarDate.requested(value, field: name, isoOnly: true)
            return Date(timeIntervalSince1970: Double(date.daysSinceEpoch) * 86_400)
        }
        var query = AuditQuery(
            username: text("user"),
            action: text("action"),
            entityType: text("entity"),
            entityID: text("entity_id"),
            from: try date("from"),
            limit: pageSize,
            offset: max(0, Int(text("offset") ?? "") ?? 0)
        )
        if let caseText = text("case") { try AuditCaseFilter.apply(caseText, to: &query) }
        // `to` is inclusive on the page: the end of that day.
        query.to = try date("to").map { $0.addingTimeInterval(86_400) }
        return query
    }

    @Sendable func auditPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try Self.query(request)
        let found = try await audit.search(query)
        let parameters = request.uri.queryParameters
        func value(_ name: String) -> String { parameters[Substring(name)].map(String.init) ?? "" }
        let filters = ["user", "action", "entity", "entity_id", "case", "from", "to"].compactMap { name -> String? in
            let text = value(name)
            return text.isEmpty ? nil : "\(name)=\(LoginRoutes.encode(text))"
        }
        let base = filters.joined(separator: "&")
        let rows = found.map {
            AuditRow(
                when: DisplayFormat.instant($0.occurredAt),
                username: $0.username,
                roles: $0.roles,
                action: $0.action,
                entity: [$0.entityType, $0.entityID].compactMap { $0 }.joined(separator: " "),
                caseID: $0.caseID.map(String.init) ?? "",
                nhsNumber: $0.nhsNumber ?? "",
                address: $0.clientAddress ?? "",
                before: $0.before ?? "",
                after: $0.after ?? ""
            )
        }
        let page = AuditPage(
            rows: rows,
            username: value("user"),
            action: value("action"),
            entityType: value("entity"),
            entityID: value("entity_id"),
            caseID: value("case"),
            from: value("from"),
            to: value("to"),
            nextHref: found.count == Self.pageSize ? "/admin/audit?\(base)&offset=\(query.offset + Self.pageSize)" : nil,
            previousHref: query.offset > 0 ? "/admin/audit?\(base)&offset=\(max(0, query.offset - Self.pageSize))" : nil,
            csvHref: "/admin/audit.csv?\(base)"
        )
        try await audit.record(AuditEntry(action: "read", entityType: "audit_event", entityID: base.isEmpty ? nil : base))
        return try renderer.render("admin-audit", title: "Audit trail", context: page, noStore: true)
    }

    /// Up to 10,000 entries; cells are escaped against spreadsheet formula injection.
    @Sendable func auditCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = try Self.query(request)
        query.limit = 10_000
        query.offset = 0
        let found = try await audit.search(query)
        var csv = AuditCSV.row([
            "id", "occurred_at", "username", "roles", "auth_method", "action", "entity_type", "entity_id",
            "case_id", "nhs_number", "client_address", "session_hash", "before", "after",
        ])
        let formatter = ISO8601DateFormatter()
        for record in found {
            csv += AuditCSV.row([
                String(record.id), formatter.string(from: record.occurredAt), record.username, record.roles,
                record.authMethod ?? "", record.action, record.entityType, record.entityID ?? "",
                record.caseID.map(String.init) ?? "", record.nhsNumber ?? "", record.clientAddress ?? "",
                record.sessionHash ?? "", record.before ?? "", record.after ?? "",
            ])
        }
        try await audit.record(AuditEntry(action: "export", entityType: "audit_event", after: ["rows": found.count]))
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"audit.csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv))
        )
    }

    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// CSV for the audit export (RFC 4180), with spreadsheet formula injection
/// escaped: a cell starting `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
enum AuditCSV {
    static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { text = "'" + text }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    static func row(_ cells: [String]) -> String { cells.map(cell).joined(separator: ",") + "\r\n" }
}
