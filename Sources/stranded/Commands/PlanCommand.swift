import ArgumentParser
import Foundation
import Logging
import Reports
import Store
import StrandedCore
import Workflow

/// `stranded plan …`: the action plan tracker from the command line.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "The system action plan: import, seed, report, export and metric values.",
        subcommands: [Import.self, Seed.self, Show.self, Export.self, Metrics.self]
    )

    /// Imports a plan file (format: Schema/plan/README.md). A plan whose
    /// title is already in the tracker is refused, not replaced, because its
    /// progress history and audit trail are append-only.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a plan file (JSON, Schema/plan/README.md). Refuses a title already imported."
        )

        @Argument(help: "The plan file.") var file: String
        @Option(help: "Who is importing, for the audit trail (default: $USER).") var by: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var config: ConfigurationOptions

        func run() async throws {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            let author = by ?? ProcessInfo.processInfo.environment["USER"] ?? "stranded plan import"
            try await PlanCommand.run(database, config) { service in
                let (id, document) = try await service.importPlan(data: data, by: author)
                print(
                    "Imported \"\(document.plan.title)\" as plan \(id): \(document.priorities.count) priorities, \(document.allActions.count) key actions, \(document.allSubActions.count) sub-actions, \(document.people.count) people, \(document.allOutstandingTasks.count) outstanding tasks."
                )
            }
        }
    }

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the bundled Oxfordshire CQC plan unless it is already there."
        )
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var config: ConfigurationOptions

        func run() async throws {
            try await PlanCommand.run(database, config) { service in
                let id = try await service.loadSeedPlanIfMissing()
                print("The seed plan is plan \(id).")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the current plan's RAG counts by priority.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var config: ConfigurationOptions

        func run() async throws {
            try await PlanCommand.run(database, config) { service in
                let (_, document) = try await service.current()
                let overview = PlanOverview(document, on: service.today(), policy: service.policy)
                print(document.plan.title)
                print("RAG on \(overview.today.uk): red, amber, green, complete")
                for row in overview.rows {
                    print("  \(row.letter) \(row.title): \(row.counts.red), \(row.counts.amber), \(row.counts.green), \(row.counts.complete)")
                }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, md, closure }

        static let configuration = CommandConfiguration(
            abstract: "Write the current plan as CSV, JSON (the plan file format), Markdown, or the closure report (Markdown)."
        )
        @Option(help: "csv, json, md or closure.") var format: Format = .csv
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var config: ConfigurationOptions

        func run() async throws {
            try await PlanCommand.run(database, config) { service in
                let (_, document) = try await service.current()
                let text: String
                switch format {
                case .csv: text = PlanExports.csv(document, on: service.today(), policy: service.policy)
                case .json: text = String(decoding: try PlanExports.json(document), as: UTF8.self) + "\n"
                case .md: text = PlanExports.markdown(document, on: service.today(), policy: service.policy)
                case .closure: text = ClosureReport(document).markdown
                }
                if let output {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output))
                } else {
                    print(text, terminator: "")
                }
            }
        }
    }

    /// Runs `body` with a plan service on the configured database. Plan
    /// errors describe themselves (what is wrong, where, what to do), and
    /// ArgumentParser prints them as `Error: …` with exit status 1.
    static func run(_ options: DatabaseOptions, _ config: ConfigurationOptions, _ body: (PlanService) async throws -> Void) async throws {
        let logger = LogSetup.logger(level: "warning")
        let policy = try config.load().policy
        try await DatabaseRuntime.with(options, logger: logger) { runtime in
            try await body(PlanService(database: runtime.database, policy: policy.planRAG))
        }
    }
}
