import Foundation
import Hummingbird
import Store

/// The sign-in form's CSRF token (double submit): `GET /login` sets a random
/// token in a short-lived cookie and in the form's hidden `_csrf` field, and
/// `POST /login` goes ahead only when the two match. Another site can make a
/// browser post the form but cannot read or set the cookie, so it cannot sign
/// the browser in to an account of its choosing (login CSRF).
struct LoginFormToken {
    let secureCookies: Bool

    /// `__Host-` when secure: browsers then refuse the cookie from any other
    /// host, sibling subdomains included.
    var cookieName: String { secureCookies ? "__Host-stranded_login" : "stranded_login" }

    /// The token the browser already holds (another tab's form stays valid), or nil.
    func current(_ request: Request) -> String? {
        guard let value = request.cookies[cookieName]?.value, (20...128).contains(value.count),
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return value
    }

    /// Whether the posted `_csrf` field matches the cookie.
    func accepts(_ request: Request, posted: String) -> Bool {
        guard let expected = current(request) else { return false }
        return AuthMiddleware.constantTimeEqual(posted, expected)
    }

    static func generate() -> String { Secret.generate() }

    /// SameSite=Strict: it is only ever needed by this site's own form. An hour is long enough to type a password.
    func cookie(_ token: String) -> String {
        "\(cookieName)=\(token); Path=/; Max-Age=3600; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }

    func expiredCookie() -> String {
        "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }
}
