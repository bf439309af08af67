import Synchronization

extension PostgresClient {
    /// Runs `body` with `precondition` as a statement that must pass before
    /// any other statement of `body` on this client has an effect, at the
    /// cost of no round trip of its own when `body` runs any statement.
    ///
    /// The first statement `body` runs through ``query(_:)`` or
    /// ``execute(_:)`` carries the precondition with it, in one round trip and
    /// one transaction (``PostgresConnection/query(_:after:)``); statements
    /// started meanwhile, transactions and leased connections wait for its
    /// outcome. If `body` runs none, the precondition runs alone at the end.
    /// Either way, when the precondition fails (raises an error) nothing of
    /// `body`'s that depended on it ran, and this throws the precondition's
    /// error, even if `body` caught it or returned a value.
    ///
    /// What it is for: a request checks that the session it speculatively
    /// trusted is still live and unchanged in the same round trip as its
    /// first read, instead of one round trip before it.
    public func withPrecondition<T>(_ precondition: PostgresQuery, _ body: () async throws -> T) async throws -> T {
        let pending = PendingPrecondition(client: ObjectIdentifier(self), statement: precondition)
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await PendingPrecondition.$current.withValue(pending) { try await body() })
        } catch {
            outcome = .failure(error)
        }
        try await settle(pending)
        return try outcome.get()
    }

    /// The precondition this client must honour in the current task, if any.
    var pendingPrecondition: PendingPrecondition? {
        guard let pending = PendingPrecondition.current, pending.client == ObjectIdentifier(self) else { return nil }
        return pending
    }

    /// Runs `query`, carrying the task's pending precondition if no statement has yet.
    func queryHonouringPrecondition(_ query: PostgresQuery) async throws -> PostgresRows {
        guard let pending = pendingPrecondition, let precondition = pending.claim() else {
            try await settlePendingPrecondition()
            return try await withLeasedConnection { try await $0.query(query) }
        }
        return try await carrying(pending) { connection in
            do {
                return try await connection.query(query, after: precondition)
            } catch let failure as PostgresPreconditionFailure {
                throw failure
            } catch {
                // The precondition passed; the statement after it failed.
                pending.finish(nil)
                throw error
            }
        }
    }

    /// Runs `body` in a transaction, whose `BEGIN` carries the task's pending
    /// precondition if no statement has yet.
    func transactionHonouringPrecondition<T>(
        isolation: PostgresConnection.IsolationLevel,
        advisoryLocks: [PostgresAdvisoryKey],
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        guard let pending = pendingPrecondition, let precondition = pending.claim() else {
            try await settlePendingPrecondition()
            return try await withLeasedConnection { try await $0.transaction(isolation: isolation, advisoryLocks: advisoryLocks, body) }
        }
        return try await carrying(pending) { connection in
            try await connection.transaction(isolation: isolation, advisoryLocks: advisoryLocks, after: precondition) { connection in
                // Begun, the precondition passed: the work goes on, and so may everyone else's.
                pending.finish(nil)
                return try await body(connection)
            }
        }
    }

    /// Runs `work`, which sends the claimed precondition, on a leased
    /// connection and records the precondition's outcome: failed when `work`
    /// throws ``PostgresPreconditionFailure`` or anything before it recorded
    /// a pass (no connection: nothing reached the server), else passed.
    private func carrying<T>(_ pending: PendingPrecondition, _ work: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            let value = try await withLeasedConnection(work)
            pending.finish(nil)
            return value
        } catch let failure as PostgresPreconditionFailure {
            pending.finish(failure.underlying)
            throw failure.underlying
        } catch {
            pending.finish(error)
            throw error
        }
    }

    /// Settles the task's pending precondition before work that cannot carry it.
    func settlePendingPrecondition() async throws {
        if let pending = pendingPrecondition { try await settle(pending) }
    }

    /// Runs the precondition alone unless a statement already carried it,
    /// then returns or throws its outcome.
    private func settle(_ pending: PendingPrecondition) async throws {
        if let precondition = pending.claim() {
            do {
                _ = try await withLeasedConnection { try await $0.query(precondition) }
                pending.finish(nil)
            } catch {
                pending.finish(error)
            }
        }
        try await pending.outcome()
    }
}

/// A precondition statement and what became of it: not yet sent, on its
/// way with a statement, passed, or failed. Statements of the same work
/// wait on it (``outcome()``) until it has passed.
final class PendingPrecondition: Sendable {
    @TaskLocal static var current: PendingPrecondition?

    let client: ObjectIdentifier
    private let statement: PostgresQuery
    private let state = Mutex(State.pending)

    private enum State {
        case pending
        case sent(waiters: [CheckedContinuation<Void, any Error>])
        case passed
        case failed(any Error)
    }

    init(client: ObjectIdentifier, statement: PostgresQuery) {
        self.client = client
        self.statement = statement
    }

    /// The statement, to the one caller that sends it; nil once someone has.
    func claim() -> PostgresQuery? {
        state.withLock { state in
            guard case .pending = state else { return nil }
            state = .sent(waiters: [])
            return statement
        }
    }

    /// Records the outcome (nil: passed) and wakes whoever waits for it.
    /// The first outcome recorded stands: a statement that fails after its
    /// precondition passed does not undo the pass.
    func finish(_ error: (any Error)?) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>]? in
            guard case .sent(let waiting) = state else { return nil }
            state = error.map { .failed($0) } ?? .passed
            return waiting
        }
        for waiter in waiters ?? [] {
            if let error { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }

    /// Returns once the precondition has passed; throws its error if it failed.
    /// Must only be called after someone has claimed it.
    func outcome() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let settled = state.withLock { state -> Result<Void, any Error>? in
                switch state {
                case .pending:
                    return .failure(PostgresError(kind: .client, message: "a precondition was awaited before it was sent"))
                case .sent(let waiters):
                    state = .sent(waiters: waiters + [continuation])
                    return nil
                case .passed:
                    return .success(())
                case .failed(let error):
                    return .failure(error)
                }
            }
            if let settled { continuation.resume(with: settled) }
        }
    }
}
