/// An advisory lock's key: a text key hashed here (FNV-1a, 64 bits), so a
/// transaction can take its locks in the round trip that begins it
/// (``PostgresConnection/transaction(isolation:advisoryLocks:_:)``). The same
/// text gives the same key in every process, so several servers lock alike.
public struct PostgresAdvisoryKey: Hashable, Sendable {
    public let value: Int64

    public init(_ text: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        value = Int64(bitPattern: hash)
    }
}

extension PostgresConnection {
    /// Takes a session-level advisory lock on `key` (hashed by the server),
    /// waiting for it; runs `body`; releases it.
    ///
    /// Used where two processes must not do the same thing at once
    /// (migrations). The lock belongs to this connection's session.
    public func withAdvisoryLock<T>(_ key: String, _ body: () async throws -> T) async throws -> T {
        try await execute("SELECT pg_advisory_lock(hashtextextended(\(key), 0))")
        do {
            let value = try await body()
            try await execute("SELECT pg_advisory_unlock(hashtextextended(\(key), 0))")
            return value
        } catch {
            _ = try? await execute("SELECT pg_advisory_unlock(hashtextextended(\(key), 0))")
            throw error
        }
    }

    /// Tries a session-level advisory lock without waiting. Release with `advisoryUnlock`.
    public func tryAdvisoryLock(_ key: String) async throws -> Bool {
        let rows = try await query("SELECT pg_try_advisory_lock(hashtextextended(\(key), 0)) AS locked")
        return try rows[0].decode("locked")
    }

    @discardableResult
    public func advisoryUnlock(_ key: String) async throws -> Bool {
        let rows = try await query("SELECT pg_advisory_unlock(hashtextextended(\(key), 0)) AS unlocked")
        return try rows[0].decode("unlocked")
    }

    /// Tries a transaction-level advisory lock: held until the transaction
    /// ends, so it cannot leak. Call inside `transaction { }`. This is how a
    /// scheduled job runs exactly once across several daemons.
    public func tryAdvisoryTransactionLock(_ key: String) async throws -> Bool {
        let rows = try await query("SELECT pg_try_advisory_xact_lock(hashtextextended(\(key), 0)) AS locked")
        return try rows[0].decode("locked")
    }

    /// Sends a notification (`pg_notify`, so channel and payload are parameters).
    public func notify(channel: String, payload: String = "") async throws {
        try await execute("SELECT pg_notify(\(channel), \(payload))")
    }
}
