import Store
import Web
import Workflow

extension AppDependencies {
    /// What most web tests run with, said here once: DESIGN.md §3's rules
    /// (or `configuration`), no summary delivery, and the default sign-in settings.
    static func forTests(
        database: Database,
        configuration: CycleConfiguration = .builtIn,
        auth: AuthConfiguration = AuthConfiguration()
    ) async throws -> AppDependencies {
        try await AppDependencies.withBundledTemplates(database: database, configuration: configuration, summaryDelivery: .none, auth: auth)
    }
}
