import ArgumentParser
import Foundation
import Logging
import Reports
import Store
import StrandedCore
import Workflow

/// `stranded summary …`: the chief executive's weekly escalation summary.
struct SummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "The chief executive's weekly escalation summary: build (freeze a new version and deliver it) or show.",
        subcommands: [Build.self, Show.self]
    )

    /// Builds the next version of a week's summary, with the escalation
    /// engine's figures and referred cases read from the database.
    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build and freeze a new version of a week's summary; write it to the outbox and POST it to the webhook if configured."
        )

        @Option(help: "The review week's Monday, YYYY-MM-DD.") var week: String
        @Option(help: "Directory for the HTML, Markdown and JSON files (env STRANDED_OUTBOX). Webhook: env STRANDED_SUMMARY_WEBHOOK.")
        var outbox: String?
        @Option(help: "Who is building it, recorded with the version (default: $USER).") var by: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var config: ConfigurationOptions

        func run() async throws {
            let reviewWeek = try SummaryCommand.week(week)
            let delivery: SummaryDeliveryConfiguration
            do {
                delivery = try SummaryDeliveryConfiguration.fromEnvironment(outbox: outbox)
            } catch {
                throw ValidationError("\(error)")
            }
            let author = by ?? ProcessInfo.processInfo.environment["USER"] ?? "stranded summary build"
            try await SummaryCommand.run(database, config, delivery: delivery) { service, db in
                let frozen = try await service.buildWithEscalations(week: reviewWeek, from: db, builtBy: author)
                let system = frozen.summary.headline.system
                let thresholds = service.policy.thresholds
                print(
                    "Built the summary for the week beginning \(reviewWeek.monday.uk), version \(frozen.version): \(system.stranded.current) patients at \(thresholds.strandedDays)+ days, \(system.superStranded.current) at \(thresholds.superStrandedDays)+."
                )
                for note in frozen.summary.notes { print("Note: \(note)") }
                for delivery in try await service.store.deliveries(summaryIDs: [frozen.id]) {
                    let target = delivery.channel == .webhook ? (URL(string: delivery.target)?.host ?? "webhook") : delivery.target
                    print("  \(delivery.channel.rawValue) \(target): \(delivery.status.rawValue)\(delivery.lastError.map { " — \($0)" } ?? "")")
                }
                if delivery.outbox == nil && delivery.webhook == nil {
                    print(
                        "  No outbox or webhook configured: the summary is at /summary/\(reviewWeek.monday.iso) in the web app and via `stranded summary show`."
                    )
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case html, markdown, json }

        static let configuration = CommandConfiguration(abstract: "Print a frozen summary (the latest version unless --version is given).")

        @Option(help: "The review week's Monday, YYYY-MM-DD.") var week: String
        @Option(help: "html, markdown or json.") var format: Format = .markdown
        @Option(help: "Which version (default: the latest).") var version: Int?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var config: ConfigurationOptions

        func run() async throws {
            let reviewWeek = try SummaryCommand.week(week)
            try await SummaryCommand.run(database, config, delivery: .none) { service, _ in
                guard let frozen = try await service.summary(week: reviewWeek, version: version) else {
                    throw ValidationError(
                        "no summary\(version.map { " version \($0)" } ?? "") for the week beginning \(reviewWeek.monday.iso); build one with `stranded summary build --week \(reviewWeek.monday.iso)`"
                    )
                }
                switch format {
                case .html: print(frozen.html, terminator: "")
                case .markdown: print(frozen.markdown, terminator: "")
                case .json: print(String(decoding: try frozen.json(), as: UTF8.self))
                }
            }
        }
    }

    static func week(_ text: String) throws -> ReviewWeek {
        guard let date = CalendarDate(iso: text) else {
            throw ValidationError("--week \(text) is not a date: give the review week's Monday as YYYY-MM-DD")
        }
        guard let week = ReviewWeek(monday: date) else {
            throw ValidationError("--week \(text) is not a Monday: summaries are by review week; its Monday is \(date.mondayOfWeek.iso)")
        }
        return week
    }

    static func run(
        _ options: DatabaseOptions,
        _ config: ConfigurationOptions,
        delivery: SummaryDeliveryConfiguration,
        _ body: (EscalationSummaryService, Database) async throws -> Void
    ) async throws {
        let logger = LogSetup.logger(level: "warning")
        let policy = try config.load().policy
        try await DatabaseRuntime.with(options, logger: logger) { runtime in
            try await body(
                EscalationSummaryService(database: runtime.database, policy: policy, delivery: delivery, logger: logger),
                runtime.database
            )
        }
    }
}
