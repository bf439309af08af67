import HTTPTypes
import Hummingbird
import Logging
import StrandedCore

/// Every 5xx is a bug, so every one leaves an error-level log line with the
/// request id, and the client gets a generic message carrying that id (so a
/// report can be matched to the line) instead of an empty body or internals.
///
/// The log line names the method, the path without its query string (query
/// strings can carry dates, case ids, search text) and the error's type and
/// description with quoted values and NHS-number-shaped digits taken out:
/// the database layer leaves parameters and DETAIL out of its descriptions,
/// but a server message can still quote a value it refused.
struct ServerErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            throw error
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            log(status, request: request, context: context, error: error)
            throw HTTPError(status, message: Self.message(requestID: context.id))
        }
        if response.status.code >= 500 {
            log(response.status, request: request, context: context, error: nil)
        }
        return response
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
