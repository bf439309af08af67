import Foundation
import Logging
import Postgres

/// The database role the service runs as: `stranded_app` (migration 0007),
/// never the owner or a superuser. A superuser is bound by no privilege and
/// can switch the audit trail's triggers off (`session_replication_role`,
/// `ALTER TABLE … DISABLE TRIGGER`) and delete entries; `stranded_app` may
/// only INSERT and SELECT them, and owns nothing, so it can do neither.
public enum ApplicationRole {
    public static let name = "stranded_app"

    /// For a cluster this process owns (the embedded default, the tests'
    /// cluster): as its superuser, migrates `database` when asked, lets
    /// `stranded_app` log in (trust over the cluster's private Unix socket,
    /// so no password), and returns the conninfo the service connects with.
    public static func prepare(
        _ cluster: EmbeddedPostgres,
        database: String,
        migrate: Bool,
        logger: Logger = Logger(label: "stranded.migrate")
    ) async throws -> String {
        let owner = PostgresClient(
            configuration: .init(connectionString: cluster.connectionString(database: database), maximumConnections: 1),
            logger: logger
        )
        do {
            if migrate {
                let migrator = try Migrator.bundled(logger: logger)
                let applied = try await migrator.migrate(owner)
                logger.info("database schema is current", metadata: ["applied": "\(applied.count)", "version": "\(migrator.latestVersion)"])
            }
            try await allowLogin(owner)
        } catch {
            await owner.close()
            throw error
        }
        await owner.close()
        return cluster.connectionString(database: database, user: name)
    }

    /// Gives `stranded_app` LOGIN and nothing more (it is created NOLOGIN for
    /// external databases, whose administrators grant LOGIN with a password).
    static func allowLogin(_ owner: PostgresClient) async throws {
        let exists = try await owner.query("SELECT 1 FROM pg_roles WHERE rolname = \(name)").count > 0
        guard exists else {
            throw ApplicationRoleError.missing
        }
        try await owner.withConnection { connection in
            try await connection.runScript("ALTER ROLE stranded_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
        }
    }
}

public enum ApplicationRoleError: Error, CustomStringConvertible {
    case missing

    public var description: String {
        "the database has no stranded_app role yet: run `stranded migrate` (migration 0007 creates it), then start the service again"
    }
}
