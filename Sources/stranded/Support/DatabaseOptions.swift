import ArgumentParser
import Foundation
import Logging
import Postgres
import Store

/// How to reach the database: an external server by URL, or the embedded default.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: "PostgreSQL URL or conninfo (env DATABASE_URL). Without it, an embedded cluster runs in --data-dir."
    )
    var databaseURL: String?

    @Option(
        name: .customLong("data-dir"),
        help: "Directory of the embedded PostgreSQL cluster (env STRANDED_DATA_DIR; default ./.stranded/postgres)."
    )
    var dataDirectory: String?

    @Option(name: .customLong("pool-size"), help: "Most database connections at once (env STRANDED_POOL_SIZE; default \(Database.defaultPoolSize)).")
    var poolSize: Int?

    @Option(name: .customLong("pool-timeout"), help: "Seconds to wait for a free connection (env STRANDED_POOL_TIMEOUT; default 10).")
    var poolTimeout: Int?

    @Option(
        name: .customLong("bulk-connections"),
        help: "Connections one bulk job (opening a week) uses side by side: the database server's cores (env STRANDED_BULK_CONNECTIONS; default \(Database.defaultBulkConnections))."
    )
    var bulkConnections: Int?
}

/// The database the process runs against, and how to shut it down.
struct DatabaseRuntime {
    let database: Database
    let embedded: EmbeddedPostgres?
    let logger: Logger

    static let embeddedDatabaseName = "stranded"

    /// Starts the embedded cluster when no URL is configured, opens the pool
    /// and, if asked, applies pending migrations.
    ///
    /// An embedded cluster this process started is stopped at shutdown. One
    /// it found already running is left running unless `stopsAdoptedCluster`
    /// (the service, which owns the cluster; a one-shot command such as
    /// `stranded users add` run beside a running service must not stop the
    /// service's database under it).
    ///
    /// `asApplication` (the service): on the embedded cluster, migrations run
    /// as its superuser and the pool connects as `stranded_app`, which cannot
    /// rewrite the audit trail. An external `DATABASE_URL` names its role itself.
    static func start(
        _ options: DatabaseOptions,
        migrate: Bool,
        stopsAdoptedCluster: Bool = false,
        asApplication: Bool = false,
        logger: Logger
    ) async throws -> DatabaseRuntime {
        let poolSize = try Environment.int(options.poolSize, "STRANDED_POOL_SIZE", default: Database.defaultPoolSize)
        let timeout = try Environment.int(options.poolTimeout, "STRANDED_POOL_TIMEOUT", default: 10)
        let bulkConnections = try Environment.int(options.bulkConnections, "STRANDED_BULK_CONNECTIONS", default: Database.defaultBulkConnections)
        guard bulkConnections >= 1 else {
            throw ConfigurationError("--bulk-connections (STRANDED_BULK_CONNECTIONS) is \(bulkConnections): it must be at least 1")
        }
        var embedded: EmbeddedPostgres?
        let connectionString: String
        var migrated = false
        if let url = Environment.string(options.databaseURL, "DATABASE_URL") {
            connectionString = url
        } else {
            let dir = Environment.string(options.dataDirectory, "STRANDED_DATA_DIR", default: "./.stranded/postgres")!
            let cluster = try EmbeddedPostgres(dataDirectory: dir, logger: logger)
            let outcome = try await cluster.start()
            if outcome == .started || stopsAdoptedCluster { embedded = cluster }
            do {
                try await cluster.createDatabase(embeddedDatabaseName)
                if asApplication {
                    connectionString = try await ApplicationRole.prepare(cluster, database: embeddedDatabaseName, migrate: migrate, logger: logger)
                    migrated = migrate
                } else {
                    connectionString = cluster.connectionString(database: embeddedDatabaseName)
                }
            } catch {
                if let embedded { try? await embedded.stop() }
                throw error
            }
        }
        let client = PostgresClient(
            configuration: .init(connectionString: connectionString, maximumConnections: poolSize, acquireTimeout: .seconds(timeout)),
            logger: logger
        )
        let runtime = DatabaseRuntime(
            database: Database(client: client, migrator: try Migrator.bundled(logger: logger), bulkConnections: bulkConnections),
            embedded: embedded,
            logger: logger
        )
        if migrate && !migrated {
            do {
                let applied = try await runtime.database.migrator.migrate(client)
                logger.info(
                    "database schema is current",
                    metadata: ["applied": "\(applied.count)", "version": "\(runtime.database.migrator.latestVersion)"]
                )
            } catch {
                await runtime.shutdown()
                throw error
            }
        }
        return runtime
    }

    /// Closes the pool, then stops the embedded cluster (if this process runs one).
    func shutdown() async {
        await database.client.close()
        if let embedded {
            do {
                try await embedded.stop()
            } catch {
                logger.error("could not stop the embedded PostgreSQL cleanly", metadata: ["error": "\(error)"])
            }
        }
    }

    /// For one-shot commands (users, tokens, sites, …): `with` and a logger
    /// that speaks up only for warnings, so the command's own output stands out.
    @discardableResult
    static func quietly<T>(_ options: DatabaseOptions, _ body: (DatabaseRuntime) async throws -> T) async throws -> T {
        try await with(options, logger: LogSetup.logger(level: "warning"), body)
    }

    /// Runs `body`, then shuts down whatever happened.
    @discardableResult
    static func with<T>(
        _ options: DatabaseOptions,
        migrate: Bool = true,
        stopsAdoptedCluster: Bool = false,
        asApplication: Bool = false,
        logger: Logger,
        _ body: (DatabaseRuntime) async throws -> T
    ) async throws -> T {
        let runtime = try await start(
            options,
            migrate: migrate,
            stopsAdoptedCluster: stopsAdoptedCluster,
            asApplication: asApplication,
            logger: logger
        )
        do {
            let value = try await body(runtime)
            await runtime.shutdown()
            return value
        } catch {
            await runtime.shutdown()
            throw error
        }
    }
}
