import ArgumentParser
import Logging
import Store

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = LogSetup.logger(level: nil)
        try await DatabaseRuntime.with(database, migrate: false, logger: logger) { runtime in
            let applied = try await runtime.database.migrator.migrate(runtime.database.client)
            print(
                applied.isEmpty
                    ? "Database schema is current (version \(runtime.database.migrator.latestVersion))."
                    : "Applied \(applied.count) migration(s); schema is at version \(runtime.database.migrator.latestVersion)."
            )
        }
    }
}
