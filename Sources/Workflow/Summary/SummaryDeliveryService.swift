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
        logger.info(
            "summary delivery retries running",
            metadata: [
                "outbox": "\(service.delivery.outbox?.path ?? "none")",
                "webhook": "\(service.delivery.webhook?.host ?? "none")",
            ]
        )
        await repeatUntilShutdown(every: service.delivery.pollInterval, logger: logger, failure: "could not process summary deliveries") {
            try await service.deliverDue()
        }
    }
}
