import ArgumentParser
import Foundation
import StrandedCore
import WardListImport
import Workflow

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Synthetic demonstration data (NHS numbers from the 999 test range only).",
        subcommands: [Generate.self, Load.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a made-up system's sites.csv and one ward list per week to a directory. Deterministic for a seed."
        )

        @Option(help: "Number of hospital sites.") var sites = 6
        @Option(help: "Average beds per site.") var beds = 120
        @Option(help: "Number of weekly lists.") var weeks = 12
        @Option(help: "Random seed: the same seed gives the same files.") var seed: UInt64 = 1
        @Option(help: "Share of rows to break on purpose, e.g. 0.02.") var errors: Double = 0
        @Option(name: .customLong("first-monday"), help: "Date of the first list (a Monday); default 12 weeks before this week.") var firstMonday:
            String?
        @Flag(name: .customLong("long-stay-only"), help: "Only patients with LoS ≥ 7 (default: full census).") var longStayOnly = false
        @Option(help: "Output directory.") var out: String

        func run() async throws {
            let monday: CalendarDate
            if let firstMonday {
                guard let date = CalendarDate(iso: firstMonday), date.isoWeekday == 1 else {
                    throw ValidationError("--first-monday must be a Monday as yyyy-mm-dd")
                }
                monday = date
            } else {
                monday = CalendarDate.today().mondayOfWeek.adding(days: -7 * weeks)
            }
            guard (0...0.5).contains(errors) else { throw ValidationError("--errors must be between 0 and 0.5") }
            let configuration = SyntheticSystem.Configuration(
                sites: sites,
                bedsPerSite: beds,
                weeks: weeks,
                seed: seed,
                errorRate: errors,
                firstMonday: monday,
                census: !longStayOnly
            )
            let directory = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let files = try SyntheticSystem.writeFiles(configuration: configuration, to: directory)
            print("Wrote \(files.count) files to \(directory.path): sites.csv and \(files.count - 1) weekly lists.")
            print("Load them with: stranded sites import \(directory.path)/sites.csv && stranded import FILE …")
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load the demo (sites, 8 weeks of lists, the seed plan) into an empty database.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var config: ConfigurationOptions

        func run() async throws {
            let logger = LogSetup.logger(level: "warning")
            let configuration = try config.load()
            let loaded = try await DatabaseRuntime.with(database, logger: logger) { runtime in
                try await DemoData(database: runtime.database, logger: logger).loadIfEmpty(configuration: configuration)
            }
            print("Demo loaded: \(loaded.sites) sites, \(loaded.weeks) weekly lists, seed action plan\(loaded.planLoaded ? "" : " (not loaded)").")
        }
    }
}
