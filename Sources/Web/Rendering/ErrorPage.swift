import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// An error as the person or program that made the request should see it:
/// a page inside the layout (with the menu and a next step) for browsers,
/// `{"error": {"message": …}}` for API clients.
struct ErrorPage {
    let status: HTTPResponse.Status
    let message: String
    /// Headers the error asked for (e.g. `WWW-Authenticate`, `Allow`).
    var headers: HTTPFields = [:]

    /// What the page's heading says.
    var title: String {
        switch status.code {
        case 403: "Not allowed"
        case 404: "Page not found"
        case 503: "Service unavailable"
        case 500...: "Something went wrong"
        default: status.reasonPhrase
        }
    }

    /// What to do now, in the reader's terms.
    var nextStep: String {
        switch status.code {
        case 400, 422: "Go back, correct what the message names and send it again."
        case 401: "Sign in, then open the page again."
        case 403: "Use the menu above for the pages your roles open, or ask an administrator for the role you need."
        case 404: "Check the address, or find the record again from the menu above."
        case 409: "Open the page again to see the latest version, then make your change."
        case 413: "Send a smaller file, or split it into several."
        case 503: "Wait a minute, then try again. If it lasts, tell the service desk."
        case 500...: "Try again. If it happens again, tell the service desk the request id above."
        default: "Go back, or start from the menu above."
        }
    }

    /// The message used when an error carries none of its own.
    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "You are not signed in."
        case 403: "Your roles do not allow this."
        case 404: "There is no such page or record here."
        case 405: "This address does not accept that kind of request."
        case 503: unavailableMessage
        default: status.reasonPhrase
        }
    }

    static let unavailableMessage = "The database is unavailable; try again in a minute."
    /// For a request that would have changed something: the person must know
    /// their change is not stored, so they keep it and send it again.
    static let unsavedMessage = "The database is unavailable, so nothing was saved: keep your changes and try again in a minute."

    /// The response for `request`: JSON for programs, a page for people
    /// (plain text when no renderer is at hand). `asJSON` overrides what
    /// the request asked for.
    func response(for request: Request, renderer: PageRenderer?, signedIn: SignedInView?, asJSON: Bool? = nil) throws -> Response {
        var response: Response
        if asJSON ?? request.wantsJSON {
            response = try jsonError(message, status: status)
        } else if let renderer {
            response = try SignedInView.$current.withValue(signedIn) {
                try renderer.render(
                    "refusal",
                    title: title,
                    context: View(message: message, nextStep: nextStep, signedIn: signedIn != nil),
                    status: status,
                    noStore: true
                )
            }
        } else {
            response = Response(
                status: status,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: .init(string: message + "\n"))
            )
        }
        response.headers[.cacheControl] = "no-store"
        for field in headers where response.headers[field.name] == nil { response.headers.append(field) }
        return response
    }

    struct View {
        let message: String
        let nextStep: String
        let signedIn: Bool
    }
}

/// Lets the outermost middleware render an error page with the menu of
/// whoever is signed in: ``AuthMiddleware`` resolves that further in, and
/// task-local values set there are gone by the time an error reaches the
/// outside, so it leaves the view here as well.
final class SignedInViewHolder: Sendable {
    private let stored = Mutex<SignedInView?>(nil)

    var view: SignedInView? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }

    @TaskLocal static var current: SignedInViewHolder?
}
