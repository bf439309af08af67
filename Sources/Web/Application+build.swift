import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Store

/// Everything the HTTP layer needs, built by the executable (or a test).
public struct AppDependencies: Sendable {
    public var database: Database
    public var renderer: PageRenderer
    /// Sign-in behaviour (sessions, cookies, trusted header); issue 8.
    public var auth = AuthConfiguration()
    /// The weekly cycle's configuration and the chief executive summary
    /// builder, for the escalation pages and the job-run API; issue 5.
    public var cycle = CycleSetup()
    /// Where uploads are spooled, each in its own private directory made
    /// inside it; nil: the system's temporary directory.
    public var uploadDirectory: URL?

    public init(database: Database, renderer: PageRenderer) {
        self.database = database
        self.renderer = renderer
    }

    /// The usual wiring: templates from the bundle.
    public static func standard(database: Database) async throws -> AppDependencies {
        AppDependencies(database: database, renderer: try await PageRenderer())
    }
}

public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// Builds the HTTP application. Long-running services (the pool, the
/// scheduler, the inbox watcher) join its service group.
public func buildApplication(
    configuration: WebConfiguration,
    dependencies: AppDependencies,
    services: [any Service] = [],
    logger: Logger
) -> some ApplicationProtocol {
    PrometheusMetrics.bootstrap()
    let router = buildRouter(dependencies: dependencies)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "stranded"),
        logger: logger
    )
    app.addServices(services)
    return app
}

/// The routes of the whole product.
public func buildRouter(dependencies: AppDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        LogRequestsMiddleware(.info)
        MetricsMiddleware()
        SecurityHeadersMiddleware()
        // Who is asking, and may they (issue 8): before every route.
        AuthMiddleware(database: dependencies.database, configuration: dependencies.auth)
    }
    OperationsController(database: dependencies.database).addRoutes(to: router)
    HomeController(renderer: dependencies.renderer).addRoutes(to: router)
    ImportRoutes(dependencies: dependencies).addRoutes(to: router)
    PlanRoutes.add(to: router, dependencies: dependencies)
    ReviewRoutes(dependencies: dependencies).addRoutes(to: router)
    EscalationRoutes(dependencies: dependencies).addRoutes(to: router)
    LoginRoutes(dependencies: dependencies).addRoutes(to: router)
    AdminRoutes(dependencies: dependencies).addRoutes(to: router)
    SummaryRoutes(dependencies: dependencies).addRoutes(to: router)
    TrendRoutes(dependencies: dependencies).addRoutes(to: router)
    return router
}
