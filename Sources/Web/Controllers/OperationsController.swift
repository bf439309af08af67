import Hummingbird
import Logging
import NIOCore
import Prometheus
import Store

/// `/health`, `/ready` and `/metrics`: what load balancers and monitoring ask.
struct OperationsController {
    let database: Database
    let drain: ShutdownDrain?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/health", use: health)
        router.get("/ready", use: ready)
        router.get("/metrics", use: metrics)
    }

    /// The process is alive and serving HTTP; says nothing about the database.
    @Sendable func health(_ request: Request, context: AppRequestContext) -> Response {
        plainText("ok\n")
    }

    /// 200 when the database answers and the schema is current; 503 otherwise,
    /// so a load balancer sends no traffic to a replica that cannot serve it.
    /// Also 503 while the service drains at shutdown (``ShutdownDrain``).
    @Sendable func ready(_ request: Request, context: AppRequestContext) async -> Response {
        if drain?.isDraining == true {
            return plainText("not ready: shutting down\n", status: .serviceUnavailable)
        }
        switch await database.readiness() {
        case .ready:
            return plainText("ready\n")
        case .notReady(let reason):
            context.logger.warning("not ready", metadata: ["reason": "\(reason)"])
            return plainText("not ready: \(reason)\n", status: .serviceUnavailable)
        }
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) -> Response {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        PrometheusMetrics.registry.emit(into: &buffer)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer))
        )
    }

    private func plainText(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
