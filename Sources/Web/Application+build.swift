import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Store
import StrandedCore
import Workflow

/// Everything the HTTP layer needs, built once by the executable (or a test,
/// which says what it uses) and passed to every route: nothing below reaches
/// for a default of its own.
public struct AppDependencies: Sendable {
    public var database: Database
    public var renderer: PageRenderer
    /// What the service runs with: the rules (``StrandedPolicy``) and the
    /// scheduler's settings, shown on `/config`.
    public var configuration: CycleConfiguration
    /// Where each chief executive summary version goes (outbox, webhook).
    public var summaryDelivery: SummaryDeliveryConfiguration
    /// Sign-in behaviour (sessions, cookies, trusted header).
    public var auth: AuthConfiguration
    /// Where uploads are spooled, each in its own private directory made
    /// inside it; nil: the system's temporary directory.
    public var uploadDirectory: URL?
    /// Set by `serve`: `/ready` answers 503 while it drains at shutdown. Nil: no drain (tests).
    public var drain: ShutdownDrain?

    public init(
        database: Database,
        renderer: PageRenderer,
        configuration: CycleConfiguration,
        summaryDelivery: SummaryDeliveryConfiguration,
        auth: AuthConfiguration
    ) {
        self.database = database
        self.renderer = renderer
        self.configuration = configuration
        self.summaryDelivery = summaryDelivery
        self.auth = auth
    }

    /// The same, with the page templates bundled with the build.
    public static func withBundledTemplates(
        database: Database,
        configuration: CycleConfiguration,
        summaryDelivery: SummaryDeliveryConfiguration,
        auth: AuthConfiguration
    ) async throws -> AppDependencies {
        AppDependencies(
            database: database,
            renderer: try await PageRenderer(),
            configuration: configuration,
            summaryDelivery: summaryDelivery,
            auth: auth
        )
    }

    /// The rules every route runs with.
    public var policy: StrandedPolicy { configuration.policy }

    /// Builds, freezes and delivers a week's chief executive summary: what
    /// the `ce-summary` job run from a page does.
    public var summaryBuilder: CycleRunner.SummaryBuilder {
        EscalationSummaryService.cycleBuilder(database: database, policy: policy, delivery: summaryDelivery)
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
        responder: HeadAsGetResponder(base: router.buildResponder()),
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
        // Error pages carry the security headers too.
        SecurityHeadersMiddleware()
        // Sees every error the rest of the chain throws (every 5xx is logged)
        // and turns each into a page or the API's JSON error.
        ServerErrorMiddleware(renderer: dependencies.renderer)
        RequestLogMiddleware(.info)
        MetricsMiddleware()
        // Who is asking, and may they: before every route.
        AuthMiddleware(database: dependencies.database, configuration: dependencies.auth, renderer: dependencies.renderer)
    }
    OperationsController(database: dependencies.database, drain: dependencies.drain).addRoutes(to: router)
    HomeController(renderer: dependencies.renderer, home: HomePageBuilder(dependencies: dependencies)).addRoutes(to: router)
    ImportRoutes(dependencies: dependencies).addRoutes(to: router)
    PlanRoutes.add(to: router, dependencies: dependencies)
    ReviewRoutes(dependencies: dependencies).addRoutes(to: router)
    BoardRoundRoutes(dependencies: dependencies).addRoutes(to: router)
    RedDayImportRoutes(dependencies: dependencies).addRoutes(to: router)
    StayImportRoutes(dependencies: dependencies).addRoutes(to: router)
    FHIRRoutes(dependencies: dependencies).addRoutes(to: router)
    FeedPages(dependencies: dependencies).addRoutes(to: router)
    EscalationRoutes(dependencies: dependencies).addRoutes(to: router)
    LoginRoutes(dependencies: dependencies).addRoutes(to: router)
    AdminRoutes(dependencies: dependencies).addRoutes(to: router)
    SummaryRoutes(dependencies: dependencies).addRoutes(to: router)
    TrendRoutes(dependencies: dependencies).addRoutes(to: router)
    ThemeRoutes(dependencies: dependencies).addRoutes(to: router)
    return router
}
