import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// A bounded pool of connections to one database.
///
/// Connections open lazily up to `maximumConnections`. `withConnection` waits
/// for a free one and fails with `.poolTimeout` after `acquireTimeout`.
/// Returned connections are checked (`PQconsumeInput` + status); a broken one
/// (server restarted, network cut) is dropped and replaced on demand, so the
/// next caller gets a working connection without restarting the daemon.
///
/// As a `Service` it closes its connections on graceful shutdown.
public final class PostgresClient: Service, Sendable {
    public struct Configuration: Sendable {
        /// A `postgresql://` URL or a libpq conninfo string.
        public var connectionString: String
        public var maximumConnections: Int
        public var acquireTimeout: Duration

        public init(connectionString: String, maximumConnections: Int = 10, acquireTimeout: Duration = .seconds(10)) {
            self.connectionString = connectionString
            self.maximumConnections = max(1, maximumConnections)
            self.acquireTimeout = acquireTimeout
        }
    }

    public let configuration: Configuration
    let logger: Logger
    let executor: BlockingExecutor
    private let state: Mutex<PoolState>

    public init(configuration: Configuration, logger: Logger = Logger(label: "stranded.postgres")) {
        self.configuration = configuration
        self.logger = logger
        // One thread per connection that can be busy at once.
        executor = BlockingExecutor(threads: configuration.maximumConnections)
        state = Mutex(PoolState())
    }

    /// Numbers for `/metrics` and diagnostics.
    public struct Statistics: Sendable, Equatable {
        public var open: Int
        public var inUse: Int
        public var waiting: Int
    }

    public var statistics: Statistics {
        state.withLock { Statistics(open: $0.open, inUse: $0.open - $0.idle.count, waiting: $0.waiters.count) }
    }

    // MARK: Leasing

