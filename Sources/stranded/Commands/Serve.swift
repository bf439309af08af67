import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Store
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

    @Option(
        name: .customLong("drain-seconds"),
        help:
            "On SIGTERM, answer /ready with 503 for this long before closing the listener, so a load balancer stops sending first (env STRANDED_DRAIN_SECONDS; default 0)."
    )
    var drainSeconds: Int?

    @OptionGroup var config: ConfigurationOptions

    @Option(
        name: .customLong("hl7-listen"),
        help: "Listen for HL7 v2 ADT messages over MLLP on HOST:PORT (env STRANDED_HL7_LISTEN; off unless given)."
    )
    var hl7Listen: String?

    @Option(name: .customLong("hl7-idle-timeout"), help: "Seconds an MLLP connection may send nothing before it is closed (default 60).")
    var hl7IdleTimeout: Int?

    @Option(name: .customLong("hl7-max-frame-bytes"), help: "Largest MLLP frame accepted; a larger one closes the connection (default 1048576).")
    var hl7MaxFrameBytes: Int?

    @Flag(
        name: .customLong("no-scheduler"),
        help: "Do not run the weekly scheduler in this process (env STRANDED_SCHEDULER=0): for tests, or replicas that only serve pages."
    )
    var noScheduler = false

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = LogSetup.logger(level: logLevel)
        PrometheusMetrics.bootstrap()
        let web = WebConfiguration(
            host: Environment.string(host, "STRANDED_HOST", default: "127.0.0.1")!,
            port: try Environment.int(port, "STRANDED_PORT", default: 8080)
        )
        // What the service runs with: read once, passed to everything below.
        let cycleConfiguration = try config.load()
        let summaryDelivery = try Cycle.summaryDelivery()
        let drain = ShutdownDrain(period: .seconds(try Environment.int(drainSeconds, "STRANDED_DRAIN_SECONDS", default: 0)))
        var mllp: MLLPConfiguration?
        if let listen = Environment.string(hl7Listen, "STRANDED_HL7_LISTEN") {
            guard var parsed = MLLPConfiguration(listen: listen) else {
                throw ValidationError("--hl7-listen must be HOST:PORT, e.g. 127.0.0.1:2575, not \"\(listen)\"")
            }
            if let seconds = hl7IdleTimeout {
                guard seconds > 0 else { throw ValidationError("--hl7-idle-timeout must be a positive number of seconds") }
                parsed.idleTimeoutSeconds = seconds
            }
            if let bytes = hl7MaxFrameBytes {
                guard bytes >= 1024 else { throw ValidationError("--hl7-max-frame-bytes must be at least 1024") }
                parsed.maximumFrameBytes = bytes
            }
            mllp = parsed
        }
        let schedulerOn = !noScheduler && ProcessInfo.processInfo.environment["STRANDED_SCHEDULER"] != "0"

        // The service owns the embedded cluster: it stops it at shutdown even
        // when it adopted one left running by a crash.
        // It connects as the application role, not the superuser, so nothing it
        // runs can switch off or rewrite the audit trail; migrations run as the owner.
        try await DatabaseRuntime.with(database, stopsAdoptedCluster: true, asApplication: true, logger: logger) { runtime in
            if Environment.bool(demo, "STRANDED_DEMO") {
                let loaded = try await DemoData(database: runtime.database, logger: logger).loadIfEmpty(configuration: cycleConfiguration)
                logger.info("demo data ready", metadata: ["sites": "\(loaded.sites)", "weeks": "\(loaded.weeks)"])
                // One user per role, passwords shown this once.
                let sites = try await ReferenceDataStore(database: runtime.database).sites().map(\.code)
                for user in try await DemoUsers.createIfMissing(database: runtime.database, wardScope: sites) {
                    print("demo user \(user.username) (\(user.role)) password: \(user.password)")
                }
                fflush(nil)  // seen at once even when stdout is a pipe or a file

            }
            let leftovers = UploadSpools.removeLeftovers(in: nil)
            if leftovers > 0 { logger.notice("removed upload spools left by an earlier process", metadata: ["count": "\(leftovers)"]) }
            var dependencies = try await AppDependencies.withBundledTemplates(
                database: runtime.database,
                configuration: cycleConfiguration,
                summaryDelivery: summaryDelivery,
                auth: AuthConfiguration.fromEnvironment()
            )
            dependencies.drain = drain
            let app = buildApplication(
                configuration: web,
                dependencies: dependencies,
                logger: logger
            )
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: runtime.database.client)]
            if let inbox = Environment.string(inbox, "STRANDED_INBOX") {
                let watcher = InboxWatcher(
                    directory: URL(fileURLWithPath: inbox),
                    importers: InboxImporters(database: runtime.database, policy: cycleConfiguration.policy, logger: logger),
                    logger: logger
                )
                services.append(.init(service: watcher))
            }
            if schedulerOn {
                // Safe on every replica: each job runs once across them (advisory lock + job record).
                let runner = CycleRunner(
                    database: runtime.database,
                    configuration: cycleConfiguration,
                    summaryBuilder: dependencies.summaryBuilder,
                    logger: logger
                )
                services.append(.init(service: CycleScheduler(database: runtime.database, runner: runner, logger: logger)))
            }
            // Chief executive summary deliveries (STRANDED_OUTBOX, STRANDED_SUMMARY_WEBHOOK): retried with back-off.
            services.append(
                .init(
                    service: SummaryDeliveryService(
                        service: EscalationSummaryService(
                            database: runtime.database,
                            policy: cycleConfiguration.policy,
                            delivery: summaryDelivery,
                            logger: logger
                        ),
                        logger: logger
                    )
                )
            )
            if let mllp {
                // Off by default: a site's PAS or interface engine is pointed at it by hand.
                services.append(.init(service: MLLPListener(configuration: mllp, receiver: FeedReceiver(database: runtime.database, logger: logger), logger: logger)))
            }
            // Trend figures marked stale by imports and opened weeks, recomputed in the background.
            services.append(.init(service: TrendRefreshService(database: runtime.database, policy: cycleConfiguration.policy, logger: logger)))
            // The HTTP server is last, so on SIGINT/SIGTERM it drains
            // in-flight requests first; then the inbox stops and the pool
            // closes; the embedded PostgreSQL stops after the group has finished.
            services.append(.init(service: app))
            // Shut down first (the group goes in reverse): /ready turns 503 and
            // the listener stays open for the drain period, then the HTTP server drains.
            services.append(.init(service: drain))
            let group = ServiceGroup(
                configuration: .init(
                    services: services,
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            logger.info("stranded is listening", metadata: ["url": "http://\(web.host):\(web.port)"])
            try await group.run()
        }
        logger.info("stranded stopped")
    }
}
