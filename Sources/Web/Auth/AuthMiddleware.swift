import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store

/// Resolves who is asking and checks ``AccessPolicy`` on every request,
/// before any route runs:
///
/// - a session cookie (pages and API); state-changing requests with it must
///   carry the session's CSRF token (`_csrf` form field or `X-CSRF-Token`);
/// - `Authorization: Bearer …` (API paths; on the open routes an unknown or
///   revoked token is refused too, rather than ignored);
/// - in trusted-header mode, the configured header, only from the configured
///   proxy addresses (a session is started for the user so forms get a CSRF token).
///
/// Anonymous page requests are sent to `/login?next=…`; anonymous API
/// requests get 401 JSON; signed-in requests without a role that may get 403.
/// Refusals of signed-in users (403, 404) are audited (``RefusalAudit``).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let configuration: AuthConfiguration
    let sessions: SessionStore
    let tokens: TokenStore
    let users: UserStore
    let trail: AuditTrail
    let renderer: PageRenderer
    let refusals: RefusalAudit
    let recentSessions: RecentSessions
    let menus = NavigationMenus()

    init(database: Database, configuration: AuthConfiguration, renderer: PageRenderer) {
        self.configuration = configuration
        self.renderer = renderer
        sessions = SessionStore(database: database)
        tokens = TokenStore(database: database)
        users = UserStore(database: database)
        trail = AuditTrail(database: database)
        refusals = RefusalAudit(limit: configuration.refusalAuditLimit)
        recentSessions = RecentSessions(freshFor: .seconds(SessionStore.touchInterval(idleTimeout: configuration.idleTimeout)))
    }

    /// Multipart uploads are too large to read here; these routes check the
    /// CSRF token from the upload's `_csrf` part themselves
    /// (``AppRequestContext/requireCSRF(_:)``). Any other multipart POST with
    /// a session is refused.
    static let multipartCSRFCheckedByRoute: Set<String> = ["/imports"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await authorize(request, context: context, next: next)
        // Served over HTTPS (what secure cookies mean): browsers must not fall back to plain HTTP.
        if configuration.secureCookies { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }

    private func authorize(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        let path = request.uri.path
        // FHIR clients are API clients too: bearer tokens, JSON refusals.
        let isAPI = AccessPolicy.covers("/api", Substring(path)) || AccessPolicy.covers("/fhir", Substring(path))
        let isOpen = AccessPolicy.rule(method: request.method, path: path)?.access == .anonymous
        // The connection's peer decides whether the trusted header counts; the
        // client behind it (``ClientAddress``) is what sessions and the audit record.
        let peer = Self.address(context.remoteAddress)
        let address = ClientAddress.resolve(peer: context.remoteAddress, headers: request.headers, trustedProxies: configuration.trustedProxies)
        var newSession: String?

        // Who is asking.
        if let bearer = Self.bearerToken(request) {
            guard isAPI || isOpen else {
                return try refusal(
                    .unauthorized,
                    "bearer tokens are for the API (/api/…); sign in at /login for the pages",
                    api: false,
                    request: request
                )
            }
            // Checked on the open routes too: a client sending a revoked
            // token must hear so, not get an answer as if it were valid.
            guard let token = try await tokens.resolve(token: bearer) else {
                var response = try refusal(
                    .unauthorized,
                    "the bearer token is unknown or revoked; ask an administrator for a new one",
                    api: true,
                    request: request
                )
                response.headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\""
                return response
            }
            context.identity = Identity(
                userID: nil,
                username: "token:\(token.name)",
                displayName: "API token \(token.name)",
                roles: token.roles,
                method: .token,
                clientAddress: address
            )
        } else if let header = configuration.trustedHeader.flatMap({ HTTPField.Name($0) }), let claimed = request.headers[header], !claimed.isEmpty,
            let peer, configuration.trustedProxies.contains(peer)
        {
            // Single sign-on: the proxy vouches for the user name.
            guard let user = try await users.user(username: claimed), !user.disabled else {
                return try refusal(
                    .forbidden,
                    "\(claimed) has no account here, or it is disabled; ask an administrator",
                    api: isAPI,
                    request: request
                )
            }
            var session = try await sessionFromCookie(request)
            if session?.user.id != user.id {
                let created = try await sessions.create(userID: user.id, clientAddress: address, absoluteLifetime: configuration.absoluteLifetime)
                session = created.record
                newSession = created.id
            }
            context.identity = Identity(
                userID: user.id,
                username: user.username,
                displayName: user.displayName,
                roles: user.roles,
                method: .trustedHeader,
                sessionHash: session?.idHash,
                csrfToken: session?.csrfToken,
                clientAddress: address
            )
        } else if let id = sessionID(request) {
            // A request from a browser whose session this process read a
            // moment ago goes ahead on it, and the session is checked in the
            // same round trip as the request's first statement (or its
            // transaction's BEGIN); if it has ended or changed, nothing was
            // done, and the request starts again from a fresh read. Only
            // requests that can start again do so: reads, and posted forms
            // once their body is in hand; others read the session first.
            if let known = recentSessions.session(for: id), try await Self.canStartAgain(&request) {
                do {
                    var trusting = context
                    trusting.identity = Self.identity(of: known, clientAddress: address)
                    return try await sessions.whileUnchanged(known, id: id, idleTimeout: configuration.idleTimeout) { [trusting] in
                        try await proceed(request, context: trusting, isAPI: isAPI, isOpen: isOpen, newSession: nil, next: next)
                    }
                } catch is SessionChanged {
                    recentSessions.forget(id)
                }
            }
            if let session = try await sessions.resolve(id: id, idleTimeout: configuration.idleTimeout) {
                recentSessions.remember(session, for: id)
                context.identity = Self.identity(of: session, clientAddress: address)
            }
        }
        return try await proceed(request, context: context, isAPI: isAPI, isOpen: isOpen, newSession: newSession, next: next)
    }

    /// Decides and serves a request once who is asking is known: the access
    /// policy, the CSRF check, the route, and the audit of refusals.
    private func proceed(
        _ request: Request,
        context: Context,
        isAPI: Bool,
        isOpen: Bool,
        newSession: String?,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var request = request
        var context = context
        let path = request.uri.path
        let identity = context.identity
        let view = identity.flatMap { identity in
            identity.csrfToken.map {
                SignedInView(
                    displayName: identity.displayName,
                    username: identity.username,
                    roles: identity.roles.map(\.description).joined(separator: ", "),
                    csrfToken: $0,
                    isAdministrator: identity.has(.administrator),
                    menu: menus.items(for: identity)
                )
            }
        }
        // The outermost middleware renders later errors with this user's menu.
        SignedInViewHolder.current?.view = view
        let logger = context.logger
        let method = request.method
        /// A refusal of a signed-in user: audited, shown in the layout with who is signed in.
        func refuse(_ status: HTTPResponse.Status, _ message: String) async throws -> Response {
            if let identity {
                await refusals.record(status, method: method, path: path, by: identity, trail: trail, logger: logger)
            }
            return try SignedInView.$current.withValue(view) { try refusal(status, message, api: isAPI, request: request) }
        }

        // May they?
        switch AccessPolicy.decide(method: request.method, path: path, identity: identity) {
        case .allow: break
        case .unauthenticated:
            if isAPI {
                var response = try refusal(.unauthorized, "sign in: send Authorization: Bearer <token>", api: true, request: request)
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
            let next = request.method == .get ? path + (request.uri.query.map { "?" + $0 } ?? "") : "/"
            return Response(status: .seeOther, headers: [.location: "/login?next=" + LoginRoutes.encode(next)])
        case .forbidden:
            return try await refuse(.forbidden, "your roles do not allow this; ask an administrator if you need it")
        }

        // Cross-site request forgery: a cookie alone never changes anything.
        if let identity, identity.method != .token, ![.get, .head, .options].contains(request.method), !isOpen {
            let expected = identity.csrfToken ?? ""
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            if let sent = request.headers[.csrfToken] {
                guard Self.constantTimeEqual(sent, expected) else { return try await refuse(.forbidden, Self.csrfMessage) }
            } else if contentType.hasPrefix("application/x-www-form-urlencoded") {
                let body = try await request.collectBody(upTo: Self.formBodyLimit)
                guard Self.constantTimeEqual(PostedFields(String(buffer: body))["_csrf"], expected) else {
                    return try await refuse(.forbidden, Self.csrfMessage)
                }
            } else if contentType.hasPrefix("multipart/form-data"), Self.multipartCSRFCheckedByRoute.contains(path) {
                context.csrfCheckPending = true
            } else {
                return try await refuse(.forbidden, Self.csrfMessage)
            }
        }

        var response: Response
        do {
            response = try await AuditActor.$current.withValue(identity?.auditActor) {
                try await SignedInView.$current.withValue(view) {
                    try await next(request, context)
                }
            }
        } catch let error as any HTTPResponseError where RefusalAudit.isRefusal(error.status) {
            // Out-of-scope records answer 404 (thrown by the routes): audited like a 403.
            if let identity {
                await refusals.record(error.status, method: method, path: path, by: identity, trail: trail, logger: logger)
            }
            throw error
        }
        if let identity, RefusalAudit.isRefusal(response.status) {
            await refusals.record(response.status, method: method, path: path, by: identity, trail: trail, logger: logger)
        }
        if let newSession { response.headers[values: .setCookie].append(sessionCookie(newSession)) }
        return response
    }

    /// Whether `request` can be served twice: a read, or a posted form,
    /// whose body is then collected (up to the limit the CSRF check reads).
    private static func canStartAgain(_ request: inout Request) async throws -> Bool {
        if request.method == .get || request.method == .head { return true }
        guard request.method == .post, request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            return false
        }
        _ = try await request.collectBody(upTo: formBodyLimit)
        return true
    }

    /// The most of a posted form the middleware reads (for its CSRF token).
    static let formBodyLimit = 1024 * 1024

    /// The session id in the request's cookie, if it could be one.
    private func sessionID(_ request: Request) -> String? {
        guard let id = request.cookies[configuration.cookieName]?.value, !id.isEmpty, id.count <= 128 else { return nil }
        return id
    }

    private func sessionFromCookie(_ request: Request) async throws -> SessionRecord? {
        guard let id = sessionID(request) else { return nil }
        return try await sessions.resolve(id: id, idleTimeout: configuration.idleTimeout)
    }

    private static func identity(of session: SessionRecord, clientAddress: String?) -> Identity {
        Identity(
            userID: session.user.id,
            username: session.user.username,
            displayName: session.user.displayName,
            roles: session.user.roles,
            method: .session,
            sessionHash: session.idHash,
            csrfToken: session.csrfToken,
            clientAddress: clientAddress
        )
    }

    /// `Set-Cookie` for a session id: HttpOnly, SameSite=Lax, Path=/, and
    /// Secure with the `__Host-` name when configured.
    func sessionCookie(_ id: String) -> String {
        "\(configuration.cookieName)=\(id); Path=/; Max-Age=\(configuration.absoluteLifetime.components.seconds); HttpOnly; SameSite=Lax"
            + (configuration.secureCookies ? "; Secure" : "")
    }

    /// `Set-Cookie` that removes the session cookie.
    func expiredCookie() -> String {
        "\(configuration.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (configuration.secureCookies ? "; Secure" : "")
    }

    /// The token of an `Authorization: Bearer …` header; empty when the
    /// header names the scheme without a token (refused like an unknown one).
    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization]?.trimmingCharacters(in: .whitespaces) else { return nil }
        let lowered = value.lowercased()
        guard lowered == "bearer" || lowered.hasPrefix("bearer ") else { return nil }
        return value.dropFirst(6).trimmingCharacters(in: .whitespaces)
    }

    static func address(_ socket: SocketAddress?) -> String? {
        socket?.ipAddress
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// A refusal as JSON for API clients, else a page in the usual layout
    /// with the menu of whoever is signed in (the message can quote a user
    /// name from the trusted header: escaped there).
    func refusal(_ status: HTTPResponse.Status, _ message: String, api: Bool, request: Request) throws -> Response {
        try ErrorPage(status: status, message: message)
            .response(for: request, renderer: renderer, signedIn: SignedInView.current, asJSON: api || request.wantsJSON)
    }

    static let csrfMessage = "the form has expired or did not come from this site (CSRF check failed); open the page again and resubmit"
}

extension HTTPField.Name {
    static let csrfToken = Self("X-CSRF-Token")!
    static let strictTransportSecurity = Self("Strict-Transport-Security")!
}

extension AppRequestContext {
    /// For routes that read their own multipart bodies: refuses (403) unless
    /// `sent` is the session's CSRF token, when the middleware left the check to the route.
    public func requireCSRF(_ sent: String?) throws {
        guard csrfCheckPending else { return }
        guard let expected = identity?.csrfToken, AuthMiddleware.constantTimeEqual(sent ?? "", expected) else {
            throw HTTPError(.forbidden, message: AuthMiddleware.csrfMessage)
        }
    }
}
