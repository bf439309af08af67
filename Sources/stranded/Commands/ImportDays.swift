import ArgumentParser
import Foundation
import Store
import StrandedCore
import WardListImport
import Workflow

struct ImportDays: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-days",
        abstract: "Import a red/green days file (CSV). Records every row or none; exits 1 when the file is refused.",
        discussion: "The file format is described in Schema/red-days.md."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var config: ConfigurationOptions

    @Argument(help: "The days file (CSV, comma or tab separated, UTF-8).")
    var file: String

    @Flag(help: "Print the report as JSON instead of lines.")
    var json = false

    func run() async throws {
        let logger = LogSetup.logger(level: nil)
        let policy = try config.load().policy
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let report: RedDayImportReport
        do {
            report = try await DatabaseRuntime.with(database, logger: logger) { runtime in
                try await AuditActor.$current.withValue(.commandLine) {
                    try await RedDayImporter(database: runtime.database, policy: policy)
                        .importCSV([UInt8](data), source: .import, by: AuditActor.commandLine.username, now: Date())
                }
            }
        } catch let error as RedDayFile.Unreadable {
            throw ValidationError("\(file): \(error.description); see Schema/red-days.md")
        }
        try FileImportOutput.finish(report, file: file, json: json, accepted: report.accepted, issues: report.issues) {
            let r = report.recording
            return "\(report.dataRows) rows; \(r.recorded) days recorded, \(r.corrected) corrected, \(r.unchanged) unchanged."
        }
    }
}
