import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Workflow

@testable import Web

/// Errors read as pages in the layout for people and as one JSON shape for
/// programs; a database that is down answers 503; HEAD answers like GET.
@Suite("Error pages, the API's error shape, 503 and HEAD")
struct ErrorPageTests {
    /// `{"error": {"message": …}}`'s message, nil for any other shape.
    static func apiMessage(_ body: ByteBuffer) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
        guard object?.count == 1 else { return nil }
        return (object?["error"] as? [String: Any])?["message"] as? String
    }

    static let json: HTTPFields = [.accept: "application/json"]

    @Test func notFoundAndBadRequestsArePagesForBrowsersAndJSONForPrograms() async throws {
        try await TestCluster.withDatabase { database in
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            try await AuthSessionTests.app(database).test(.router) { raw in
                let client = clerk.client(raw)
                for uri in ["/imports/999999", "/imports/not-a-number", "/no/such/page/imports"] {
                    try await client.execute(uri: uri, method: .get) { response in
                        let html = String(buffer: response.body)
                        #expect(response.status.code >= 400 && response.status.code < 500, "\(uri)")
                        #expect(response.headers[.contentType]?.hasPrefix("text/html") == true, "\(uri) answers \(html.prefix(80))")
                        #expect(html.contains("<nav aria-label=\"Main\">"), "\(uri) has no menu")
                        #expect(html.contains("href=\"/imports\""))
                        #expect(response.headers[.contentSecurityPolicy] != nil)
                    }
                }
                try await client.execute(uri: "/imports/999999", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(response.status == .notFound)
                    #expect(html.contains("Page not found"))
                    #expect(html.contains("no import 999999"))
                    #expect(html.contains("find the record again from the menu"))
                }
                try await client.execute(uri: "/imports/999999", method: .get, headers: Self.json) { response in
                    #expect(response.status == .notFound)
                    #expect(Self.apiMessage(response.body) == "no import 999999")
                }
                try await client.execute(uri: "/api/imports/999999", method: .get) { response in
                    #expect(Self.apiMessage(response.body) == "no import 999999")
                }
                try await client.execute(uri: "/api/trends?format=pdf", method: .get) { response in
                    #expect(response.status == .badRequest)
                    #expect(Self.apiMessage(response.body) != nil, "\(String(buffer: response.body))")
                }
            }
            // Refusals by the middleware: the same shape.
            try await AuthSessionTests.app(database).test(.router) { client in
                try await client.execute(uri: "/api/imports", method: .get) { response in
                    #expect(response.status == .unauthorized)
                    #expect(Self.apiMessage(response.body)?.contains("sign in") == true)
                }
                try await client.execute(uri: "/api/imports", method: .get, headers: [.authorization: "Bearer strd_nonsense"]) { response in
                    #expect(Self.apiMessage(response.body)?.contains("unknown or revoked") == true)
                }
                try await clerk.client(client).execute(uri: "/api/level2", method: .get) { response in
                    #expect(response.status == .forbidden)
                    #expect(Self.apiMessage(response.body) != nil)
                }
            }
        }
    }

    @Test func aRefusalIsAPageWithTheMenuAndANextStep() async throws {
        try await TestCluster.withDatabase { database in
            let ward = try await SignedIn.create(database, roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
            try await AuthSessionTests.app(database).test(.router) { raw in
                try await ward.client(raw).execute(uri: "/imports", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(response.status == .forbidden)
                    #expect(NavigationTests.menuLinks(html) == ["/wards", "/plan", "/themes"])
                    #expect(html.contains("Not allowed"))
                    #expect(html.contains("ask an administrator"))
                }
            }
        }
    }

    @Test func aFiveHundredIsAPageWithTheRequestID() async throws {
        let renderer = try await PageRenderer()
        let router = Router(context: AppRequestContext.self)
        router.addMiddleware { ServerErrorMiddleware(renderer: renderer) }
        struct Failure: Error {}
        router.get("/broken") { _, _ -> Response in throw Failure() }
        router.get("/api/broken") { _, _ -> Response in throw Failure() }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/broken", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .internalServerError)
                #expect(html.contains("<h1>Something went wrong</h1>"))
                #expect(html.contains("tell the service desk the request id"))
            }
            try await client.execute(uri: "/api/broken", method: .get) { response in
                #expect(ErrorPageTests.apiMessage(response.body)?.contains("Something went wrong on our side") == true)
            }
        }
    }

    @Test func whilePostgreSQLIsDownPagesAnswer503() async throws {
        // Nothing listens on this socket directory: every connection attempt fails at once.
        let client = PostgresClient(
            configuration: .init(
                connectionString: "host=/nonexistent-stranded-socket dbname=x user=x connect_timeout=1",
                maximumConnections: 1,
                acquireTimeout: .seconds(2)
            )
        )
        defer { Task { await client.close() } }
        let database = Database(client: client, migrator: try Migrator.bundled(), bulkConnections: Database.defaultBulkConnections)
        let app = buildApplication(
            configuration: .init(),
            dependencies: try await AppDependencies.forTests(database: database),
            logger: Logger(label: "test")
        )
        try await app.test(.router) { client in
            try await client.execute(uri: "/wards", method: .get, headers: [.cookie: "stranded_session=abc"]) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .serviceUnavailable)
                #expect(html.contains("The database is unavailable; try again in a minute."))
                #expect(html.contains("<h1>Service unavailable</h1>"))
                #expect(response.headers[.retryAfter] == "60")
            }
            try await client.execute(uri: "/api/imports", method: .get, headers: [.authorization: "Bearer strd_x"]) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(ErrorPageTests.apiMessage(response.body) == "The database is unavailable; try again in a minute.")
            }
            // A save refused for the same reason says that nothing was stored, so the person sends it again.
            try await client.execute(uri: "/api/forms/1", method: .put, headers: [.authorization: "Bearer strd_x"]) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(ErrorPageTests.apiMessage(response.body)?.contains("nothing was saved") == true)
                #expect(response.headers[.retryAfter] == "60")
            }
        }
    }

    @Test func readyAnswers503WhileTheServiceDrains() async throws {
        try await TestCluster.withDatabase { database in
            let drain = ShutdownDrain(period: .zero)
            var dependencies = try await AppDependencies.forTests(database: database)
            dependencies.drain = drain
            let app = buildApplication(configuration: .init(), dependencies: dependencies, logger: Logger(label: "test"))
            try await app.test(.router) { client in
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .ok)
                }
                // What a graceful shutdown does first: the service keeps serving, /ready says go elsewhere.
                drain.beginDraining()
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(String(buffer: response.body).contains("shutting down"))
                }
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test func headAnswersWhereverGetDoes() async throws {
        try await TestCluster.withDatabase { database in
            let admin = try await SignedIn.create(database, roles: [RoleGrant(.administrator)])
            try await AuthSessionTests.app(database).test(.router) { raw in
                for uri in ["/health", "/login", "/static/app.css"] {
                    try await raw.execute(uri: uri, method: .head) { response in
                        #expect(response.status == .ok, "HEAD \(uri)")
                        #expect(response.body.readableBytes == 0)
                    }
                }
                for uri in ["/", "/imports", "/imports/format", "/plan", "/trends", "/admin/users", "/api/imports"] {
                    var status = HTTPResponse.Status.ok
                    try await admin.client(raw).execute(uri: uri, method: .get) { response in
                        status = response.status
                    }
                    try await admin.client(raw).execute(uri: uri, method: .head) { response in
                        #expect(response.status == status, "HEAD \(uri)")
                        #expect(response.body.readableBytes == 0)
                        #expect((response.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0, "HEAD \(uri) gives no length")
                    }
                }
                try await admin.client(raw).execute(uri: "/imports/999999", method: .head) { response in
                    #expect(response.status == .notFound)
                    #expect(response.body.readableBytes == 0)
                }
            }
        }
    }
}
