import HTTPTypes
import Hummingbird

/// `HEAD` answers wherever `GET` does (RFC 9110 §9.3.2). The router knows
/// only the GET routes and looks a route up before any middleware runs, so
/// this wraps the whole router: a HEAD request runs as GET and its body is
/// dropped, keeping the headers (and the length the body would have had),
/// so link checkers and monitors see what a browser would.
struct HeadAsGetResponder<Base: HTTPResponder>: HTTPResponder {
    typealias Context = Base.Context
    let base: Base

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await base.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await base.respond(to: Request(head: head, body: request.body), context: context)
        if response.headers[.contentLength] == nil, let length = response.body.contentLength {
            response.headers[.contentLength] = String(length)
        }
        // Not `body = …`: that setter would rewrite Content-Length to the empty body's 0.
        return response.createHeadResponse()
    }
}
