import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Web
import Workflow

/// Sign-in, sessions, CSRF, lockout and the trusted header.
@Suite("Sessions, CSRF, lockout and the trusted header")
struct AuthSessionTests {
    static let password = "correct horse battery"
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    static let json: HTTPFields = [.contentType: "application/json"]

    static func app(
        _ database: Database,
        _ configure: (inout AuthConfiguration) -> Void = { _ in },
        web: WebConfiguration = .init()
    ) async throws -> some ApplicationProtocol {
        var dependencies = try await AppDependencies.forTests(database: database)
        configure(&dependencies.auth)
        return buildApplication(configuration: web, dependencies: dependencies, logger: Logger(label: "test"))
    }

    static func addUser(_ database: Database, _ name: String, roles: [RoleGrant]) async throws {
        try await UserStore(database: database).create(
            username: name,
            displayName: "Sister Jones",
            passwordHash: try await Passwords.hash(password),
            roles: roles
        )
    }

    /// The session id from a `Set-Cookie` answer.
    static func sessionID(_ response: TestResponse, name: String = "stranded_session") -> String? {
        for value in response.headers[values: .setCookie] where value.hasPrefix(name + "=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    /// What a browser gets from `GET /login`: the form token's cookie (`name=value`) and the hidden `_csrf` field.
    static func loginForm(_ client: some TestClientProtocol, headers: HTTPFields = [:]) async throws -> (cookie: String, csrf: String) {
        let page = try await client.execute(uri: "/login", method: .get, headers: headers, body: nil)
        let cookie = try #require(page.headers[values: .setCookie].first { $0.contains("stranded_login=") }?.prefix { $0 != ";" })
        let html = String(buffer: page.body)
        let marker = "name=\"_csrf\" value=\""
        let start = try #require(html.range(of: marker)).upperBound
        return (String(cookie), String(html[start...].prefix { $0 != "\"" }))
    }

    /// Signs in the way a browser does: the form first (its token), then the post.
    static func login(
        _ client: some TestClientProtocol,
        user: String = "sister.jones",
        password: String = password,
        cookie: String? = nil,
        next: String = "%2Fwards",
        extraHeaders: HTTPFields = [:]
    ) async throws -> TestResponse {
        let (formCookie, csrf) = try await loginForm(client, headers: extraHeaders)
        var headers = form.merging(extraHeaders)
        headers[.cookie] = [cookie, formCookie].compactMap { $0 }.joined(separator: "; ")
        return try await client.execute(
            uri: "/login",
            method: .post,
            headers: headers,
            body: ByteBuffer(string: "username=\(user)&password=\(password.replacingOccurrences(of: " ", with: "+"))&next=\(next)&_csrf=\(csrf)")
        )
    }

    @Test func loginIssuesANewSessionAndAStolenCookieIsWorthlessAfterLogout() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.addUser(database, "sister.jones", roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
            let earlier = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            try await Self.app(database).test(.router) { client in
                try await client.execute(uri: "/login", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                }
                // The browser arrives with an existing session: login must not keep it (fixation).
                let response = try await Self.login(client, cookie: earlier.cookie)
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/wards")
                let cookie = try #require(response.headers[values: .setCookie].first)
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
                #expect(!cookie.contains("Secure"))
                let id = try #require(Self.sessionID(response))
                #expect(id != earlier.sessionID)
                try await client.execute(uri: "/", method: .get, headers: [.cookie: earlier.cookie]) { response in
                    #expect(response.status == .seeOther, "the session the browser brought has ended")
                }
                // Signed in: the layout shows who, with a sign-out button carrying the CSRF token.
                var csrf = ""
                try await client.execute(uri: "/wards", method: .get, headers: [.cookie: "stranded_session=\(id)"]) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("Signed in as Sister Jones"))
                    #expect(html.contains("action=\"/logout\""))
                    let marker = "name=\"_csrf\" value=\""
                    let start = try #require(html.range(of: marker)).upperBound
                    csrf = String(html[start...].prefix { $0 != "\"" })
                }
                #expect(csrf.count > 20)
                // Logout without the CSRF token is refused…
                try await client.execute(
                    uri: "/logout",
                    method: .post,
                    headers: Self.form.merging([.cookie: "stranded_session=\(id)"]),
                    body: ByteBuffer(string: "")
                ) { response in
                    #expect(response.status == .forbidden)
                }
                // … with it, the session ends on the server.
                try await client.execute(
                    uri: "/logout",
                    method: .post,
                    headers: Self.form.merging([.cookie: "stranded_session=\(id)"]),
                    body: ByteBuffer(string: "_csrf=\(csrf)")
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[values: .setCookie].first?.contains("Max-Age=0") == true)
                }
                // Someone who copied the cookie before logout gets nothing.
                try await client.execute(uri: "/wards", method: .get, headers: [.cookie: "stranded_session=\(id)"]) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location]?.hasPrefix("/login") == true)
                }
                try await client.execute(uri: "/api/wards/1/weeks/2026-11-16", method: .get, headers: [.cookie: "stranded_session=\(id)"]) {
                    response in
                    #expect(response.status == .unauthorized)
                }
            }
            let actions = try await AuditTrail(database: database).search(AuditQuery(username: "sister.jones")).map(\.action)
            #expect(actions.contains("login") && actions.contains("logout"))
        }
    }

    @Test func aRememberedSessionEndedOrDisabledElsewhereIsRefusedOnTheNextPage() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.addUser(database, "sister.jones", roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
            try await Self.app(database).test(.router) { client in
                let id = try #require(Self.sessionID(try await Self.login(client)))
                let cookie: HTTPFields = [.cookie: "stranded_session=\(id)"]
                // Read once, then trusted and checked with each page's first statement.
                for _ in 0..<3 {
                    try await client.execute(uri: "/wards", method: .get, headers: cookie) { #expect($0.status == .ok) }
                }
                // Disabled by an administrator (on any server): the next page is refused.
                try await UserStore(database: database).setDisabled(username: "sister.jones", true)
                try await client.execute(uri: "/wards", method: .get, headers: cookie) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location]?.hasPrefix("/login") == true)
                }
                try await UserStore(database: database).setDisabled(username: "sister.jones", false)
                let next = try #require(Self.sessionID(try await Self.login(client)))
                let nextCookie: HTTPFields = [.cookie: "stranded_session=\(next)"]
                for _ in 0..<2 {
                    try await client.execute(uri: "/wards", method: .get, headers: nextCookie) { #expect($0.status == .ok) }
                }
                // Signed out on another server: its session row is gone.
                try await database.client.execute("DELETE FROM user_session")
                try await client.execute(uri: "/wards", method: .get, headers: nextCookie) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location]?.hasPrefix("/login") == true)
                }
            }
        }
    }

    /// Pages trust a remembered session for one touch interval (1/120 of the
    /// idle timeout, here 1 s) without touching it; after that the next page
    /// reads it again and touches it, so a session in use never idles out.
    @Test func aSessionInUseIsStillTouchedWhilePagesTrustTheRememberedRead() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.addUser(database, "sister.jones", roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
            try await Self.app(database, { $0.idleTimeout = .seconds(120) }).test(.router) { client in
                let id = try #require(Self.sessionID(try await Self.login(client)))
                let cookie: HTTPFields = [.cookie: "stranded_session=\(id)"]
                func lastSeen() async throws -> Date {
                    try await database.client.query("SELECT last_seen_at FROM user_session")[0].decode("last_seen_at")
                }
                try await client.execute(uri: "/wards", method: .get, headers: cookie) { #expect($0.status == .ok) }
                let first = try await lastSeen()
                try await Task.sleep(for: .milliseconds(1_200))
                for _ in 0..<2 {
                    try await client.execute(uri: "/wards", method: .get, headers: cookie) { #expect($0.status == .ok) }
                }
                #expect(try await lastSeen() > first)
            }
        }
    }

    @Test func aStateChangingRequestWithoutTheCSRFTokenIs403() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let nurse = try await SignedIn.create(database, roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            let form = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )[0]
            let save = "{\"version\": \(form.version), \"review\": \(completeReviewJSON)}"
            try await fixture.app().test(.router) { client in
                let cookieOnly: HTTPFields = [.cookie: nurse.cookie]
                try await client.execute(
                    uri: "/forms/\(form.id)",
                    method: .post,
                    headers: Self.form.merging(cookieOnly),
                    body: ByteBuffer(string: "version=\(form.version)&action=save")
                ) { response in
                    #expect(response.status == .forbidden)
                    #expect(String(buffer: response.body).contains("CSRF"))
                }
                try await client.execute(
                    uri: "/forms/\(form.id)",
                    method: .post,
                    headers: Self.form.merging(cookieOnly),
                    body: ByteBuffer(string: "version=\(form.version)&action=save&_csrf=wrong")
                ) { response in
                    #expect(response.status == .forbidden)
                }
                try await client.execute(
                    uri: "/api/forms/\(form.id)",
                    method: .put,
                    headers: Self.json.merging(cookieOnly),
                    body: ByteBuffer(string: save)
                ) { response in
                    #expect(response.status == .forbidden)
                }
                // A page upload carries its token as a multipart part.
                let boundary = "XyZ"
                let file =
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.csv\"\r\nContent-Type: text/csv\r\n\r\n\(ImportAPITests.good)\r\n--\(boundary)--\r\n"
                let token =
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(clerk.csrf)\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"snapshot_date\"\r\n\r\n2026-11-23\r\n"
                for (body, expected) in [(file, HTTPResponse.Status.forbidden), (token + file, .seeOther)] {
                    try await client.execute(
                        uri: "/imports",
                        method: .post,
                        headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: clerk.cookie],
                        body: ByteBuffer(string: body)
                    ) { response in
                        #expect(response.status == expected)
                    }
                }
                #expect(try await ReviewService(database: database, policy: .standard).form(id: form.id)?.version == form.version)
                // With the token in the form, the save goes through.
                try await client.execute(
                    uri: "/forms/\(form.id)",
                    method: .post,
                    headers: Self.form.merging(cookieOnly),
                    body: ByteBuffer(string: "version=\(form.version)&action=save&_csrf=\(nurse.csrf)")
                ) { response in
                    #expect(response.status == .seeOther)
                }
                // A bearer token needs no CSRF token (no browser sends it by itself).
                try await client.execute(
                    uri: "/api/forms/\(form.id)",
                    method: .put,
                    headers: Self.json.merging(nurse.bearer),
                    body: ByteBuffer(string: "{\"version\": \(form.version + 1), \"review\": \(completeReviewJSON)}")
                ) { response in
                    #expect(response.status == .ok)
                }
            }
            // Both saves are in the audit trail with who and which patient; reads too.
            let saves = try await AuditTrail(database: database).search(AuditQuery(entityType: "level1_form", entityID: String(form.id)))
            #expect(
                saves.filter { $0.action == "update" || $0.action == "complete" }.map(\.username) == [
                    "token:token-\(nurse.username)", nurse.username,
                ]
            )
            #expect(saves.allSatisfy { $0.caseID == form.caseID && $0.nhsNumber == form.nhsNumber })
            #expect(saves.first?.before?.contains("\"version\": 2") == true)
        }
    }

    @Test func repeatedFailuresLockTheAccount() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.addUser(database, "sister.jones", roles: [RoleGrant(.viewer)])
            try await Self.app(database, { $0.lockoutFailures = 3 }).test(.router) { client in
                for _ in 0..<3 {
                    let response = try await Self.login(client, password: "wrong password here")
                    #expect(response.status == .unauthorized)
                    #expect(String(buffer: response.body).contains("not right"))
                    #expect(Self.sessionID(response) == nil)
                }
                // Locked, even with the right password.
                let locked = try await Self.login(client)
                #expect(locked.status == .tooManyRequests)
                #expect(String(buffer: locked.body).contains("locked"))
                #expect(Self.sessionID(locked) == nil)
            }
            #expect(try await LoginAttemptStore(database: database).failures(username: "sister.jones", within: .seconds(3600)) == 3)
        }
    }

    /// Over a real socket, so failures are counted per peer address too:
    /// one account's failures from an address throttle that account from
    /// there, not everyone else behind the same address.
    @Test func failuresThrottleTheAccountFromThatAddressNotTheWholeAddress() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.addUser(database, "sister.jones", roles: [RoleGrant(.viewer)])
            try await Self.addUser(database, "dr.okafor", roles: [RoleGrant(.viewer)])
            let app = try await Self.app(database, { $0.addressFailureLimit = 2 }, web: .init(host: "127.0.0.1", port: 0))
            try await app.test(.live) { client in
                for user in ["alice", "bob", "carol", "sister.jones", "sister.jones"] {
                    #expect(try await Self.login(client, user: user, password: "guessing the password").status == .unauthorized)
                }
                let throttled = try await Self.login(client)
                #expect(throttled.status == .tooManyRequests)
                #expect(String(buffer: throttled.body).contains("for this account from your network address"))
                // Three other names failed from this address too: another account still signs in.
                #expect(try await Self.login(client, user: "dr.okafor").status == .seeOther)
            }
        }
    }

    @Test func passwordsOutside12To72BytesAreRefusedWithAReason() {
        #expect(Passwords.check("short") == .tooShort)
        #expect(Passwords.check(String(repeating: "é", count: 40)) == .tooLong)
        #expect(Passwords.check(Self.password) == nil)
        #expect(Passwords.Problem.tooLong.description.contains("72 bytes"))
    }

    @Test func secureCookiesUseTheHostPrefix() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.addUser(database, "sister.jones", roles: [RoleGrant(.viewer)])
            try await Self.app(database, { $0.secureCookies = true }).test(.router) { client in
                let response = try await Self.login(client)
                let cookie = try #require(response.headers[values: .setCookie].first)
                #expect(cookie.hasPrefix("__Host-stranded_session="))
                #expect(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
                #expect(response.headers[HTTPField.Name("Strict-Transport-Security")!]?.hasPrefix("max-age=") == true)
            }
        }
    }

    /// Over a real socket, so the peer address is 127.0.0.1.
    @Test(arguments: [true, false])
    func theTrustedHeaderIsAcceptedOnlyFromConfiguredProxies(fromProxy: Bool) async throws {
        try await TestCluster.withDatabase { database in
            try await UserStore(database: database).create(
                username: "sam.patel",
                displayName: "Sam Patel",
                passwordHash: nil,
                roles: [RoleGrant(.viewer)]
            )
            try await PlanService(database: database, policy: .standard).loadSeedPlanIfMissing()
            let app = try await Self.app(
                database,
                {
                    $0.trustedHeader = "X-Forwarded-User"
                    $0.trustedProxies = fromProxy ? ["127.0.0.1"] : ["10.9.9.9"]
                },
                web: .init(host: "127.0.0.1", port: 0)
            )
            try await app.test(.live) { client in
                try await client.execute(uri: "/plan", method: .get, headers: [HTTPField.Name("X-Forwarded-User")!: "sam.patel"]) { response in
                    if fromProxy {
                        #expect(response.status == .ok)
                        #expect(String(buffer: response.body).contains("Signed in as Sam Patel"))
                        #expect(Self.sessionID(response) != nil, "a session carries the CSRF token")
                    } else {
                        #expect(response.status == .seeOther)
                        #expect(response.headers[.location]?.hasPrefix("/login") == true)
                    }
                }
            }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged.append(field) }
        return merged
    }
}
