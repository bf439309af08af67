import Foundation
import Postgres
import StrandedCore

/// Writes ward lists and derives snapshots, cases and journeys from them.
///
/// An import is one transaction: the rows stream in through COPY, then a few
/// set-based statements turn them into per-site snapshots (superseding any
/// earlier list for the same site and date), register new wards, open and
/// close cases, and link journeys. Either all of that is in place, or nothing.
public struct WardListStore: Sendable {
    let database: Database

    /// Another import of the same content was accepted and committed while
    /// this one ran: this one is a duplicate of it.
    public struct SameContentAlreadyAccepted: Error, Sendable {}

    public init(database: Database) { self.database = database }

    /// The accepted import that had this content, if any.
    public func acceptedImport(fingerprint: String) async throws -> Int64? {
        let rows = try await database.client.query("SELECT id FROM import_file WHERE fingerprint = \(fingerprint) AND verdict = 'accepted'")
        return try rows.first?.decode("id")
    }

    /// True once any list has been accepted (the demo loads only into an empty database).
    public func hasAcceptedImports() async throws -> Bool {
        try await database.client.query("SELECT EXISTS (SELECT 1 FROM import_file WHERE verdict = 'accepted') AS any")[0].decode("any")
    }

    /// Records a file that was not imported (rejected or duplicate), with its
    /// report. The row's id is drawn first so the stored report carries it
    /// (`importID`) in the same single write.
    @discardableResult
    public func recordUnaccepted<Report: Codable & Sendable>(
        verdict: ImportVerdict,
        source: ImportSource,
        fileName: String?,
        fingerprint: String,
        byteCount: Int,
        snapshotDate: CalendarDate?,
        dataRows: Int,
        invalidRows: Int,
        warningCount: Int,
        duplicateOf: Int64?,
        report: Report
    ) async throws -> Int64 {
        try await database.client.withTransaction { connection in
            let rows = try await connection.query(
                """
                WITH next AS (SELECT nextval(pg_get_serial_sequence('import_file', 'id')) AS id)
                INSERT INTO import_file (id, source, file_name, fingerprint, byte_count, snapshot_date, verdict,
                                         data_rows, invalid_rows, warning_count, duplicate_of, report)
                OVERRIDING SYSTEM VALUE
                SELECT next.id, \(source.rawValue), \(fileName), \(fingerprint), \(Int64(byteCount)), \(snapshotDate)::date, \(verdict.rawValue),
                       \(dataRows), \(invalidRows), \(warningCount), \(duplicateOf)::bigint,
                       jsonb_set(\(PostgresJSON(report))::jsonb, '{importID}', to_jsonb(next.id))
                FROM next
                RETURNING id
                """
            )
            let id: Int64 = try rows[0].decode("id")
            // Who tried to import which file, and that it was not imported:
            // the name and counts only, never the file's contents.
            var attempt = [
                "fileName": fileName ?? "", "source": source.rawValue, "verdict": verdict.rawValue,
                "dataRows": String(dataRows), "invalidRows": String(invalidRows),
            ]
            if let duplicateOf { attempt["duplicateOf"] = String(duplicateOf) }
            try await AuditTrail.record(
                AuditEntry(action: "import-\(verdict.rawValue)", entityType: "import_file", entityID: String(id), after: attempt),
                on: connection
            )
            return id
        }
    }

    /// Runs `body` in the import's transaction; a throw rolls everything back.
    /// Throws `SameContentAlreadyAccepted` when the same content committed first.
    public func withImport<T>(
        source: ImportSource,
        fileName: String?,
        byteCount: Int,
        _ body: (WardListImportSession) async throws -> T
    ) async throws -> T {
        do {
            return try await transaction(source: source, fileName: fileName, byteCount: byteCount, body)
        } catch let error as PostgresError where error.kind == .uniqueViolation && error.constraint == "import_file_accepted_once" {
            throw SameContentAlreadyAccepted()
        }
    }

    private func transaction<T>(
        source: ImportSource,
        fileName: String?,
        byteCount: Int,
        _ body: (WardListImportSession) async throws -> T
    ) async throws -> T {
        try await database.client.withTransaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO import_file (source, file_name, fingerprint, byte_count, verdict)
                VALUES (\(source.rawValue), \(fileName), \("pending:" + UUID().uuidString), \(Int64(byteCount)), 'accepted')
                RETURNING id
                """
            )
            let session = WardListImportSession(connection: connection, importID: try rows[0].decode("id"))
            return try await body(session)
        }
    }

    // MARK: Reading back

    public struct ImportSummary: Sendable, Codable, Equatable {
        public let id: Int64
        public let receivedAt: Date
        public let source: ImportSource
        public let fileName: String?
        public let snapshotDate: CalendarDate?
        public let verdict: ImportVerdict
        public let dataRows: Int
        public let importedRows: Int
        public let invalidRows: Int
        public let warningCount: Int
        public let supersededBy: Int64?
    }

    public func recentImports(limit: Int = 50) async throws -> [ImportSummary] {
        try await database.client.query(
            """
            \(fragment: Self.summaryColumns)
            FROM import_file f
            WHERE f.fingerprint NOT LIKE 'pending:%'
            ORDER BY f.received_at DESC, f.id DESC
            LIMIT \(limit)
            """
        ).map(Self.summary)
    }

    /// One import's stored report, as JSON text.
    public func report(importID: Int64) async throws -> (ImportSummary, Data)? {
        let rows = try await database.client.query(
            """
            \(fragment: Self.summaryColumns), f.report::text AS report
            FROM import_file f WHERE f.id = \(importID)
            """
        )
        guard let row = rows.first else { return nil }
        return (try Self.summary(row), Data(try row.decode("report", as: String.self).utf8))
    }

    /// The columns `summary(_:)` reads, for every query that lists imports.
    static let summaryColumns: PostgresQuery = """
        SELECT f.id, f.received_at, f.source, f.file_name, f.snapshot_date, f.verdict, f.data_rows, f.imported_rows,
               f.invalid_rows, f.warning_count,
               (SELECT max(s.superseded_by_import) FROM snapshot s WHERE s.import_id = f.id) AS superseded_by
        """

    static func summary(_ row: PostgresRow) throws -> ImportSummary {
        ImportSummary(
            id: try row.decode("id"),
            receivedAt: try row.decode("received_at"),
            source: try row.decodeRawValue("source", as: ImportSource.self),
            fileName: try row.decode("file_name"),
            snapshotDate: try row.decode("snapshot_date"),
            verdict: try row.decodeRawValue("verdict", as: ImportVerdict.self),
            dataRows: try row.decode("data_rows"),
            importedRows: try row.decode("imported_rows"),
            invalidRows: try row.decode("invalid_rows"),
            warningCount: try row.decode("warning_count"),
            supersededBy: try row.decode("superseded_by")
        )
    }
}
