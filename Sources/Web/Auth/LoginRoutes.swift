import Foundation
import Hummingbird
import NIOCore
import Store

/// `GET /login`, `POST /login`, `POST /logout`.
struct LoginRoutes: Sendable {
    let configuration: AuthConfiguration
    let users: UserStore
    let sessions: SessionStore
    let attempts: LoginAttemptStore
    let audit: AuditTrail
    let renderer: PageRenderer

    init(dependencies: AppDependencies) {
        configuration = dependencies.auth
        users = UserStore(database: dependencies.database)
        sessions = SessionStore(database: dependencies.database)
        attempts = LoginAttemptStore(database: dependencies.database)
        audit = AuditTrail(database: dependencies.database)
        renderer = dependencies.renderer
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/login", use: loginPage)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
    }

    struct LoginPage {
        let next: String
        let username: String
        let message: String?
        /// The form's CSRF token (``LoginFormToken``).
        let csrf: String
    }

    var formToken: LoginFormToken { LoginFormToken(secureCookies: configuration.secureCookies) }

    /// The sign-in form with a CSRF token: the browser's current one, or a new one set as a cookie.
    func form(
        _ request: Request,
        next: String,
        username: String = "",
        message: String? = nil,
        status: HTTPResponse.Status = .ok,
        newToken: Bool = false
    ) throws -> Response {
        let existing = newToken ? nil : formToken.current(request)
        let token = existing ?? LoginFormToken.generate()
        var response = try renderer.render(
            "login",
            title: "Sign in",
            context: LoginPage(next: next, username: username, message: message, csrf: token),
            status: status,
            noStore: true
        )
        if existing == nil { response.headers[values: .setCookie].append(formToken.cookie(token)) }
        return response
    }

    @Sendable func loginPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try form(request, next: RedirectTarget.localPath(request.uri.queryParameters["next"].map(String.init)))
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let fields = PostedFields(String(buffer: body))
        let next = RedirectTarget.localPath(fields["next"])
        let typed = fields["username"].trimmingCharacters(in: .whitespacesAndNewlines)
        let username = typed.lowercased()
        let address = ClientAddress.resolve(peer: context.remoteAddress, headers: request.headers, trustedProxies: configuration.trustedProxies)
        func refuse(_ message: String, _ status: HTTPResponse.Status) throws -> Response {
            try form(request, next: next, username: typed, message: message, status: status)
        }
        guard formToken.accepts(request, posted: fields["_csrf"]) else {
            return try form(
                request,
                next: next,
                username: typed,
                message: "This sign-in form has expired or did not come from this site (CSRF check failed). "
                    + "Enter your user name and password again below.",
                status: .forbidden,
                newToken: true
            )
        }
        guard !username.isEmpty, !fields["password"].isEmpty else {
            return try refuse("Enter your user name and your password.", .unprocessableContent)
        }
        // Limits first, so a locked account costs no bcrypt work.
        let recentFailures = try await attempts.failures(username: username, within: configuration.lockoutWindow)
        let hourFailures = try await attempts.allFailures(username: username, within: .seconds(3600))
        if recentFailures >= configuration.lockoutFailures || hourFailures >= configuration.hourlyFailureCap {
            return try refuse(
                "Too many failed sign-ins for this account: it is locked for \(configuration.lockoutWindow.components.seconds / 60) minutes. "
                    + "Try again later, or ask an administrator to reset your password.",
                .tooManyRequests
            )
        }
        if let address,
            try await attempts.failures(username: username, address: address, within: configuration.lockoutWindow)
                >= configuration.addressFailureLimit
        {
            return try refuse(
                "Too many failed sign-ins for this account from your network address; "
                    + "try again in \(configuration.lockoutWindow.components.seconds / 60) minutes.",
                .tooManyRequests
            )
        }
        let found = try await users.credentials(username: username)
        let matches = try await Passwords.verify(fields["password"], hash: found?.passwordHash)
        guard let user = found?.user, matches, !user.disabled else {
            try await attempts.record(username: username, clientAddress: address, succeeded: false)
            try await audit.record(
                AuditEntry(action: "login-failed", entityType: "app_user", entityID: username),
                by: AuditActor(username: username, authMethod: "session", clientAddress: address)
            )
            return try refuse("The user name or password is not right. Check them and try again.", .unauthorized)
        }
        try await attempts.record(username: username, clientAddress: address, succeeded: true)
        // Housekeeping, cheap and rare enough to do here: sessions past expiry, attempts older than the longest window.
        try await sessions.purgeExpired(idleTimeout: configuration.idleTimeout)
        try await attempts.purge(olderThan: .seconds(86_400))
        // Always a new session id at login (no fixation): any session the browser brought ends.
        if let old = request.cookies[configuration.cookieName]?.value, !old.isEmpty { try await sessions.delete(id: old) }
        let (id, session) = try await sessions.create(userID: user.id, clientAddress: address, absoluteLifetime: configuration.absoluteLifetime)
        try await audit.record(
            AuditEntry(action: "login", entityType: "app_user", entityID: user.username),
            by: AuditActor(
                userID: user.id,
                username: user.username,
                roles: user.roles.map(\.role.rawValue).joined(separator: ","),
                authMethod: "session",
                clientAddress: address,
                sessionHash: session.idHash
            )
        )
        var headers: HTTPFields = [.location: next]
        headers[values: .setCookie].append(middleware.sessionCookie(id))
        headers[values: .setCookie].append(formToken.expiredCookie())
        return Response(status: .seeOther, headers: headers)
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let hash = context.identity?.sessionHash {
            try await sessions.delete(idHash: hash)
            try await audit.record(AuditEntry(action: "logout", entityType: "app_user", entityID: context.identity?.username))
        }
        var headers: HTTPFields = [.location: "/login"]
        headers[values: .setCookie].append(middleware.expiredCookie())
        return Response(status: .seeOther, headers: headers)
    }

    private var middleware: AuthMiddleware { AuthMiddleware(database: users.database, configuration: configuration, renderer: renderer) }

    /// Percent-encodes a `next` value for a query string.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}
