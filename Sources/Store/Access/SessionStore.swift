import Foundation
import Postgres

/// Random secrets (session ids, CSRF and API tokens): 256 bits from the
/// system's CSPRNG, base64url without padding.
public enum Secret {
    public static func generate(bytes count: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// A signed-in browser session, resolved from its cookie.
public struct SessionRecord: Sendable, Equatable {
    /// SHA-256 of the session id, hex: what the database and the audit trail hold.
    public let idHash: String
    public let csrfToken: String
    public let user: UserRecord
    /// The user's access revision when read (``SessionStore/resolve(id:idleTimeout:)``):
    /// it moves with any change to the user or their roles (migration 0047),
    /// and ``SessionStore/whileUnchanged(_:id:idleTimeout:_:)`` compares it
    /// with the user as they are now; nil for a session just created.
    public let accessRevision: Int64?
}

/// The session trusted by ``SessionStore/whileUnchanged(_:id:idleTimeout:_:)``
/// has ended (signed out, expired, idle) or changed (its user's roles, name
/// or status) since it was read: nothing was done on its behalf.
public struct SessionChanged: Error, Sendable {}

/// Server-side sessions (`user_session`). Only a hash of the session id is
/// stored; the id itself lives in the user's cookie.
public struct SessionStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Starts a session for `userID`, returning the session id for the cookie
    /// (always a new one: a session id is never carried across a login).
    public func create(userID: Int64, clientAddress: String?, absoluteLifetime: Duration) async throws -> (id: String, record: SessionRecord) {
        let id = Secret.generate()
        let csrf = Secret.generate()
        let hash: String = try await database.client.query(
            """
            INSERT INTO user_session (id_hash, user_id, csrf_token, client_address, expires_at)
            VALUES (encode(sha256(convert_to(\(id), 'UTF8')), 'hex'), \(userID), \(csrf), \(clientAddress),
                    now() + make_interval(secs => \(Double(absoluteLifetime.components.seconds))))
            RETURNING id_hash
            """
        )[0].decode("id_hash")
        guard let user = try await UserStore(database: database).user(id: userID) else { throw AccessError.unknownUser("#\(userID)") }
        return (id, SessionRecord(idHash: hash, csrfToken: csrf, user: user, accessRevision: nil))
    }

    /// The live session with this id, touching its last-seen time; nil when
    /// unknown, expired (absolute or idle) or its user is disabled.
    ///
    /// The touch is written only when the last one is older than
    /// ``touchInterval(idleTimeout:)`` (15 s with the default 30 minutes):
    /// otherwise every request of a busy user (several tabs, a ward tablet
    /// refreshing) would write and lock the same row, queueing their requests
    /// behind each other. The session is still read on every request, so a
    /// signed-out, deleted or disabled session is refused at once; only idle
    /// expiry can come earlier, by up to twice that interval (a process
    /// trusts a read for one interval, ``whileUnchanged(_:id:idleTimeout:_:)``,
    /// and the read may have found a touch almost that old), never later.
    public func resolve(id: String, idleTimeout: Duration) async throws -> SessionRecord? {
        let query: PostgresQuery =
            """
            WITH \(fragment: Self.liveSession(id: id, idleTimeout: idleTimeout)), touch_without_waiting AS (
                -- The touch is the only write here: its commit need not wait
                -- for the disk. A crash could lose the last moments' touches
                -- (a session then idles out a little early); a revoked or
                -- expired session is refused all the same, since what is read
                -- is what is committed.
                SELECT set_config('synchronous_commit', 'off', true) AS setting
            )
            SELECT live.* FROM live CROSS JOIN touch_without_waiting
            """
        // Every request runs it: planned once per connection.
        let rows = try await database.client.query(query.prepared)
        guard let row = rows.first else { return nil }
        return SessionRecord(
            idHash: try row.decode("id_hash"),
            csrfToken: try row.decode("csrf_token"),
            user: try UserStore.user(row),
            accessRevision: try row.decode("access_revision")
        )
    }

    /// Runs `body` on behalf of `session`, read earlier by
    /// ``resolve(id:idleTimeout:)``, without reading it again first.
    ///
    /// The session is read again as `resolve` would, but in the same round
    /// trip and transaction as the first statement `body` runs
    /// (``PostgresClient/withPrecondition(_:_:)``): when the session has
    /// ended or is no longer what `session` says, that statement and every
    /// later one of `body`'s never runs, and this throws ``SessionChanged``.
    /// So a request trusting `session` does exactly what it would have done
    /// had it read the session first, one round trip sooner.
    ///
    /// It does not touch the last-seen time: a touch is a write, and its
    /// update in every request's check (even one with nothing due) more than
    /// doubled the check's cost. The caller trusts a session read by
    /// `resolve` for at most ``touchInterval(idleTimeout:)`` and then reads
    /// it again with `resolve`, which touches it when due.
    public func whileUnchanged<T>(_ session: SessionRecord, id: String, idleTimeout: Duration, _ body: () async throws -> T) async throws -> T {
        guard let revision = session.accessRevision else { throw SessionChanged() }
        // Live (not signed out, expired or idle), its user enabled and
        // unchanged: the user's revision stands for their name, status and
        // roles, so nothing of theirs is read or aggregated here.
        let check: PostgresQuery =
            """
            SELECT session_unchanged(EXISTS (
                SELECT 1 FROM user_session s JOIN app_user u ON u.id = s.user_id
                WHERE s.id_hash = encode(sha256(convert_to(\(id), 'UTF8')), 'hex')
                  AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => \(Double(idleTimeout.components.seconds)))
                  AND u.id = \(session.user.id) AND NOT u.disabled AND u.access_revision = \(revision)
            )) AS unchanged
            """
        do {
            return try await database.client.withPrecondition(check.prepared, body)
        } catch let error as PostgresError where error.sqlState == Self.sessionChangedState {
            throw SessionChanged()
        }
    }

    /// What `session_unchanged` (migration 0044) raises.
    static let sessionChangedState = "SE001"

    /// The session with this id while it is live (neither expired nor idle
    /// for `idleTimeout`) with its user, unless disabled, as the common table
    /// expression `live`; its last-seen time is touched in passing
    /// (``touchInterval(idleTimeout:)``).
    private static func liveSession(id: String, idleTimeout: Duration) -> PostgresQuery {
        let idle = Double(idleTimeout.components.seconds)
        return """
            found AS (
                SELECT id_hash, user_id, csrf_token, last_seen_at FROM user_session
                WHERE id_hash = encode(sha256(convert_to(\(id), 'UTF8')), 'hex')
                  AND expires_at > now() AND last_seen_at > now() - make_interval(secs => \(idle))
            ), touched AS (
                -- The touch waits for no one: a request whose transaction
                -- holds the row (touching it, then saving a form) is touching
                -- it already, and waiting for it would queue every other
                -- request of the session behind that whole transaction.
                UPDATE user_session t SET last_seen_at = now()
                FROM (SELECT u.id_hash FROM user_session u JOIN found ON u.id_hash = found.id_hash
                      WHERE found.last_seen_at <= now() - make_interval(secs => \(Self.touchInterval(idleTimeout: idleTimeout)))
                      FOR UPDATE OF u SKIP LOCKED) due
                WHERE t.id_hash = due.id_hash
                RETURNING t.id_hash
            ), live AS (
                SELECT s.id_hash, s.csrf_token, u.id, u.username, u.display_name, u.disabled,
                       u.password_hash IS NOT NULL AS has_password, u.created_at, u.access_revision,
                       COALESCE((SELECT jsonb_agg(jsonb_build_object('role', r.role, 'scope', to_jsonb(r.scope)) ORDER BY r.role)
                                 FROM user_role r WHERE r.user_id = u.id), '[]'::jsonb) AS roles
                FROM found s JOIN app_user u ON u.id = s.user_id
                WHERE NOT u.disabled
            )
            """
    }

    /// How stale a session's last-seen time may get before a request writes
    /// it again: 1/120 of the idle timeout, at most 15 s.
    public static func touchInterval(idleTimeout: Duration) -> Double {
        min(15, Double(idleTimeout.components.seconds) / 120)
    }

    /// Ends a session (logout): the cookie is worthless afterwards.
    public func delete(idHash: String) async throws {
        try await database.client.execute("DELETE FROM user_session WHERE id_hash = \(idHash)")
    }

    /// Ends the session with this id, if any (a login replacing an old session).
    public func delete(id: String) async throws {
        try await database.client.execute("DELETE FROM user_session WHERE id_hash = encode(sha256(convert_to(\(id), 'UTF8')), 'hex')")
    }

    /// Removes expired sessions; returns how many.
    @discardableResult
    public func purgeExpired(idleTimeout: Duration) async throws -> Int {
        try await database.client.execute(
            """
            DELETE FROM user_session
            WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => \(Double(idleTimeout.components.seconds)))
            """
        )
    }
}

/// Login attempts (`login_attempt`), counted in the database so limits hold
/// across replicas.
public struct LoginAttemptStore: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func record(username: String, clientAddress: String?, succeeded: Bool) async throws {
        try await database.client.execute(
            """
            INSERT INTO login_attempt (username, client_address, succeeded) VALUES (\(username), \(clientAddress), \(succeeded))
            """
        )
    }

