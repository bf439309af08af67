import Logging
import ServiceLifecycle
import Store

/// Recomputes stale trend figures in the daemon, shortly after the list or
/// the opened week that marked them, so the dashboard's first reader does not
/// pay for them (reads still refresh whatever is left). Each round costs two
/// empty transactions when nothing is stale; replicas take turns on a lock.
public struct TrendRefreshService: Service {
    let store: TrendStore
    let interval: Duration
    let logger: Logger

    public init(database: Database, interval: Duration = .seconds(30), logger: Logger) {
        store = TrendStore(database: database)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await store.refreshStale()
            } catch {
                // The database may be briefly unreachable; the next round (or a reader) tries again.
                logger.error("could not refresh stale trend figures", metadata: ["error": "\(error)"])
            }
            // The wait ends early on shutdown, so SIGTERM is not held up by the interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
