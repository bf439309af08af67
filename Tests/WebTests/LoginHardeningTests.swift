import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Store
import TestSupport
import Testing

@testable import Web

/// Sign-in against hostile input: where `next` may send the browser, login
/// CSRF, and whose failures count against whom behind a proxy.
@Suite("Sign-in: redirect target, login CSRF, client address")
struct LoginHardeningTests {
    static let hostileNext = [
        "/\t/evil.example", "/%09/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/%0d%0a/evil.example",
        "//evil.example", "///evil.example", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
        "/%5Cevil.example", "/%2F/evil.example", "%2F%2Fevil.example", "https://evil.example/", "http:evil.example",
        "javascript:alert(1)", "evil.example", "", " /wards", "/ /evil.example", "/\u{0}/evil.example", "/\u{7F}/evil.example",
        "/\u{3000}/evil.example", "/\u{FF0F}evil.example", "/.//evil.example", "/./evil.example", "/wards/..//evil.example",
        "/wards//evil.example", "/x\u{2028}/evil.example", String(repeating: "/a", count: 2000),
    ]

    @Test(arguments: hostileNext)
    func nextThatCouldLeaveTheSiteBecomesTheStartPage(_ next: String) {
        #expect(RedirectTarget.localPath(next) == "/")
    }

    @Test(arguments: ["/", "/wards", "/plan/due?x=1", "/wards/3?week=2026-11-16", "/plan/", "/forms/12#q2", "/admin/audit?case=C-000123"])
    func plainPathsOnThisSiteAreKept(_ next: String) {
        #expect(RedirectTarget.localPath(next) == next)
    }

    /// Through the real form: the tab case that browsers follow to another host.
    @Test func signingInWithAHostileNextLandsOnTheStartPage() async throws {
        try await TestCluster.withDatabase { database in
            try await AuthSessionTests.addUser(database, "sister.jones", roles: [RoleGrant(.viewer)])
            try await AuthSessionTests.app(database).test(.router) { client in
                for next in ["/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example"] {
                    let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                    let response = try await AuthSessionTests.login(client, next: encoded)
                    #expect(response.status == .seeOther, "\(next)")
                    #expect(response.headers[.location] == "/", "\(next)")
                    try await client.execute(uri: "/login?next=\(encoded)", method: .get) { page in
                        #expect(String(buffer: page.body).contains("name=\"next\" value=\"/\""), "\(next)")
                    }
                }
            }
        }
    }

    @Test func signInWithoutTheFormsTokenIsRefusedAndWithItSucceeds() async throws {
        try await TestCluster.withDatabase { database in
            try await AuthSessionTests.addUser(database, "sister.jones", roles: [RoleGrant(.viewer)])
            try await AuthSessionTests.app(database).test(.router) { client in
                let (cookie, csrf) = try await AuthSessionTests.loginForm(client)
                #expect(cookie.hasPrefix("stranded_login=") && csrf.count > 20)
                let credentials = "username=sister.jones&password=correct+horse+battery&next=%2Fwards"
                // Another site's form posts the right credentials but cannot know the token, nor set the cookie.
                let forged: [(cookie: String?, body: String)] = [
                    (nil, credentials),
                    (nil, credentials + "&_csrf=" + csrf),
                    (cookie, credentials),
                    (cookie, credentials + "&_csrf=wrong-" + csrf),
                    ("stranded_login=" + csrf + "x", credentials + "&_csrf=" + csrf),
                ]
                for (sentCookie, body) in forged {
                    var headers = AuthSessionTests.form
                    if let sentCookie { headers[.cookie] = sentCookie }
                    let response = try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: body))
                    #expect(response.status == .forbidden, "\(sentCookie ?? "no cookie") \(body)")
                    #expect(AuthSessionTests.sessionID(response) == nil)
                    let html = String(buffer: response.body)
                    #expect(html.contains("CSRF check failed") && html.contains("name=\"_csrf\""))
                }
                let response = try await client.execute(
                    uri: "/login",
                    method: .post,
                    headers: AuthSessionTests.form.merging([.cookie: cookie]),
                    body: ByteBuffer(string: credentials + "&_csrf=\(csrf)")
                )
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/wards")
                #expect(AuthSessionTests.sessionID(response) != nil)
                #expect(response.headers[values: .setCookie].contains { $0.hasPrefix("stranded_login=;") && $0.contains("Max-Age=0") })
            }
            #expect(try await AuditTrail(database: database).search(AuditQuery(username: "sister.jones", action: "login")).count == 1)
        }
    }

    @Test func theClientAddressComesFromXForwardedForOnlyThroughATrustedProxy() {
        let proxies = ["10.0.0.1", "10.0.0.2"]
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["192.0.2.7"], trustedProxies: proxies) == "192.0.2.7")
        // The client may send its own header: only what the proxies appended counts.
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4, 192.0.2.7, 10.0.0.2"], trustedProxies: proxies) == "192.0.2.7")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4", "192.0.2.7"], trustedProxies: proxies) == "192.0.2.7")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["2001:db8::7"], trustedProxies: proxies) == "2001:db8::7")
        // Anyone else's header is ignored.
        #expect(ClientAddress.resolve(peer: "192.0.2.9", forwardedFor: ["10.9.9.9"], trustedProxies: proxies) == "192.0.2.9")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [], trustedProxies: proxies) == "10.0.0.1")
        // Garbage in the chain: only the proxy is known.
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["<script>"], trustedProxies: proxies) == "10.0.0.1")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["192.0.2.7, unknown"], trustedProxies: proxies) == "10.0.0.1")
    }

    /// Behind a trusted proxy (the test's own socket peer, 127.0.0.1) failures
    /// count per account and forwarded client; a forged header from an
    /// untrusted peer changes nothing.
    @Test(arguments: [true, false])
    func failuresBehindAProxyCountPerAccountAndClient(trusted: Bool) async throws {
        try await TestCluster.withDatabase { database in
            try await AuthSessionTests.addUser(database, "sister.jones", roles: [RoleGrant(.viewer)])
            let app = try await AuthSessionTests.app(
                database,
                {
                    $0.addressFailureLimit = 2
                    $0.trustedProxies = trusted ? ["127.0.0.1"] : ["10.9.9.9"]
                },
                web: .init(host: "127.0.0.1", port: 0)
            )
            let ward: HTTPFields = [ClientAddress.forwardedFor: "192.0.2.10"]
            let office: HTTPFields = [ClientAddress.forwardedFor: "192.0.2.20"]
            try await app.test(.live) { client in
                for _ in 0..<2 {
                    #expect(try await AuthSessionTests.login(client, password: "guessing the password", extraHeaders: ward).status == .unauthorized)
                }
                #expect(try await AuthSessionTests.login(client, extraHeaders: ward).status == .tooManyRequests)
                let fromOffice = try await AuthSessionTests.login(client, extraHeaders: office)
                #expect(fromOffice.status == (trusted ? .seeOther : .tooManyRequests))
            }
            let addresses = try await database.client.query("SELECT DISTINCT client_address FROM login_attempt ORDER BY 1")
                .map { try $0.decode("client_address", as: String.self) }
            #expect(addresses == (trusted ? ["192.0.2.10", "192.0.2.20"] : ["127.0.0.1"]))
        }
    }
}
