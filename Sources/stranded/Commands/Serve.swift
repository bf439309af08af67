import ArgumentParser
import Foundation
import Store
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import Web
import Workflow

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon: HTTP pages and API, inbox watcher, weekly scheduler.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on (env STRANDED_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env STRANDED_PORT; default 8080).")
    var port: Int?

    @Option(help: "Directory watched for ward list files (env STRANDED_INBOX). Processed files move to done/ or rejected/ with a report.")
    var inbox: String?

    @Flag(help: "Load synthetic demo data into an empty database at start (env STRANDED_DEMO=1).")
    var demo = false

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
            if Environment.bool(demo, "STRANDED_DEMO") {
                let loaded = try await DemoData(database: runtime.database, logger: logger).loadIfEmpty()
                logger.info("demo data ready", metadata: ["sites": "\(loaded.sites)", "weeks": "\(loaded.weeks)"])
            }
            let app = buildApplication(
                configuration: web,
                dependencies: try await AppDependencies.standard(database: runtime.database),
                logger: logger)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: runtime.database.client)]
            if let inbox = Environment.string(inbox, "STRANDED_INBOX") {
                let watcher = InboxWatcher(
                    directory: URL(fileURLWithPath: inbox),
                    importer: WardListImporter(database: runtime.database, logger: logger),
                    logger: logger)
                services.append(.init(service: watcher))
            }
            // The HTTP server is last, so on SIGINT/SIGTERM it drains
            // in-flight requests first; then the inbox stops and the pool
            // closes; the embedded PostgreSQL stops after the group has finished.
            services.append(.init(service: app))
            let group = ServiceGroup(configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
            logger.info("stranded is listening", metadata: ["url": "http://\(web.host):\(web.port)"])
            try await group.run()
        }
        logger.info("stranded stopped")
    }
}
