import HummingbirdBcrypt
import NIOPosix
import Store

/// Password rules and hashing (DESIGN.md §7): bcrypt at cost ≥ 12, run on
/// NIO's blocking thread pool (a hash takes ~0.25 s of CPU and must not hold
/// a cooperative-pool thread); bcrypt reads only 72 bytes, so longer
/// passwords are refused rather than silently truncated.
public enum Passwords {
    public static let minimumCharacters = 12
    public static let maximumBytes = 72

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case tooShort
        case tooLong

        public var description: String {
            switch self {
            case .tooShort:
                "the password must be at least \(Passwords.minimumCharacters) characters long; a short phrase of several words is easy to remember"
            case .tooLong:
                "the password must be at most \(Passwords.maximumBytes) bytes (UTF-8): bcrypt ignores anything longer; use a shorter phrase"
            }
        }
    }

    /// Why `password` may not be used, if it may not.
    public static func check(_ password: String) -> Problem? {
        if password.count < minimumCharacters { return .tooShort }
        if password.utf8.count > maximumBytes { return .tooLong }
        return nil
    }

    /// The bcrypt hash, computed off the cooperative pool.
    public static func hash(_ password: String, cost: UInt8 = 12) async throws -> String {
        if let problem = check(password) { throw problem }
        let cost = max(cost, 12)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with no hash (unknown user) a
    /// dummy hash is checked anyway, so timing does not tell whether a user exists.
    public static func verify(_ password: String, hash: String?) async throws -> Bool {
        guard password.utf8.count <= maximumBytes else { return false }
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash ?? dummyHash) }
        return hash != nil && matches
    }

    /// A cost-12 hash of a random string nobody knows (made once, on the thread pool).
    static let dummyHash = Bcrypt.hash(Secret.generate(), cost: 12)
}
