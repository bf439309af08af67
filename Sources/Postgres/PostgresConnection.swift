import CLibPQ
import Foundation
import Logging
import Synchronization

/// One libpq connection.
///
/// Every libpq call on the `PGconn` happens inside `withConn`, which holds a
/// lock for the duration of the call and runs on the `BlockingExecutor`. So
/// the handle is never used by two threads at once, even if a caller shares
/// the connection by mistake; the pool's lease normally gives exclusive use.
public final class PostgresConnection: Sendable {
    /// The PGconn, reachable only through the lock.
    private struct Handles: ~Copyable, @unchecked Sendable {
        var conn: OpaquePointer?
    }

    private let handles: Mutex<Handles>
    /// Statements prepared on this connection: SQL text → statement name.
    private let preparedStatements = Mutex<[String: String]>([:])
    /// Kept apart from `handles` so a query can be cancelled while it holds the lock.
    private let cancelHandle: Mutex<OpaqueSendable?>
    let executor: BlockingExecutor
    let logger: Logger
    /// A number for logs: which pooled connection ran a statement.
    public let id: Int

    private init(conn: OpaquePointer, executor: BlockingExecutor, logger: Logger, id: Int) {
        handles = Mutex(Handles(conn: conn))
        cancelHandle = Mutex(PQgetCancel(conn).map(OpaqueSendable.init))
        self.executor = executor
        self.logger = logger
        self.id = id
    }

    deinit {
        handles.withLock { if let conn = $0.conn { PQfinish(conn) } }
        cancelHandle.withLock { if let cancel = $0 { PQfreeCancel(cancel.pointer) } }
    }

    /// Opens a connection from a URL (`postgresql://…`) or a conninfo string (`host=… dbname=…`).
    public static func connect(
        to connectionString: String,
        executor: BlockingExecutor,
        logger: Logger = Logger(label: "stranded.postgres"),
        id: Int = 0
    ) async throws -> PostgresConnection {
        let conn = try await executor.run { () throws -> OpaqueSendable in
            guard let conn = PQconnectdb(connectionString) else {
                throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
            }
            guard PQstatus(conn) == CONNECTION_OK else {
                let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
                PQfinish(conn)
                throw PostgresError(kind: .connectionFailed, message: "could not connect to PostgreSQL: \(message)")
            }
            try configureSession(conn)
            return OpaqueSendable(conn)
        }
        return PostgresConnection(conn: conn.pointer, executor: executor, logger: logger, id: id)
    }

    /// Settings every session runs with, so text results parse the same everywhere.
    private static func configureSession(_ conn: OpaquePointer) throws {
        // Notices (e.g. "relation already exists, skipping") would otherwise go to stderr.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        guard let result = PQexec(conn, "SET DateStyle = 'ISO'; SET TimeZone = 'UTC'; SET client_encoding = 'UTF8'; SET IntervalStyle = 'iso_8601'")
        else {
            throw PostgresError(kind: .connectionFailed, message: "could not configure the session")
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw Self.error(from: result, conn: conn)
        }
    }

    // MARK: Running statements