    /// Failed attempts for `username` in the last `window`, since its last successful login.
    public func failures(username: String, within window: Duration) async throws -> Int {
        try await database.client.query(
            """
            SELECT count(*) AS n FROM login_attempt
            WHERE username = \(username) AND NOT succeeded
              AND attempted_at > now() - make_interval(secs => \(Double(window.components.seconds)))
              AND attempted_at > COALESCE((SELECT max(attempted_at) FROM login_attempt WHERE username = \(username) AND succeeded), '-infinity')
            """
        )[0].decode("n")
    }

    /// Failed attempts for `username` in the last `window`, successes notwithstanding (the hourly cap).
    public func allFailures(username: String, within window: Duration) async throws -> Int {
        try await database.client.query(
            """
            SELECT count(*) AS n FROM login_attempt
            WHERE username = \(username) AND NOT succeeded AND attempted_at > now() - make_interval(secs => \(Double(window.components.seconds)))
            """
        )[0].decode("n")
    }

    /// Forgets attempts older than `age` (longer than any limit's window).
    public func purge(olderThan age: Duration) async throws {
        try await database.client.execute(
            """
            DELETE FROM login_attempt WHERE attempted_at < now() - make_interval(secs => \(Double(age.components.seconds)))
            """
        )
    }

    /// Failed attempts for `username` from `address` in the last `window`.
    /// Counted per pair, not per address: behind a proxy or a hospital's NAT
    /// one address is everyone, and one person's guessing must not lock the rest out.
    public func failures(username: String, address: String, within window: Duration) async throws -> Int {
        try await database.client.query(
            """
            SELECT count(*) AS n FROM login_attempt
            WHERE username = \(username) AND client_address = \(address) AND NOT succeeded
              AND attempted_at > now() - make_interval(secs => \(Double(window.components.seconds)))
            """
        )[0].decode("n")
    }
}
