import Foundation
import Logging
import Postgres
import Store

/// A throwaway embedded PostgreSQL for one benchmark run, its schema migrated:
/// a real database, as the service runs on, with nothing left behind.
public struct BenchmarkDatabase: Sendable {
    public let cluster: EmbeddedPostgres
    public let client: PostgresClient
    public let database: Database

    /// Starts a cluster under `directory` and creates the `bench` database.
    public static func start(
        in directory: URL,
        connections: Int = Database.defaultPoolSize,
        bulkConnections: Int = Database.defaultBulkConnections,
        logger: Logger
    ) async throws -> BenchmarkDatabase {
        let cluster = try EmbeddedPostgres(dataDirectory: directory.appendingPathComponent("pg").path, logger: logger)
        try await cluster.start()
        try await cluster.createDatabase("bench")
        let client = PostgresClient(
            configuration: .init(connectionString: cluster.connectionString(database: "bench"), maximumConnections: connections),
            logger: logger
        )
        let database = Database(client: client, migrator: try Migrator.bundled(logger: logger), bulkConnections: bulkConnections)
        try await database.migrator.migrate(client)
        return BenchmarkDatabase(cluster: cluster, client: client, database: database)
    }

    /// Runs `body`, then closes the pool and stops the cluster, also when
    /// `body` throws. A `defer` cannot wait for the stop, and a task started
    /// from one does not outlive `main`: each run would leave a server behind.
    public func stopping<T>(isolation: isolated (any Actor)? = #isolation, after body: () async throws -> T) async throws -> T {
        let value: T
        do {
            value = try await body()
        } catch {
            await stop()
            throw error
        }
        await stop()
        return value
    }

    public func stop() async {
        await client.close()
        try? await cluster.stop()
    }
}
