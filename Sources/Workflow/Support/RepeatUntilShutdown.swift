import Logging
import ServiceLifecycle

/// The loop of a background service that does one round of work every
/// `interval` until the service group shuts down. A failed round is logged
/// and the next one tries again (the database may be briefly unreachable);
/// the wait ends early on shutdown, so SIGTERM is not held up by an interval.
func repeatUntilShutdown(
    every interval: Duration,
    logger: Logger,
    failure: Logger.Message,
    _ round: () async throws -> Void
) async {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
        do {
            try await round()
        } catch {
            logger.error(failure, metadata: ["error": "\(error)"])
        }
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
}
