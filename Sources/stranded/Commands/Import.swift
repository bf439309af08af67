import ArgumentParser
import Foundation
import Store
import StrandedCore
import WardListImport
import Workflow

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a weekly ward list (CSV). Prints the verdict and any row errors; exits 1 when the file is rejected.",
        discussion: "The file format is described in Schema/ward-list.md."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var config: ConfigurationOptions

    @Argument(help: "The ward list file (CSV, comma or tab separated, UTF-8).")
    var file: String

    @Option(name: .customLong("snapshot-date"), help: "The list's date (yyyy-mm-dd) when the file has no snapshot_date column.")
    var snapshotDate: String?

    @Option(name: .customLong("max-invalid-percent"), help: "Reject the whole file when more than this percentage of rows have errors (default 5).")
    var maxInvalidPercent: Double?

    @Flag(help: "Print the full report as JSON instead of a table.")
    var json = false

    func run() async throws {
        let logger = LogSetup.logger(level: nil)
        let policy = try config.load().policy
        var date: CalendarDate?
        if let snapshotDate {
            guard let parsed = CalendarDate(isoOrUK: snapshotDate) else {
                throw ValidationError("--snapshot-date \(snapshotDate) is not a date; use yyyy-mm-dd")
            }
            date = parsed
        }
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw ValidationError("cannot read \(file)")
        }
        let report = try await DatabaseRuntime.with(database, logger: logger) { runtime in
            var importer = WardListImporter(database: runtime.database, policy: policy, logger: logger)
            if let maxInvalidPercent { importer.importPolicy.maxInvalidShare = maxInvalidPercent / 100 }
            // The audit trail names who ran the command, for accepted and rejected files alike.
            return try await AuditActor.$current.withValue(.commandLine) {
                try await importer.importFile(at: url, source: .cli, snapshotDate: date, snapshotDateGivenBy: "--snapshot-date yyyy-mm-dd")
            }
        }
        if json {
            print(String(decoding: try ReportPrinter.json(report), as: UTF8.self))
        } else {
            print(ReportPrinter.text(report))
        }
        if report.verdict == .rejected { throw ExitCode(1) }
    }
}

/// Prints an import report for people (a table) or machines (JSON).
enum ReportPrinter {
    static func json(_ report: ImportReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(report)
    }

    static func text(_ report: ImportReport) -> String {
        var lines = ["\(report.verdict.rawValue.uppercased()) \(report.fileName ?? "") (import #\(report.importID ?? 0))", report.summary]
        if !report.sites.isEmpty {
            lines.append("")
            lines.append(pad("site", 10) + pad("kind", 11) + pad("rows", 8) + pad("7+", 8) + "21+")
            for site in report.sites {
                lines.append(
                    pad(site.site, 10) + pad(site.listKind.rawValue, 11) + pad("\(site.rows)", 8) + pad("\(site.stranded)", 8)
                        + "\(site.superStranded)"
                )
            }
        }
        if !report.rowErrors.isEmpty {
            lines.append("")
            lines.append("Row errors (\(report.errorCount)):")
            lines.append(pad("line", 7) + pad("column", 24) + pad("value", 22) + "reason")
            for issue in report.rowErrors {
                lines.append(pad("\(issue.line)", 7) + pad(issue.column ?? "", 24) + pad(issue.value ?? "", 22) + issue.reason)
            }
            if report.errorCount > report.rowErrors.count { lines.append("… and \(report.errorCount - report.rowErrors.count) more") }
        }
        if !report.warnings.isEmpty {
            lines.append("")
            lines.append("Warnings (\(report.warningCount)):")
            for issue in report.warnings.prefix(50) {
                lines.append(pad(issue.line == 0 ? "" : "\(issue.line)", 7) + pad(issue.column ?? "", 24) + issue.reason)
            }
            if report.warningCount > 50 { lines.append("… and \(report.warningCount - 50) more (use --json for all)") }
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
