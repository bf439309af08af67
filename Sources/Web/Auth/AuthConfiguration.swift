import Foundation

/// How sign-in behaves (DESIGN.md §7), from `STRANDED_*` environment variables.
public struct AuthConfiguration: Sendable {
    /// `Secure` cookies with the `__Host-` prefix (`STRANDED_SECURE_COOKIES=1`);
    /// required whenever the service is reached over HTTPS.
    public var secureCookies: Bool
    /// Idle timeout (`STRANDED_SESSION_IDLE_MINUTES`, default 30).
    public var idleTimeout: Duration
    /// Absolute session lifetime (`STRANDED_SESSION_HOURS`, default 12).
    public var absoluteLifetime: Duration
    /// Trusted-header single sign-on: the header a proxy puts the user name in
    /// (`STRANDED_TRUSTED_HEADER`, e.g. `X-Forwarded-User`) …
    public var trustedHeader: String?
    /// … accepted only from these peer addresses (`STRANDED_TRUSTED_PROXIES`,
    /// comma-separated IPs), which are also the only peers whose
    /// `X-Forwarded-For` names the client (``ClientAddress``).
    public var trustedProxies: [String]
    /// bcrypt cost (at least 12).
    public var bcryptCost: UInt8
    /// Failed logins for one account within 15 minutes before it is locked
    /// for 15 minutes (`STRANDED_LOCKOUT_FAILURES`, default 10) …
    public var lockoutFailures: Int
    public var lockoutWindow: Duration
    /// … and never more than this many failures per account per hour.
    public var hourlyFailureCap: Int
    /// Failed logins for one account from one client address within the
    /// lockout window before that pair is throttled (other accounts from the
    /// same address, e.g. a whole hospital behind one proxy, are not).
    public var addressFailureLimit: Int
    /// Refused requests (403, 404) of one user recorded in the audit trail
    /// per minute; more are counted, not recorded (``RefusalAudit``).
    public var refusalAuditLimit = 20

    public init(
        secureCookies: Bool = false,
        idleTimeout: Duration = .seconds(30 * 60),
        absoluteLifetime: Duration = .seconds(12 * 3600),
        trustedHeader: String? = nil,
        trustedProxies: [String] = [],
        bcryptCost: UInt8 = 12,
        lockoutFailures: Int = 10,
        lockoutWindow: Duration = .seconds(15 * 60),
        hourlyFailureCap: Int = 100,
        addressFailureLimit: Int = 50
    ) {
        self.secureCookies = secureCookies
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
        self.trustedHeader = trustedHeader
        self.trustedProxies = trustedProxies
        self.bcryptCost = max(12, bcryptCost)
        self.lockoutFailures = min(lockoutFailures, hourlyFailureCap)
        self.lockoutWindow = lockoutWindow
        self.hourlyFailureCap = min(hourlyFailureCap, 100)
        self.addressFailureLimit = addressFailureLimit
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> AuthConfiguration {
        var configuration = AuthConfiguration()
        configuration.secureCookies = ["1", "true", "yes"].contains(environment["STRANDED_SECURE_COOKIES"]?.lowercased() ?? "")
        if let minutes = environment["STRANDED_SESSION_IDLE_MINUTES"].flatMap(Int.init), minutes > 0 {
            configuration.idleTimeout = .seconds(minutes * 60)
        }
        if let hours = environment["STRANDED_SESSION_HOURS"].flatMap(Int.init), hours > 0 {
            configuration.absoluteLifetime = .seconds(hours * 3600)
        }
        if let header = environment["STRANDED_TRUSTED_HEADER"], !header.isEmpty {
            configuration.trustedHeader = header
        }
        configuration.trustedProxies = (environment["STRANDED_TRUSTED_PROXIES"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let failures = environment["STRANDED_LOCKOUT_FAILURES"].flatMap(Int.init), failures > 0 {
            configuration.lockoutFailures = min(failures, configuration.hourlyFailureCap)
        }
        return configuration
    }

    /// The session cookie's name: `__Host-` makes browsers insist on Secure,
    /// Path=/ and no Domain, so a sibling host cannot plant one.
    public var cookieName: String { secureCookies ? "__Host-stranded_session" : "stranded_session" }
}
