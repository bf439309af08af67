import ServiceLifecycle
import Synchronization

/// Graceful drain behind a load balancer: on SIGTERM `/ready` answers 503
/// for `period` while the listener stays open and serves as before, so the
/// balancer's health check takes the replica out of rotation before the HTTP
/// server stops accepting. Only then does the service group move on to the
/// HTTP server, which finishes the requests in flight and closes.
///
/// A `Service` in the group, placed after the HTTP server: the group shuts
/// services down in reverse order and waits for each to return, so the drain
/// runs first and holds the rest back until it is over.
public final class ShutdownDrain: Service, Sendable {
    /// How long `/ready` says "draining" before the listener closes; zero
    /// (no balancer) shuts down at once.
    public let period: Duration
    private let draining = Atomic<Bool>(false)

    public init(period: Duration) {
        self.period = period
    }

    /// True from the shutdown signal on.
    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// From now on `/ready` answers 503.
    public func beginDraining() {
        draining.store(true, ordering: .releasing)
    }

    public func run() async throws {
        // Cancellation (not a graceful shutdown) ends the wait too; then there is nothing to drain.
        try? await gracefulShutdown()
        beginDraining()
        guard period > .zero else { return }
        // A second signal cancels the group, and with it this sleep: stop at once.
        try? await Task.sleep(for: period)
    }
}
