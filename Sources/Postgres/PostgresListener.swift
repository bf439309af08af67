import CLibPQ
import Foundation
import Logging
import Synchronization

/// A notification received on a LISTEN channel.
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    /// The server process that sent it.
    public let senderPID: Int32
}

/// Listens on channels over a dedicated connection, on a dedicated thread.
///
/// The thread sleeps in `poll()` on the connection's socket (and on a pipe
/// used to stop it), then `PQconsumeInput` → `PQnotifies`: no polling loop
/// with sleeps. If the connection breaks it reconnects with back-off and
/// listens again; notifications sent while it was down are lost, as with any
/// LISTEN client, so users should treat a notification as a hint to re-read
/// state, never as the state itself.
public final class PostgresListener: Sendable {
    public let notifications: AsyncStream<PostgresNotification>
    private let continuation: AsyncStream<PostgresNotification>.Continuation
    private let wakeWrite: Int32
    private let stopped = Atomic<Bool>(false)

    private init(stream: AsyncStream<PostgresNotification>, continuation: AsyncStream<PostgresNotification>.Continuation, wakeWrite: Int32) {
        notifications = stream
        self.continuation = continuation
        self.wakeWrite = wakeWrite
    }

    /// Connects, runs LISTEN for each channel, and returns once listening:
    /// a notification sent after this returns is delivered.
    public static func listen(
        connectionString: String,
        channels: [String],
        logger: Logger = Logger(label: "stranded.postgres.listen")
    ) async throws -> PostgresListener {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw PostgresError(kind: .client, message: "could not create a pipe for the listener: errno \(errno)")
        }
        let (stream, continuation) = AsyncStream<PostgresNotification>.makeStream()
        let listener = PostgresListener(stream: stream, continuation: continuation, wakeWrite: fds[1])
        let loop = ListenLoop(connectionString: connectionString, channels: channels, wakeRead: fds[0], logger: logger)
        try await withCheckedThrowingContinuation { (ready: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                loop.run(listener: listener, ready: ready)
            }
            thread.name = "postgres-listen"
            thread.start()
        }
        return listener
    }

    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    func deliver(_ notification: PostgresNotification) { continuation.yield(notification) }

    func finish() { continuation.finish() }

    /// Stops listening and closes the connection; the stream finishes.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    deinit {
        stop()
        close(wakeWrite)
    }
}

/// The listener thread's state; touched only by that thread.
private final class ListenLoop: @unchecked Sendable {
    let connectionString: String
    let channels: [String]
    let wakeRead: Int32
    let logger: Logger

    init(connectionString: String, channels: [String], wakeRead: Int32, logger: Logger) {
        self.connectionString = connectionString
        self.channels = channels
        self.wakeRead = wakeRead
        self.logger = logger
    }

    func run(listener: PostgresListener, ready: CheckedContinuation<Void, any Error>) {
        defer {
            close(wakeRead)
            listener.finish()
        }
        var conn: OpaquePointer
        switch connectAndListen() {
        case .success(let c):
            conn = c
            ready.resume()
        case .failure(let error):
            ready.resume(throwing: error)
            return
        }
        var backoff = 0.25
        while !listener.isStopped {
            var fds = [
                pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            if fds[1].revents != 0 || listener.isStopped { break }
            if PQconsumeInput(conn) == 1 {
                while let raw = PQnotifies(conn) {
                    let notification = PostgresNotification(
                        channel: String(cString: raw.pointee.relname),
                        payload: String(cString: raw.pointee.extra),
                        senderPID: raw.pointee.be_pid
                    )
                    PQfreemem(raw)
                    listener.deliver(notification)
                }
                backoff = 0.25
                continue
            }
            // The connection broke: reconnect with back-off until stopped.
            logger.warning("listen connection lost; reconnecting", metadata: ["error": "\(String(cString: PQerrorMessage(conn)))"])
            PQfinish(conn)
            while true {
                if waitForStop(seconds: backoff) || listener.isStopped { return }
                if case .success(let c) = connectAndListen() {
                    conn = c
                    logger.info("listen connection restored")
                    break
                }
                backoff = min(backoff * 2, 10)
            }
        }
        PQfinish(conn)
    }

    /// Waits on the stop pipe for up to `seconds`; true if asked to stop.
    private func waitForStop(seconds: Double) -> Bool {
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, Int32(seconds * 1000)) > 0
    }

    private func connectAndListen() -> Result<OpaquePointer, PostgresError> {
        guard let conn = PQconnectdb(connectionString) else {
            return .failure(PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection"))
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            return .failure(PostgresError(kind: .connectionFailed, message: "could not connect to PostgreSQL: \(message)"))
        }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        for channel in channels {
            // Channel names are identifiers: quote them with libpq, never by hand.
            guard let quoted = PQescapeIdentifier(conn, channel, channel.utf8.count) else {
                let error = PostgresConnection.error(from: nil, conn: conn)
                PQfinish(conn)
                return .failure(error)
            }
            let sql = "LISTEN " + String(cString: quoted)
            PQfreemem(quoted)
            let result = PQexec(conn, sql)
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else {
                let error = PostgresConnection.error(from: result, conn: conn)
                PQfinish(conn)
                return .failure(error)
            }
        }
        return .success(conn)
    }
}
