import Foundation
import Logging
import ServiceLifecycle

/// Retries pending summary deliveries in the daemon: every `pollInterval`
/// it claims the due ones (a lease in the database keeps two replicas from
/// sending the same one at once) and tries each. Stops on graceful shutdown.
public struct SummaryDeliveryService: Service {
    let service: EscalationSummaryService
    let logger: Logger

    public init(service: EscalationSummaryService, logger: Logger) {
        self.service = service
        self.logger = logger
    }

    public func run() async throws {
        logger.info("summary delivery retries running", metadata: [
            "outbox": "\(service.delivery.outbox?.path ?? "none")",
            "webhook": "\(service.delivery.webhook?.host ?? "none")"])
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await service.deliverDue()
            } catch {
                // The database may be briefly unreachable; the next round tries again.
                logger.error("could not process summary deliveries", metadata: ["error": "\(error)"])
            }
            // The wait ends early on shutdown, so SIGTERM is not held up by a poll interval.
            let interval = service.delivery.pollInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
