import CLibPQ
import Logging

/// The error of a precondition statement that failed: the statement sent
/// after it in the same round trip did not run, and nothing was committed.
public struct PostgresPreconditionFailure: Error, Sendable, CustomStringConvertible {
    /// What the precondition statement failed with.
    public let underlying: any Error

    public var description: String { "the precondition statement failed: \(underlying)" }
}

extension PostgresConnection {
    /// Runs `precondition`, then `query`, in one round trip to the server and
    /// one implicit transaction (libpq's pipeline mode, one sync point).
    ///
    /// When `precondition` fails (it raises an error to say no), PostgreSQL
    /// skips `query` and rolls back both: this throws
    /// ``PostgresPreconditionFailure`` and `query` had no effect at all. So
    /// it does when the connection fails before the precondition's answer. When
    /// `precondition` succeeds its rows are discarded and `query`'s rows are
    /// returned, or `query`'s error is thrown (and neither statement's writes
    /// are committed, as in any transaction that fails).
    public func query(_ query: PostgresQuery, after precondition: PostgresQuery) async throws -> PostgresRows {
        logger.trace("query after precondition", metadata: ["sql": "\(query.sql)", "connection": "\(id)"])
        let results: [Result<PostgresRows, any Error>]
        do {
            results = try await pipelined([precondition, query])
        } catch {
            // The connection failed on the way: whether the precondition passed is unknown.
            throw PostgresPreconditionFailure(underlying: error)
        }
        if case .failure(let error) = results[0] { throw PostgresPreconditionFailure(underlying: error) }
        return try results[1].get()
    }

    /// Sends `statements` in one round trip (pipeline mode, one sync point)
    /// and returns each one's outcome. Outside an explicit transaction they
    /// run in one implicit transaction; after a failure PostgreSQL skips the
    /// rest, whose outcome is then an error too.
    func pipelined(_ statements: [PostgresQuery]) async throws -> [Result<PostgresRows, any Error>] {
        try await withCancellation {
            try await self.withConn { conn in
                // Statements are prepared before the pipeline opens: PQprepare waits for its answer.
                let names = try statements.map { $0.isPrepared ? try self.preparedName(conn, $0) : nil }
                guard PQenterPipelineMode(conn) == 1 else { throw Self.error(from: nil, conn: conn) }
                defer { PQexitPipelineMode(conn) }
                for (statement, name) in zip(statements, names) {
                    guard Self.send(statement, prepared: name, conn: conn) else { throw Self.error(from: nil, conn: conn) }
                }
                guard PQpipelineSync(conn) == 1 else { throw Self.error(from: nil, conn: conn) }

                // Every result up to the sync point is read, whatever happens,
                // so the connection leaves pipeline mode idle and reusable.
                let results = statements.map { _ in Self.nextResult(conn) }
                let sync = PQgetResult(conn)
                defer { PQclear(sync) }
                guard let sync, PQresultStatus(sync) == PGRES_PIPELINE_SYNC else {
                    results.forEach { $0.map { PQclear($0) } }
                    throw Self.error(from: nil, conn: conn)
                }
                return results.map { result in Result { try Self.rows(from: result, conn: conn) } }
            }
        }
    }

    /// Queues one statement in the pipeline (nothing is sent until the sync).
    private static func send(_ query: PostgresQuery, prepared name: String?, conn: OpaquePointer) -> Bool {
        withParameters(query) { count, values, lengths, formats in
            let status =
                if let name {
                    PQsendQueryPrepared(conn, name, count, values, lengths, formats, 0)
                } else {
                    PQsendQueryParams(conn, query.sql, count, nil, values, lengths, formats, 0)
                }
            return status == 1
        }
    }

    /// The result of the next statement in the pipeline, reading up to the
    /// null that ends it; nil when the connection gave none.
    private static func nextResult(_ conn: OpaquePointer) -> OpaquePointer? {
        let result = PQgetResult(conn)
        guard result != nil else { return nil }
        // One statement, one result (no single-row mode): then the null.
        while let extra = PQgetResult(conn) { PQclear(extra) }
        return result
    }
}
