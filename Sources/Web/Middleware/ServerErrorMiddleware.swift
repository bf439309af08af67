import HTTPTypes
import Hummingbird
import Logging
import Store
import StrandedCore

/// Every 5xx is a bug, so every one leaves an error-level log line with the
/// request id, and the client gets a generic message carrying that id (so a
/// report can be matched to the line) instead of an empty body or internals.
/// It is also where every error becomes what the client reads (``ErrorPage``):
/// a page in the layout for browsers, one JSON shape for API clients.
///
/// The log line names the method, the path without its query string (query
/// strings can carry dates, case ids, search text) and the error's type and
/// description with quoted values and NHS-number-shaped digits taken out:
/// the database layer leaves parameters and DETAIL out of its descriptions,
/// but a server message can still quote a value it refused.
struct ServerErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Renders error pages for browsers; nil: plain text (API clients get JSON either way).
    var renderer: PageRenderer?

    init(renderer: PageRenderer? = nil) {
        self.renderer = renderer
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let signedIn = SignedInViewHolder()
        let response: Response
        do {
            response = try await SignedInViewHolder.$current.withValue(signedIn) { try await next(request, context) }
        } catch {
            let page = classify(error, requestID: context.id, changesState: request.method != .get && request.method != .head)
            if page.status.code >= 500 { log(page.status, request: request, context: context, error: error) }
            return try page.response(for: request, renderer: renderer, signedIn: signedIn.view)
        }
        if response.status.code >= 500 {
            log(response.status, request: request, context: context, error: nil)
        }
        return response
    }

    /// What a thrown error means for the client. Refusals keep their own
    /// message; a database that cannot be reached is 503 (try again soon);
    /// anything else is a 5xx with a generic message and the request id.
    func classify(_ error: any Error, requestID: String, changesState: Bool = false) -> ErrorPage {
        if let refusal = error as? any HTTPResponseError, refusal.status.code < 500 {
            let http = refusal as? HTTPError
            return ErrorPage(
                status: refusal.status,
                message: http?.body ?? ErrorPage.defaultMessage(refusal.status),
                headers: http?.headers ?? [:]
            )
        }
        if Database.isUnavailable(error) {
            return ErrorPage(
                status: .serviceUnavailable,
                message: changesState ? ErrorPage.unsavedMessage : ErrorPage.unavailableMessage,
                headers: [.retryAfter: "60"]
            )
        }
        let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
        return ErrorPage(status: status, message: Self.message(requestID: requestID))
    }

    private func log(_ status: HTTPResponse.Status, request: Request, context: Context, error: (any Error)?) {
        var metadata: Logger.Metadata = [
            "hb.request.id": .string(context.id),
            "hb.request.method": .string(request.method.rawValue),
            "hb.request.path": .string(request.uri.path),
            "http.status": .stringConvertible(status.code),
        ]
        if let error {
            metadata["error.type"] = .string(String(reflecting: type(of: error)))
            metadata["error"] = .string(Self.redacted(String(describing: error)))
        }
        context.logger.error("Server error", metadata: metadata)
    }

    /// The description without anything between double quotes and without
    /// ten-digit runs.
    static func redacted(_ description: String) -> String {
        var out = ""
        var quoted = false
        for character in description {
            if character == "\"" {
                if !quoted { out += "\"…\"" }
                quoted.toggle()
            } else if !quoted {
                out.append(character)
            }
        }
        return IdentifierScrubber(identifiers: [])(out)
    }

    /// What the client is told: no internals, the id to quote.
    static func message(requestID: String) -> String {
        "Something went wrong on our side. Try again; if it happens again, tell the service desk the request id \(requestID)."
    }
}
