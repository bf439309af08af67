import Logging
import ServiceLifecycle
import Store
import StrandedCore

/// Recomputes stale trend figures in the daemon, shortly after the list or
/// the opened week that marked them, so the dashboard's first reader does not
/// pay for them (reads still refresh whatever is left). Each round costs two
/// empty transactions when nothing is stale; replicas take turns on a lock.
public struct TrendRefreshService: Service {
    let store: TrendStore
    let interval: Duration
    let logger: Logger

    public init(database: Database, policy: StrandedPolicy, interval: Duration = .seconds(30), logger: Logger) {
        store = TrendStore(database: database, policy: policy)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "could not refresh stale trend figures") {
            try await store.refreshStale()
        }
    }
}
