import Foundation
import Hummingbird
import Mustache
import NIOCore

/// Renders the HTML pages from the Mustache templates bundled with the target.
///
/// Every page template extends `layout` (`{{<layout}}{{$content}}…{{/content}}{{/layout}}`),
/// so navigation, the stylesheet and the skip link live in one place.
/// Every `{{value}}` is escaped by ``ScanningHTMLContentType`` (each template
/// declares it); only `{{{…}}}` is raw, and that is used solely for markup
/// the server built itself (e.g. SVG charts).
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let stylesheet: String

    public init() async throws {
        guard let templates = Bundle.module.url(forResource: "templates", withExtension: nil),
            let stylesheetURL = Bundle.module.url(forResource: "static/app", withExtension: "css")
        else {
            throw HTTPError(.internalServerError, message: "the Web resources (templates, static) are missing from the build")
        }
        // Before the templates are read: their CONTENT_TYPE pragma names it.
        MustacheContentTypes.register(ScanningHTMLContentType(), named: ScanningHTMLContentType.name)
        library = try await MustacheLibrary(directory: templates.path)
        stylesheet = try String(contentsOf: stylesheetURL, encoding: .utf8)
    }

    /// The page's HTML, or nil when the template is missing.
    func html(_ template: String, title: String, context: some Any) -> String? {
        library.render(MustacheFields.flatten(PageContext(title: title, page: context)), withTemplate: template)
    }

    /// A template on its own (no layout), without its file's last line break:
    /// a fragment that pages paste in as it is (``ReviewFormFragments``).
    func fragment(_ template: String, _ fields: [String: Any]) -> String {
        var html = library.render(fields, withTemplate: template) ?? ""
        if html.hasSuffix("\n") { html.removeLast() }
        return html
    }

    /// Renders `template` with `context` inside the layout.
    public func render(
        _ template: String,
        title: String,
        context: some Any,
        status: HTTPResponse.Status = .ok,
        noStore: Bool = false
    ) throws -> Response {
        guard let html = html(template, title: title, context: context) else {
            throw HTTPError(.internalServerError, message: "page template \(template) is missing")
        }
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        // Pages showing patient data must not be kept by browsers or proxies.
        headers[.cacheControl] = noStore ? "no-store" : "no-cache"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// What the layout sees: the page title and the page's own values under `page`.
struct PageContext<Page> {
    let title: String
    let page: Page
    let service = "Stranded"
    // Who is signed in, for the layout, and the CSRF token every POST form
    // carries as `<input type="hidden" name="_csrf" value="{{csrf}}">`.
    let isSignedIn = SignedInView.current != nil
    let signedInAs = SignedInView.current?.displayName ?? ""
    let signedInRoles = SignedInView.current?.roles ?? ""
    let isAdministrator = SignedInView.current?.isAdministrator ?? false
    let csrf = SignedInView.current?.csrfToken ?? ""
    let menu = SignedInView.current?.menu ?? []
    let hasMenu = !(SignedInView.current?.menu ?? []).isEmpty
}

/// Built directly rather than reflected: every page renders through it.
extension PageContext: MustacheFieldsProvider {
    var mustacheFields: [String: Any] {
        var fields: [String: Any] = [
            "title": title,
            "service": service,
            "isSignedIn": isSignedIn,
            "signedInAs": signedInAs,
            "signedInRoles": signedInRoles,
            "isAdministrator": isAdministrator,
            "csrf": csrf,
            "menu": menu.map { ["label": $0.label, "path": $0.path] as [String: Any] },
            "hasMenu": hasMenu,
        ]
        if let page = MustacheFields.unwrapped(page) { fields["page"] = MustacheFields.flatten(page) }
        return fields
    }
}
