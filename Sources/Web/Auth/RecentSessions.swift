import Store
import Synchronization

/// Sessions this process has read lately, by the session id in the cookie.
///
/// A page request whose session is here goes ahead on it and has it checked
/// in the same round trip as its first statement
/// (``SessionStore/whileUnchanged(_:id:idleTimeout:_:)``), so nothing here is
/// ever trusted on its own: a session signed out, expired, disabled or
/// changed on any server is refused as at once as before. Bounded: when full,
/// an arbitrary entry makes room (it is read afresh on its next request).
///
/// That check does not touch the session's last-seen time, so a session is
/// given back only for `freshFor` after it was read (the touch interval):
/// after that its next request reads it again with the touch, and a session
/// in use never idles out.
final class RecentSessions: Sendable {
    private let sessions = Mutex<[String: (session: SessionRecord, read: ContinuousClock.Instant)]>([:])
    /// A few hundred bytes each: a few MB at most, for a hospital's staff.
    private let capacity = 10_000
    private let freshFor: Duration

    init(freshFor: Duration) {
        self.freshFor = freshFor
    }

    func session(for id: String, now: ContinuousClock.Instant = .now) -> SessionRecord? {
        sessions.withLock { sessions in
            guard let entry = sessions[id], now - entry.read < freshFor else { return nil }
            return entry.session
        }
    }

    func remember(_ session: SessionRecord, for id: String, now: ContinuousClock.Instant = .now) {
        sessions.withLock { sessions in
            if sessions.count >= capacity, sessions[id] == nil { sessions.remove(at: sessions.startIndex) }
            sessions[id] = (session, now)
        }
    }

    func forget(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
