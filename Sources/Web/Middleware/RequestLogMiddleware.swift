import Hummingbird
import Logging

/// Logs each request's method and path, never its query string: queries
/// carry search terms such as an NHS number (`/admin/audit?case=…`), and
/// logs are kept and read more widely than the audit trail.
/// (Hummingbird's `LogRequestsMiddleware` logs the whole URI.)
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    init(_ level: Logger.Level) {
        self.level = level
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.logger.log(
            level: level,
            "Request",
            metadata: [
                "hb.request.path": .string(request.uri.path),
                "hb.request.method": .string(request.method.rawValue),
            ]
        )
        return try await next(request, context)
    }
}
