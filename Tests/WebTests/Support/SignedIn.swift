import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store

/// A user signed in for a test: created straight in the test
/// database with the given roles, with a live session (cookie and CSRF
/// token) and an API bearer token.
struct SignedIn: Sendable {
    let username: String
    let userID: Int64
    let sessionID: String
    let csrf: String
    let token: String

    static func create(_ database: Database, roles: [RoleGrant], username: String? = nil) async throws -> SignedIn {
        let name = username ?? "tester-" + UUID().uuidString.prefix(8).lowercased()
        let user = try await UserStore(database: database).create(username: name, displayName: "Test \(name)", passwordHash: nil, roles: roles)
        let (id, session) = try await SessionStore(database: database).create(userID: user.id, clientAddress: nil, absoluteLifetime: .seconds(3600))
        let (token, _) = try await TokenStore(database: database).create(name: "token-\(name)", roles: roles)
        return SignedIn(username: name, userID: user.id, sessionID: id, csrf: session.csrfToken, token: token)
    }

    /// `Cookie: stranded_session=…`
    var cookie: String { "stranded_session=\(sessionID)" }

    /// What a browser sends: the session cookie, and the CSRF token as a
    /// header (the middleware accepts it there as well as in `_csrf`).
    var browser: HTTPFields { [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf] }

    /// What a machine sends: the bearer token.
    var bearer: HTTPFields { [.authorization: "Bearer \(token)"] }

    /// A client that sends every request as this user: bearer token on
    /// `/api/…`, session cookie and CSRF token on pages.
    func client(_ client: any TestClientProtocol) -> SignedInClient { SignedInClient(base: client, user: self) }
}

struct SignedInClient: TestClientProtocol {
    let base: any TestClientProtocol
    let user: SignedIn

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var merged = headers
        let extra = uri.hasPrefix("/api/") ? user.bearer : user.browser
        for field in extra where merged[field.name] == nil { merged.append(field) }
        return try await base.executeRequest(uri: uri, method: method, headers: merged, body: body)
    }

    var port: Int? { base.port }
}
