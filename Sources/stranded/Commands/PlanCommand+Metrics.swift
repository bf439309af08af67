import ArgumentParser
import Foundation
import Store
import StrandedCore
import Workflow

extension PlanCommand {
    /// `stranded plan metrics FILE`: imports evaluation metric values
    /// (`metric,period,value,source`), all or nothing, every change audited.
    struct Metrics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import evaluation metric values from a CSV file (metric,period,value,source); a file with any bad line records nothing."
        )

        @Argument(help: "The CSV file.") var file: String
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
            let author = by ?? ProcessInfo.processInfo.environment["USER"] ?? "stranded plan metrics"
            try await PlanCommand.run(database, config) { service in
                do {
                    let counts = try await EvaluationService(plan: service, framework: .standard).importCSV(data, by: author)
                    print("Imported \(file): \(counts.added) new, \(counts.changed) corrected, \(counts.unchanged) unchanged.")
                } catch MetricEntryError.refused(let problems) {
                    for problem in problems { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
                    throw ValidationError(
                        "\(file) was not imported (nothing was recorded): \(problems.count) problem\(problems.count == 1 ? "" : "s")"
                    )
                }
            }
        }
    }
}
