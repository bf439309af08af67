import ArgumentParser
import Store
import StrandedCore
import Workflow

/// `stranded trends rebuild`: recomputes the weekly trend tables from the raw
/// lists, cases and forms (after a restore, or to check the incremental figures).
struct Trends: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trends",
        abstract: "Maintain the weekly trend tables.",
        subcommands: [TrendsRebuild.self]
    )
}

struct TrendsRebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Recompute every weekly trend figure from the raw data (one transaction)."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var config: ConfigurationOptions

    func run() async throws {
        let logger = LogSetup.logger(level: nil)
        let clock = ContinuousClock()
        let start = clock.now
        let policy = try config.load().policy
        let summary = try await DatabaseRuntime.with(database, logger: logger) { runtime in
            try await TrendService(database: runtime.database, policy: policy).rebuild()
        }
        let range = summary.firstWeek.map { "weeks \($0.iso) to \(summary.lastWeek?.iso ?? "?")" } ?? "no lists yet"
        print("rebuilt trends: \(range); \(summary.wardWeeks) ward-weeks, \(summary.reviewWeeks) ward-weeks of reviews in \(clock.now - start)")
    }
}
