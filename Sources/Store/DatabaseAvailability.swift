import Postgres

extension Database {
    /// Whether `error` says the database could not be reached (down,
    /// restarting, every pooled connection busy or gone) rather than that a
    /// request was at fault: the same request may well succeed in a minute,
    /// so the web layer answers 503, not 500.
    public static func isUnavailable(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError else { return false }
        switch error.kind {
        case .connectionFailed, .connectionLost, .poolTimeout, .poolClosed:
            return true
        default:
            // Class 57P: the server is shutting down or not yet accepting connections.
            return error.sqlState?.hasPrefix("57P") ?? false
        }
    }
}
