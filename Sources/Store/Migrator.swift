import Foundation
import Logging
import Postgres

/// One schema change: `Schema/migrations/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    public var fileName: String { String(format: "%04d_%@.sql", version, name) }
}

public enum MigrationError: Error, CustomStringConvertible {
    case badFileName(String)
    case duplicateVersion(Int)
    case changedAfterApplying(file: String, applied: String, now: String)
    case failed(file: String, underlying: any Error)

    public var description: String {
        switch self {
        case .badFileName(let name):
            return "migration file \(name) must be named NNNN_name.sql (four digits, underscore, a name)"
        case .duplicateVersion(let version):
            return "two migration files share version \(version)"
        case .changedAfterApplying(let file, let applied, let now):
            return
                "migration \(file) has changed since it was applied (checksum \(applied.prefix(12))… in the database, \(now.prefix(12))… on disk). "
                + "Applied migrations must never change: restore the file and add a new migration for the change."
        case .failed(let file, let underlying):
            return "migration \(file) failed and was rolled back: \(underlying)"
        }
    }
}

/// Applies the schema migrations in order, each in its own transaction, and
/// records version and checksum in `schema_migrations`.
///
/// Several processes may start at once (replicas, a CLI next to the daemon):
/// a session advisory lock makes the second wait for the first, then find
/// nothing left to do.
public struct Migrator: Sendable {
    public let migrations: [Migration]
    let logger: Logger

    static let lockKey = "stranded.schema-migrations"

    public init(migrations: [Migration], logger: Logger = Logger(label: "stranded.migrations")) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// The migrations shipped with this build (`Schema/migrations`, bundled as a resource).
    public static func bundled(logger: Logger = Logger(label: "stranded.migrations")) throws -> Migrator {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError.badFileName("(the Migrations resource is missing from the build)")
        }
        return Migrator(migrations: try load(from: directory), logger: logger)
    }

    /// Reads `NNNN_name.sql` files from a directory.
    public static func load(from directory: URL) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        var seen = Set<Int>()
        return try names.sorted().map { fileName in
            let stem = fileName.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"),
                stem.distance(from: stem.startIndex, to: underscore) == 4,
                let version = Int(stem[..<underscore])
            else {
                throw MigrationError.badFileName(fileName)
            }
            guard seen.insert(version).inserted else { throw MigrationError.duplicateVersion(version) }
            let sql = try String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8)
            return Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
        }
    }

    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies what is pending; returns the versions applied by this call.
    @discardableResult
    public func migrate(_ client: PostgresClient) async throws -> [Int] {
        try await client.withConnection { connection in
            try await connection.withAdvisoryLock(Self.lockKey) {
                try await connection.runScript(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        checksum text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """
                )
                let applied = try await appliedChecksums(connection)
                var newlyApplied: [Int] = []
                for migration in migrations {
                    let checksum = try await Self.checksum(of: migration.sql, on: connection)
                    if let existing = applied[migration.version] {
                        guard existing == checksum else {
                            throw MigrationError.changedAfterApplying(file: migration.fileName, applied: existing, now: checksum)
                        }
                        continue
                    }
                    do {
                        try await connection.transaction { connection in
                            try await connection.runScript(migration.sql)
                            try await connection.execute(
                                """
                                INSERT INTO schema_migrations (version, name, checksum)
                                VALUES (\(migration.version), \(migration.name), \(checksum))
                                """
                            )
                        }
                    } catch {
                        throw MigrationError.failed(file: migration.fileName, underlying: error)
                    }
                    logger.info("applied migration", metadata: ["file": "\(migration.fileName)"])
                    newlyApplied.append(migration.version)
                }
                let unknown = applied.keys.filter { version in !migrations.contains { $0.version == version } }
                if !unknown.isEmpty {
                    logger.warning(
                        "the database has migrations this build does not know; is a newer version running?",
                        metadata: ["versions": "\(unknown.sorted())"]
                    )
                }
                return newlyApplied
            }
        }
    }

    /// True when every migration of this build is applied (for `/ready`).
    public func isCurrent(_ client: PostgresClient) async throws -> Bool {
        let rows = try await client.query(
            """
            SELECT coalesce(max(version), 0) AS latest FROM schema_migrations
            """
        )
        let latest: Int = try rows[0].decode("latest")
        return latest >= latestVersion
    }

    private func appliedChecksums(_ connection: PostgresConnection) async throws -> [Int: String] {
        var applied: [Int: String] = [:]
        for row in try await connection.query("SELECT version, checksum FROM schema_migrations") {
            applied[try row.decode("version")] = try row.decode("checksum")
        }
        return applied
    }

    /// SHA-256 of the file's text, computed by PostgreSQL (no crypto package needed).
    static func checksum(of sql: String, on connection: PostgresConnection) async throws -> String {
        let rows = try await connection.query("SELECT encode(sha256(convert_to(\(sql), 'UTF8')), 'hex') AS sum")
        return try rows[0].decode("sum")
    }
}
