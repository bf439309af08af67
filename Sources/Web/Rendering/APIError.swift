import Hummingbird

/// The one shape of every API error: `{"error": {"message": "…"}}`, the
/// shape Hummingbird's own `HTTPError` answers with, so a client parses
/// errors the same way whichever route or middleware refused it.
struct APIError: Encodable {
    struct Body: Encodable {
        let message: String
    }

    let error: Body

    init(_ message: String) {
        error = Body(message: message)
    }
}

/// An API error response.
func jsonError(_ message: String, status: HTTPResponse.Status) throws -> Response {
    try json(APIError(message), status: status)
}

extension Request {
    /// Whether the client is a program rather than a browser: everything
    /// under `/api`, and anything asking for JSON without asking for HTML.
    var wantsJSON: Bool {
        if AccessPolicy.covers("/api", Substring(uri.path)) { return true }
        let accept = headers[.accept]?.lowercased() ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }
}
