import ArgumentParser
import Store
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import Web

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon: HTTP pages and API, inbox watcher, weekly scheduler.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on (env STRANDED_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env STRANDED_PORT; default 8080).")
    var port: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (env STRANDED_LOG_LEVEL; default info).")
    var logLevel: String?

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = LogSetup.logger(level: logLevel)
        PrometheusMetrics.bootstrap()
        let web = WebConfiguration(
            host: Environment.string(host, "STRANDED_HOST", default: "127.0.0.1")!,
            port: try Environment.int(port, "STRANDED_PORT", default: 8080))

        try await DatabaseRuntime.with(database, logger: logger) { runtime in
            let app = buildApplication(
                configuration: web,
                dependencies: try await AppDependencies.standard(database: runtime.database),
                logger: logger)
            // The pool is a service too: on SIGINT/SIGTERM the HTTP server
            // drains in-flight requests first, then the pool closes; the
            // embedded PostgreSQL stops after the group has finished.
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: runtime.database.client), .init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
            logger.info("stranded is listening", metadata: ["url": "http://\(web.host):\(web.port)"])
            try await group.run()
        }
        logger.info("stranded stopped")
    }
}
