import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import Store
import TestSupport
import Testing
import Web

@Suite("Health, readiness and metrics")
struct OperationsTests {
    @Test func healthReadyAndMetricsAnswer() async throws {
        try await TestCluster.withDatabase { database in
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            try await app.test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == "ready\n")
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    let text = String(buffer: response.body)
                    #expect(text.contains("hb_requests"))
                    #expect(text.contains("db_pool_connections_in_use"))
                }
            }
        }
    }

    @Test func readyIsUnavailableWhenTheSchemaIsBehind() async throws {
        let client = PostgresClient(configuration: .init(connectionString: try await TestCluster.emptyDatabase()))
        defer { Task { await client.close() } }
        let database = Database(client: client, migrator: try Migrator.bundled(), bulkConnections: Database.defaultBulkConnections)
        let app = buildApplication(
            configuration: .init(),
            dependencies: try await AppDependencies.forTests(database: database),
            logger: Logger(label: "test")
        )
        try await app.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }
}