    /// Runs `body` with a connection leased for its duration (once the
    /// task's precondition, if any, has passed: ``withPrecondition(_:_:)``).
    public func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await settlePendingPrecondition()
        return try await withLeasedConnection(body)
    }

    func withLeasedConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction on a leased connection.
    @discardableResult
    public func withTransaction<T>(
        isolation: PostgresConnection.IsolationLevel = .readCommitted,
        advisoryLocks: [PostgresAdvisoryKey] = [],
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await transactionHonouringPrecondition(isolation: isolation, advisoryLocks: advisoryLocks, body)
    }

    /// Runs one statement on any free connection.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await queryHonouringPrecondition(query)
    }

    @discardableResult
    public func execute(_ statement: PostgresQuery) async throws -> Int {
        try await queryHonouringPrecondition(statement).affectedRows
    }

    func acquire() async throws -> PostgresConnection {
        while true {
            let grant = try await grant()
            switch grant {
            case .reuse(let connection):
                if connection.isReusable() {
                    updateGauges()
                    return connection
                }
                logger.info("dropping a broken database connection", metadata: ["connection": "\(connection.id)"])
                connection.close()
                state.withLock { $0.open -= 1 }
                updateGauges()
            case .open(let id):
                do {
                    let connection = try await PostgresConnection.connect(
                        to: configuration.connectionString,
                        executor: executor,
                        logger: logger,
                        id: id
                    )
                    updateGauges()
                    return connection
                } catch {
                    // Give the slot back and let a waiter try in turn.
                    let next = state.withLock { state -> Waiter? in
                        state.open -= 1
                        guard !state.waiters.isEmpty else { return nil }
                        state.open += 1
                        state.nextID += 1
                        return state.waiters.removeFirst()
                    }
                    if let next { next.continuation.resume(returning: .open(id: next.id)) }
                    updateGauges()
                    throw error
                }
            }
        }
    }

    private func grant() async throws -> Grant {
        let waiterID = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                var startSweeper = false
                let immediate: Result<Grant, any Error>? = state.withLock { state in
                    if state.closed {
                        return .failure(PostgresError(kind: .poolClosed, message: "the database pool is closed"))
                    }
                    if let connection = state.idle.popLast() { return .success(.reuse(connection)) }
                    if state.open < configuration.maximumConnections {
                        state.open += 1
                        return .success(.open(id: waiterID))
                    }
                    state.waiters.append(Waiter(id: waiterID, deadline: .now + configuration.acquireTimeout, continuation: continuation))
                    startSweeper = !state.sweeping
                    state.sweeping = true
                    return nil
                }
                if let immediate {
                    continuation.resume(with: immediate)
                    return
                }
                updateGauges()
                if startSweeper { sweepExpiredWaiters() }
            }
        } onCancel: {
            failWaiter(waiterID, with: CancellationError())
        }
    }

    /// Fails waiters whose acquire timeout has passed. One task does this
    /// while anyone waits, sleeping until the oldest waiter's deadline: a
    /// sleeping task per waiter, under load thousands of them a second, cost
    /// more than the queries they guarded.
    private func sweepExpiredWaiters() {
        let timeout = configuration.acquireTimeout
        let size = configuration.maximumConnections
        Task { [weak self] in
            while let self {
                let next = state.withLock { state -> ContinuousClock.Instant? in
                    // Waiters queue in arrival order with one timeout, so the first is due first.
                    guard !state.closed, let first = state.waiters.first else {
                        state.sweeping = false
                        return nil
                    }
                    return first.deadline
                }
                guard let next else { return }
                try? await Task.sleep(until: next, clock: .continuous)
                let now = ContinuousClock.now
                let expired = state.withLock { state -> [Waiter] in
                    let expired = state.waiters.filter { $0.deadline <= now }
                    state.waiters.removeAll { $0.deadline <= now }
                    return expired
                }
                guard !expired.isEmpty else { continue }
                let waiting = statistics.waiting
                for waiter in expired {
                    waiter.continuation.resume(
                        throwing: PostgresError(
                            kind: .poolTimeout,
                            message:
                                "no database connection became free within \(timeout) (pool size \(size), \(waiting + expired.count) requests waiting); the database may be overloaded or a request is holding connections too long"
                        )
                    )
                }
                updateGauges()
            }
        }
    }

    private func failWaiter(_ id: Int, with error: any Error) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
        updateGauges()
    }

    private func release(_ connection: PostgresConnection) {
        let healthy = connection.isReusable()
        if !healthy { connection.close() }
        let handOff = state.withLock { state -> (Waiter, Grant)? in
            if state.closed || !healthy {
                state.open -= 1
                if !state.closed, !state.waiters.isEmpty, state.open < configuration.maximumConnections {
                    state.open += 1
                    let waiter = state.waiters.removeFirst()
                    return (waiter, .open(id: waiter.id))
                }
                return nil
            }
            if !state.waiters.isEmpty {
                return (state.waiters.removeFirst(), .reuse(connection))
            }
            state.idle.append(connection)
            return nil
        }
        if let (waiter, grant) = handOff { waiter.continuation.resume(returning: grant) }
        if state.withLock({ $0.closed }) && healthy { connection.close() }
        updateGauges()
    }

    /// Gauges are looked up on each update, not kept: a pool created before
    /// the metrics backend is bootstrapped would otherwise report nowhere.
    private func updateGauges() {
        let stats = statistics
        Gauge(label: "db_pool_connections_in_use").record(stats.inUse)
        Gauge(label: "db_pool_waiting_requests").record(stats.waiting)
        Gauge(label: "db_pool_connections_open").record(stats.open)
    }

    // MARK: Lifecycle

    /// Waits for graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes idle connections, fails waiters, and stops the worker threads.
    /// Connections still leased close when they are returned.
    public func close() async {
        let (idle, waiters) = state.withLock { state -> ([PostgresConnection], [Waiter]) in
            state.closed = true
            defer {
                state.idle = []
                state.waiters = []
            }
            state.open -= state.idle.count
            return (state.idle, state.waiters)
        }
        idle.forEach { $0.close() }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(kind: .poolClosed, message: "the database pool is closed"))
        }
        await executor.shutdown()
    }
}

/// What the pool gives a caller: an idle connection, or the right to open one.
private enum Grant: Sendable {
    case reuse(PostgresConnection)
    case open(id: Int)
}

private struct Waiter {
    let id: Int
    let deadline: ContinuousClock.Instant
    let continuation: CheckedContinuation<Grant, any Error>
}

private struct PoolState {
    var idle: [PostgresConnection] = []
    var waiters: [Waiter] = []
    var open = 0
    var nextID = 0
    var closed = false
    /// A task is failing expired waiters (``PostgresClient/sweepExpiredWaiters()``).
    var sweeping = false
}
