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
    /// ``PostgresPreconditionFailure`` and `query` had no effect at all. When
    /// `precondition` succeeds its rows are discarded and `query`'s rows are
    /// returned, or `query`'s error is thrown (and neither statement's writes
    /// are committed, as in any transaction that fails).
    public func query(_ query: PostgresQuery, after precondition: PostgresQuery) async throws -> PostgresRows {
        logger.trace("query after precondition", metadata: ["sql": "\(query.sql)", "connection": "\(id)"])
        return try await withCancellation {
            try await self.withConn { conn in
                // Statements are prepared before the pipeline opens: PQprepare waits for its answer.
                let names = (
                    precondition: precondition.isPrepared ? try self.preparedName(conn, precondition) : nil,
                    query: query.isPrepared ? try self.preparedName(conn, query) : nil
                )
                guard PQenterPipelineMode(conn) == 1 else { throw Self.error(from: nil, conn: conn) }
                defer { PQexitPipelineMode(conn) }
                guard Self.send(precondition, prepared: names.precondition, conn: conn),
                    Self.send(query, prepared: names.query, conn: conn),
                    PQpipelineSync(conn) == 1
                else { throw Self.error(from: nil, conn: conn) }

                // Every result up to the sync point is read, whatever happens,
                // so the connection leaves pipeline mode idle and reusable.
                let first = Self.nextResult(conn)
                let second = Self.nextResult(conn)
                let sync = PQgetResult(conn)
                defer { PQclear(sync) }
                guard let sync, PQresultStatus(sync) == PGRES_PIPELINE_SYNC else {
                    first.map { PQclear($0) }
                    second.map { PQclear($0) }
                    throw Self.error(from: nil, conn: conn)
                }
                do {
                    _ = try Self.rows(from: first, conn: conn)
                } catch {
                    second.map { PQclear($0) }
                    throw PostgresPreconditionFailure(underlying: error)
                }
                return try Self.rows(from: second, conn: conn)
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
