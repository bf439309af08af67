import Hummingbird

/// The plan tracker's pages and API (filled in by the plan tracker work).
enum PlanRoutes {
    static func add(to router: Router<AppRequestContext>, dependencies: AppDependencies) {}
}
