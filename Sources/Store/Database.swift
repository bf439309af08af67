import Postgres

/// The application's handle on its database: the pool and the schema it expects.
///
/// Upper layers (Workflow, Web) see this and the repositories, never libpq.
public struct Database: Sendable {
    /// Connections a process opens at most unless configured otherwise
    /// (`--pool-size`); the benchmarks measure the service with it.
    public static let defaultPoolSize = 10
    /// Connections one bulk job takes side by side unless configured
    /// otherwise (`--bulk-connections`): two, the cores of the machine the
    /// embedded cluster is made for.
    public static let defaultBulkConnections = 2

    public let client: PostgresClient
    public let migrator: Migrator
    /// How many of the pool's connections one bulk job (opening a national
    /// week) may use at once, each on a share of the sites: a statement runs
    /// on one of the server's cores, so a share each lets the others work.
    /// At least 1 and at most the pool's size.
    public let bulkConnections: Int

    public init(client: PostgresClient, migrator: Migrator, bulkConnections: Int) {
        self.client = client
        self.migrator = migrator
        self.bulkConnections = max(1, min(bulkConnections, client.configuration.maximumConnections))
    }

    public enum Readiness: Sendable, Equatable {
        case ready
        case notReady(String)
    }

    /// Ready when a query succeeds and every migration of this build is applied.
    public func readiness() async -> Readiness {
        do {
            return try await migrator.isCurrent(client) ? .ready : .notReady("database schema is behind this build; run `stranded migrate`")
        } catch let error as PostgresError {
            return .notReady("database unreachable: \(error)")
        } catch {
            return .notReady("database check failed: \(error)")
        }
    }

    public var poolStatistics: PostgresClient.Statistics { client.statistics }
}
