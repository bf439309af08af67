import Postgres

/// The application's handle on its database: the pool and the schema it expects.
///
/// Upper layers (Workflow, Web) see this and the repositories, never libpq.
public struct Database: Sendable {
    /// Connections a process opens at most unless configured otherwise
    /// (`--pool-size`); the benchmarks measure the service with it.
    public static let defaultPoolSize = 10

    public let client: PostgresClient
    public let migrator: Migrator

    public init(client: PostgresClient, migrator: Migrator) {
        self.client = client
        self.migrator = migrator
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
