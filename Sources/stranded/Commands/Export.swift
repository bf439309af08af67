import ArgumentParser
import Foundation
import Reports
import StrandedCore
import Workflow

/// `stranded export trends …`: the weekly trend series as CSV, JSON or the
/// NHS England long format.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export data for analysis and returns.",
        subcommands: [ExportTrends.self]
    )
}

struct ExportTrends: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trends",
        abstract:
            "Weekly trend figures (patients at each configured length-of-stay band, stranded and super stranded, flows, bed days, LoS median and 90th percentile, reviews, escalations, delay reasons).",
        discussion: """
            Defaults: the 52 weeks up to the latest list, the whole system, CSV on standard output.
            --publication removes nothing identifying (trend exports hold no patient data) and suppresses
            small counts (1–4 shown as *, or --suppress-below N; --policy nhs-digital: 1–7 as *, others
            rounded to the nearest 5), stating the rule in the file.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var config: ConfigurationOptions

    @Option(help: "First week (a date in it; yyyy-mm-dd).") var from: String?
    @Option(help: "Last week (a date in it; yyyy-mm-dd).") var to: String?
    @Option(help: "system, organisation, site or ward.") var scope: String = "system"
    @Option(help: "One organisation, site or ward (SITE/WARD; SITE gives all its wards).") var code: String?
    @Option(help: "csv, json or long (Period, Org Code, Org Name, Metric, Value).") var format: String = "csv"
    @Flag(help: "Publication mode: suppress small counts and state the rule in the file.") var publication = false
    @Option(name: .customLong("suppress-below"), help: "Publication mode with counts from 1 to N−1 shown as * (default 5).") var suppressBelow:
        String?
    @Option(help: "Publication rule: threshold (default) or nhs-digital.") var policy: String?
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func run() async throws {
        let logger = LogSetup.logger(level: nil)
        let rules = try config.load().policy
        let text: String
        do {
            text = try await DatabaseRuntime.with(database, logger: logger) { runtime in
                let service = TrendService(database: runtime.database, policy: rules)
                let request = try TrendRequest.parse(
                    from: from,
                    to: to,
                    scope: scope,
                    code: code,
                    format: format,
                    publication: publication,
                    suppressBelow: suppressBelow,
                    policy: policy,
                    latest: try await service.latestWeek()
                )
                return try await service.export(request)
            }
        } catch let problem as TrendRequest.Problem {
            // A wrong option: say which and what to give, without the usage screen.
            FileHandle.standardError.write(Data("stranded export trends: \(problem.message)\n".utf8))
            throw ExitCode(64)
        }
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
