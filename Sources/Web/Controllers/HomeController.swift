import Hummingbird
import NIOCore

/// The start page and the stylesheet.
struct HomeController {
    let renderer: PageRenderer
    let home: HomePageBuilder

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { _, context in
            try renderer.render("home", title: "Stranded patient review", context: try await home.page(for: context.identity), noStore: true)
        }
        router.get("/static/app.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: renderer.stylesheet))
            )
        }
    }
}