    /// Runs one parameterised statement and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        logger.trace("query", metadata: ["sql": "\(query.sql)", "connection": "\(id)"])
        return try await withCancellation {
            try await self.withConn { conn in
                let result = query.isPrepared ? try self.execPrepared(conn, query) : Self.execParams(conn, query)
                return try Self.rows(from: result, conn: conn)
            }
        }
    }

    /// Runs one parameterised statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ statement: PostgresQuery) async throws -> Int {
        try await query(statement).affectedRows
    }

    /// Runs a trusted SQL script that may hold several statements (migrations).
    ///
    /// The simple query protocol takes no parameters, so this must never see
    /// text that came from input.
    public func runScript(_ sql: String) async throws {
        try await withCancellation {
            try await self.withConn { conn in
                _ = try Self.rows(from: PQexec(conn, sql), conn: conn)
            }
        }
    }

    // MARK: Transactions

    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// `advisoryLocks` are transaction-level advisory locks (``PostgresAdvisoryKey``)
    /// taken in the same round trip as `BEGIN`, in a fixed order so that two
    /// transactions locking some of the same keys never wait on each other
    /// crosswise; `body` runs once all are held.
    @discardableResult
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted,
        advisoryLocks: [PostgresAdvisoryKey] = [],
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await transaction(isolation: isolation, advisoryLocks: advisoryLocks, after: nil, body)
    }

    /// ``transaction(isolation:advisoryLocks:_:)``, with `precondition` run
    /// first inside it, in the same round trip as `BEGIN`: when it fails the
    /// transaction is rolled back, `body` never runs, and this throws
    /// ``PostgresPreconditionFailure``.
    func transaction<T>(
        isolation: IsolationLevel,
        advisoryLocks: [PostgresAdvisoryKey],
        after precondition: PostgresQuery?,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let begin = PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        var locks: PostgresQuery?
        if !advisoryLocks.isEmpty {
            // Integers only (never text from input), so they may be written into the statement.
            let keys = Set(advisoryLocks.map(\.value)).sorted().map(String.init).joined(separator: ",")
            locks = PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock(k) FROM unnest('{\(keys)}'::bigint[]) AS k")
        }
        if let precondition {
            // The locks are taken only once the precondition has passed.
            let started = try await pipelined([begin, precondition] + (locks.map { [$0] } ?? []))
            if case .failure(let error) = started[1] {
                try? await runScript("ROLLBACK")
                throw PostgresPreconditionFailure(underlying: error)
            }
            for case .failure(let error) in started {
                try? await runScript("ROLLBACK")
                throw error
            }
        } else {
            try await runScript(begin.sql + (locks.map { "; " + $0.sql } ?? ""))
        }
        let value: T
        do {
            value = try await body(self)
        } catch {
            do {
                try await runScript("ROLLBACK")
            } catch let rollbackError {
                logger.warning("rollback failed", metadata: ["error": "\(rollbackError)"])
            }
            throw error
        }
        try await runScript("COMMIT")
        return value
    }

    /// True while a transaction is open on this connection.
    public var inTransaction: Bool {
        handles.withLock { handles in
            guard let conn = handles.conn else { return false }
            let status = PQtransactionStatus(conn)
            return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
        }
    }

    // MARK: Pool support

    /// Called when a connection leaves or returns to the pool: reads any
    /// pending input without blocking, which is how a connection whose server
    /// restarted shows itself (EOF → `CONNECTION_BAD`). Returns false when the
    /// connection must be dropped rather than reused.
    func isReusable() -> Bool {
        handles.withLock { handles in
            guard let conn = handles.conn else { return false }
            // libpq keeps its socket non-blocking internally, so this never
            // waits. A server that shut down sends a FATAL message and then
            // closes; one read may return the message without seeing the end
            // of the stream, so read while the socket says there is more.
            for _ in 0..<4 {
                guard PQconsumeInput(conn) == 1 else { break }
                var descriptor = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
                guard poll(&descriptor, 1, 0) > 0 else { break }
            }
            while let notify = PQnotifies(conn) { PQfreemem(notify) }
            return PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE && PQpipelineStatus(conn) == PQ_PIPELINE_OFF
        }
    }

    /// Closes the connection now; later calls fail with `.connectionLost`.
    public func close() {
        let conn = handles.withLock { handles -> OpaqueSendable? in
            defer { handles.conn = nil }
            return handles.conn.map(OpaqueSendable.init)
        }
        if let conn { PQfinish(conn.pointer) }
    }

    /// The connection's socket is alive and idle (for `/ready`).
    public var isIdleAndHealthy: Bool { isReusable() }

    // MARK: Internals shared with COPY and LISTEN

    /// Runs `body` with the PGconn on an executor thread, holding the lock.
    func withConn<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await executor.run {
            try self.handles.withLock { handles in
                guard let conn = handles.conn else {
                    throw PostgresError(kind: .connectionLost, message: "the connection is closed")
                }
                return try body(conn)
            }
        }
    }

    /// Cancels the running statement if the calling task is cancelled.
    func withCancellation<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        try await withTaskCancellationHandler {
            try await operation()
        } onCancel: {
            self.cancelHandle.withLock { cancel in
                guard let cancel else { return }
                var buffer = [CChar](repeating: 0, count: 256)
                _ = PQcancel(cancel.pointer, &buffer, Int32(buffer.count))
            }
        }
    }

    static func execParams(_ conn: OpaquePointer, _ query: PostgresQuery) -> OpaquePointer? {
        withParameters(query) { count, values, lengths, formats in
            PQexecParams(conn, query.sql, count, nil, values, lengths, formats, 0)
        }
    }

    /// Runs `query` by the name it was prepared under on this connection,
    /// preparing it first if this is its first run here. Called holding the
    /// connection's lock (``withConn(_:)``).
    private func execPrepared(_ conn: OpaquePointer, _ query: PostgresQuery) throws -> OpaquePointer? {
        let name = try preparedName(conn, query)
        return Self.withParameters(query) { count, values, lengths, formats in
            PQexecPrepared(conn, name, count, values, lengths, formats, 0)
        }
    }

    /// The name `query` is prepared under on this connection, preparing it
    /// now if this is its first run here. Called holding the connection's lock.
    func preparedName(_ conn: OpaquePointer, _ query: PostgresQuery) throws -> String {
        let sql = query.sql
        if let name = preparedStatements.withLock({ $0[sql] }) { return name }
        let fresh = preparedStatements.withLock { "stranded_\($0.count + 1)" }
        // Parameter types are left to the server, as PQexecParams leaves them.
        _ = try Self.rows(from: PQprepare(conn, fresh, sql, Int32(query.bindings.count), nil), conn: conn)
        preparedStatements.withLock { $0[sql] = fresh }
        return fresh
    }

    /// The query's bindings as libpq's parameter arrays, valid during `body`.
    static func withParameters<Result>(
        _ query: PostgresQuery,
        _ body: (Int32, [UnsafePointer<CChar>?], [Int32], [Int32]) -> Result
    ) -> Result {
        let count = query.bindings.count
        var values = [UnsafePointer<CChar>?](repeating: nil, count: count)
        var lengths = [Int32](repeating: 0, count: count)
        var formats = [Int32](repeating: 0, count: count)
        var owned: [UnsafeMutableRawPointer] = []
        owned.reserveCapacity(count)
        defer { owned.forEach { free($0) } }
        for (index, binding) in query.bindings.enumerated() {
            switch binding {
            case .null:
                break
            case .text(let text):
                let copy = strdup(text)!
                owned.append(copy)
                values[index] = UnsafePointer(copy)
            case .binary(let bytes):
                let copy = malloc(max(1, bytes.count))!
                bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(copy), byteCount: bytes.count) }
                owned.append(copy)
                values[index] = UnsafePointer(copy.assumingMemoryBound(to: CChar.self))
                lengths[index] = Int32(bytes.count)
                formats[index] = 1
            }
        }
        return body(Int32(count), values, lengths, formats)
    }

    /// Wraps a finished result, or turns it into an error.
    static func rows(from result: OpaquePointer?, conn: OpaquePointer) throws -> PostgresRows {
        guard let result else {
            throw error(from: nil, conn: conn)
        }
        let handle = ResultHandle(result)
        let status = PQresultStatus(result)
        switch status {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return PostgresRows(handle: handle)
        default:
            // Fields are copied out before the handle clears the result.
            throw error(from: result, conn: conn)
        }
    }

    /// Builds an error from a failed result (or the connection's last message).
    static func error(from result: OpaquePointer?, conn: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let connectionBroken = PQstatus(conn) == CONNECTION_BAD
        let sqlState = field("C")
        var message = field("M") ?? String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
        if message.isEmpty { message = "unknown error" }
        var kind = PostgresError.kind(forSQLState: sqlState)
        if connectionBroken && (sqlState == nil || kind == .server) { kind = .connectionLost }
        return PostgresError(
            kind: kind,
            sqlState: sqlState,
            message: message,
            detail: field("D"),
            hint: field("H"),
            constraint: field("n")
        )
    }
}

/// Carries a C pointer out of an executor closure. The pointer is used by one
/// thread at a time by construction (see `PostgresConnection`).
struct OpaqueSendable: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
