import ArgumentParser
import Foundation
import Store
import StrandedCore
import WardListImport
import Workflow

struct ImportStays: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-stays",
        abstract: "Import a stays extract (CSV), one row per hospital stay. Records every row or none; exits 1 when the file is refused.",
        discussion: "The file format is described in Schema/stays.md."
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The stays extract (CSV, comma or tab separated, UTF-8).")
    var file: String

    @Flag(help: "Print the report as JSON instead of lines.")
    var json = false

    func run() async throws {
        let logger = LogSetup.logger(level: nil)
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let report: StayImportReport
        do {
            report = try await DatabaseRuntime.with(database, logger: logger) { runtime in
                try await AuditActor.$current.withValue(.commandLine) {
                    try await StayImporter(database: runtime.database).importCSV([UInt8](data), by: AuditActor.commandLine.username)
                }
            }
        } catch let error as StayFile.Unreadable {
            throw ValidationError("\(file): \(error.description); see Schema/stays.md")
        }
        try FileImportOutput.finish(report, file: file, json: json, accepted: report.accepted, issues: report.issues) {
            let r = report.recording
            return "\(report.dataRows) stays; \(r.added) added, \(r.updated) updated, \(r.unchanged) unchanged."
        }
    }
}
