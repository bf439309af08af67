/// An error from PostgreSQL, libpq or the pool.
///
/// `description` never contains query parameters nor the server's DETAIL
/// field, because both can hold patient data (e.g. "Key (nhs_number)=(…)
/// already exists"); `detail` stays available to code that needs it and
/// `debugDescription` prints everything for local debugging.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// SQLSTATE 23505.
        case uniqueViolation
        /// SQLSTATE 23503.
        case foreignKeyViolation
        /// SQLSTATE 40001: the transaction may be retried.
        case serializationFailure
        /// SQLSTATE 40P01: the transaction may be retried.
        case deadlockDetected
        /// SQLSTATE 23502, 23514 and other integrity violations (class 23).
        case integrityViolation
        /// SQLSTATE 57014: cancelled by the client or a statement timeout.
        case queryCanceled
        /// Any other error the server reported.
        case server
        /// The connection could not be opened.
        case connectionFailed
        /// The connection broke while in use (server restart, network).
        case connectionLost
        /// No pooled connection became free within the pool's timeout.
        case poolTimeout
        /// The pool was closed.
        case poolClosed
        /// A value in a result could not be decoded to the requested type.
        case decoding
        /// The client used the API wrongly (e.g. unknown column name).
        case client
    }

    public let kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    public let sqlState: String?
    public let message: String
    public let detail: String?
    public let hint: String?
    public let constraint: String?

    public init(
        kind: Kind,
        sqlState: String? = nil,
        message: String,
        detail: String? = nil,
        hint: String? = nil,
        constraint: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    /// Maps a server SQLSTATE to its kind.
    static func kind(forSQLState state: String?) -> Kind {
        switch state {
        case "23505": return .uniqueViolation
        case "23503": return .foreignKeyViolation
        case "40001": return .serializationFailure
        case "40P01": return .deadlockDetected
        case "57014": return .queryCanceled
        case let s? where s.hasPrefix("23"): return .integrityViolation
        case let s? where s.hasPrefix("08"): return .connectionLost
        default: return .server
        }
    }

    /// True for the failures a caller may resolve by running the transaction again.
    public var isRetryable: Bool {
        kind == .serializationFailure || kind == .deadlockDetected
    }

    public var description: String {
        var text = "PostgreSQL"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }
}
