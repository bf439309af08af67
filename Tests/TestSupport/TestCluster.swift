import Foundation
import Logging
import Postgres
import Store

/// One throwaway PostgreSQL cluster per test run, made by the same code as
/// the service's embedded default, and a fresh database per test cloned from
/// a migrated template (`CREATE DATABASE … TEMPLATE`), so tests are isolated
/// and fast.
public actor TestCluster {
    public static let shared = TestCluster()

    private var starting: Task<EmbeddedPostgres, any Error>?
    static let templateName = "stranded_template"
    /// Seconds a test's connection may take to be made: the whole suite
    /// starts at once on two cores, each test creating its database, and a
    /// connection has been seen to wait more than the service's 10 s.
    public static let connectTimeout = 60

    /// The running cluster, started (and its template migrated) on first use.
    public func cluster() async throws -> EmbeddedPostgres {
        if let starting { return try await starting.value }
        let task = Task { try await Self.startCluster() }
        starting = task
        return try await task.value
    }

    private static func startCluster() async throws -> EmbeddedPostgres {
        removeStaleClusters()
        let dir = "\(scratchRoot)/stranded-test-cluster-\(getpid())"
        let cluster = try EmbeddedPostgres(
            dataDirectory: dir,
            options: .init(unsafeFastMode: true, maxConnections: 400),
            logger: Logger(label: "test.postgres")
        )
        try await cluster.start()
        stopAtExit(cluster)
        try await cluster.createDatabase(templateName)
        // What `serve` does on the embedded default: migrate as the superuser,
        // let the application role log in (roles are cluster-wide).
        _ = try await ApplicationRole.prepare(cluster, database: templateName, migrate: true)
        return cluster
    }

    /// Runs `body` with a new database holding the current schema; drops it afterwards.
    ///
    /// As the superuser (set-up and most tests), or `asApplication`, as the
    /// role the service connects as (``ApplicationRole``).
    public static func withDatabase<T>(poolSize: Int = 4, asApplication: Bool = false, _ body: (Database) async throws -> T) async throws -> T {
        let cluster = try await shared.cluster()
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await cluster.createDatabase(name, template: templateName)
        let user = asApplication ? ApplicationRole.name : "postgres"
        let client = PostgresClient(
            configuration: .init(
                connectionString: cluster.connectionString(database: name, user: user, connectTimeout: connectTimeout),
                maximumConnections: poolSize,
                acquireTimeout: .seconds(30)
            )
        )
        let database = Database(client: client, migrator: try Migrator.bundled(), bulkConnections: Database.defaultBulkConnections)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(database))
        } catch {
            result = .failure(error)
        }
        await client.close()
        await dropDatabase(name, in: cluster)
        return try result.get()
    }

    /// A conninfo string for a new, empty database (no migrations), for tests of the migrator.
    public static func emptyDatabase() async throws -> String {
        let cluster = try await shared.cluster()
        let name = "empty_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await cluster.createDatabase(name)
        return cluster.connectionString(database: name, connectTimeout: connectTimeout)
    }

    private static func dropDatabase(_ name: String, in cluster: EmbeddedPostgres) async {
        let client = PostgresClient(configuration: .init(connectionString: cluster.connectionString(database: "postgres", connectTimeout: connectTimeout), maximumConnections: 1))
        _ = try? await client.withConnection { try await $0.runScript("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)") }
        await client.close()
    }

    // MARK: Process-level cleanup

    static var scratchRoot: String { NSTemporaryDirectory().hasSuffix("/") ? String(NSTemporaryDirectory().dropLast()) : NSTemporaryDirectory() }

    /// Clusters of earlier runs whose test process is gone (killed, crashed).
    private static func removeStaleClusters() {
        let fileManager = FileManager.default
        let prefix = "stranded-test-"
        for entry in (try? fileManager.contentsOfDirectory(atPath: scratchRoot)) ?? [] where entry.hasPrefix(prefix) {
            guard let owner = entry.split(separator: "-").last.flatMap({ pid_t($0) }), kill(owner, 0) != 0 else { continue }
            let dir = "\(scratchRoot)/\(entry)"
            if let text = try? String(contentsOfFile: dir + "/postmaster.pid", encoding: .utf8),
                let pid = text.split(separator: "\n").first.flatMap({ pid_t($0) })
            {
                kill(pid, SIGQUIT)
            }
            try? fileManager.removeItem(atPath: dir)
        }
    }

    /// Swift Testing has no global tear-down, so the cluster is stopped from
    /// an exit handler: SIGQUIT is PostgreSQL's immediate shutdown, safe here
    /// because the data is thrown away.
    private static func stopAtExit(_ cluster: EmbeddedPostgres) {
        ExitCleanup.register(pid: cluster.serverPID)
    }
}

public enum ExitCleanup {
    nonisolated(unsafe) static var pids: [pid_t] = []
    nonisolated(unsafe) static var installed = false
    static let lock = NSLock()

    /// Sends SIGQUIT to `pid` when the test process exits.
    public static func register(pid: pid_t?) {
        guard let pid else { return }
        lock.lock()
        defer { lock.unlock() }
        pids.append(pid)
        if !installed {
            installed = true
            atexit {
                for pid in ExitCleanup.pids { kill(pid, SIGQUIT) }
            }
        }
    }
}
