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
final class RecentSessions: Sendable {
    private let sessions = Mutex<[String: SessionRecord]>([:])
    /// A few hundred bytes each: a few MB at most, for a hospital's staff.
    private let capacity = 10_000

    func session(for id: String) -> SessionRecord? {
        sessions.withLock { $0[id] }
    }

    func remember(_ session: SessionRecord, for id: String) {
        sessions.withLock { sessions in
            if sessions.count >= capacity, sessions[id] == nil { sessions.remove(at: sessions.startIndex) }
            sessions[id] = session
        }
    }

    func forget(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
