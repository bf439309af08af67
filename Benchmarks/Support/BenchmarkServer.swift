import Hummingbird
import Logging
import Store
import Web
import Workflow

/// The service's HTTP side, live on loopback with the built-in configuration,
/// for the benchmarks that measure pages: started, and ready once its port
/// answers. Cancel the task to stop it.
public func startBenchmarkServer(database: Database, port: Int, logger: Logger) async throws -> Task<Void, any Error> {
    let app = buildApplication(
        configuration: .init(host: "127.0.0.1", port: port),
        dependencies: try await AppDependencies.withBundledTemplates(
            database: database,
            configuration: .builtIn,
            summaryDelivery: .none,
            auth: AuthConfiguration()
        ),
        logger: logger
    )
    let server = Task { try await app.runService(gracefulShutdownSignals: []) }
    try await waitForPort(port)
    return server
}
