import Hummingbird
import StrandedCore
import Workflow

/// The plan tracker's pages and API, with the running plan RAG rules.
enum PlanRoutes {
    static func add(to router: Router<AppRequestContext>, dependencies: AppDependencies) {
        add(
            to: router,
            service: PlanService(database: dependencies.database, policy: dependencies.policy.planRAG),
            links: ThemePlanLinks(database: dependencies.database, policy: dependencies.policy),
            framework: .standard,
            renderer: dependencies.renderer
        )
    }

    /// With an explicit service, so a caller can fix "today".
    static func add(
        to router: Router<AppRequestContext>,
        service: PlanService,
        links: ThemePlanLinks,
        framework: EvaluationFramework,
        renderer: PageRenderer
    ) {
        let evaluation = EvaluationService(plan: service, framework: framework)
        MetricPages(evaluation: evaluation, renderer: renderer).addRoutes(to: router)
        let pages = PlanPages(service: service, links: links, evaluation: evaluation, renderer: renderer)
        ThemePages(links: links, plan: service, renderer: renderer).addRoutes(to: router)
        router.get("/plan", use: pages.overview)
        router.get("/plan/actions/{code}", use: pages.action)
        router.post("/plan/actions/{code}", use: pages.updateAction)
        router.get("/plan/due", use: pages.due)
        router.get("/plan/owners", use: pages.owners)
        router.get("/plan/closure", use: pages.closure)
        router.get("/plan/export.csv", use: pages.exportCSV)
        router.get("/plan/export.json", use: pages.exportJSON)
        router.get("/plan/export.md", use: pages.exportMarkdown)

        let api = PlanAPI(service: service)
        router.get("/api/plan", use: api.plan)
        router.get("/api/plan/actions/{code}", use: api.action)
        router.post("/api/plan/actions/{code}/notes", use: api.addNote)
        router.put("/api/plan/actions/{code}/status", use: api.setStatus)
        router.get("/api/plan/metrics/{id}", use: api.metric)
        router.put("/api/plan/metrics/{id}/values/{period}", use: api.setMetricValue)
    }
}
