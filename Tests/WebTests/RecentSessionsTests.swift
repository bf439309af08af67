import Foundation
import Testing

@testable import Store
@testable import Web

/// A remembered session is trusted (and checked with the request's first
/// statement) only for the touch interval after it was read: then it is read
/// again, with the touch that keeps a session in use from idling out.
@Suite("Sessions remembered for one touch interval")
struct RecentSessionsTests {
    static let session = SessionRecord(
        idHash: "hash",
        csrfToken: "csrf",
        user: UserRecord(
            id: 1, username: "sister.jones", displayName: "Sister Jones", disabled: false, hasPassword: true,
            createdAt: Date(timeIntervalSince1970: 0), roles: []),
        accessRevision: 7
    )

    @Test func aSessionIsGivenBackOnlyWithinItsInterval() {
        let sessions = RecentSessions(freshFor: .seconds(15))
        let read = ContinuousClock.now
        sessions.remember(Self.session, for: "id", now: read)
        #expect(sessions.session(for: "id", now: read) == Self.session)
        #expect(sessions.session(for: "id", now: read + .seconds(14)) == Self.session)
        #expect(sessions.session(for: "id", now: read + .seconds(15)) == nil)
        #expect(sessions.session(for: "other", now: read) == nil)
        // Read again: trusted for another interval from then.
        sessions.remember(Self.session, for: "id", now: read + .seconds(20))
        #expect(sessions.session(for: "id", now: read + .seconds(30)) == Self.session)
        sessions.forget("id")
        #expect(sessions.session(for: "id", now: read + .seconds(30)) == nil)
    }
}
