import Foundation
import Logging
import Store
import StrandedCore
import WardListImport

/// The importers behind the inbox: one folder takes the three files a data
/// team sends — ward lists, board-round days and stays extracts — each told
/// by its header row (``ImportFileKind``) and imported through the same path
/// as the API and the pages.
public struct InboxImporters: Sendable {
    public let wardLists: WardListImporter
    public let boardRoundDays: RedDayImporter
    public let stays: StayImporter
    /// The clock the board-round days' correction window is judged by.
    let now: @Sendable () -> Date

    public init(database: Database, policy: StrandedPolicy, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        wardLists = WardListImporter(database: database, policy: policy, logger: logger)
        boardRoundDays = RedDayImporter(database: database, policy: policy)
        stays = StayImporter(database: database)
        self.now = now
    }

    /// What became of one file: whether it was refused, its report for the
    /// `.report.json` beside it, and what the log may say (counts, no patient data).
    struct Outcome {
        let rejected: Bool
        let report: Data
        let logMetadata: Logger.Metadata
    }

    /// The report of a days file or stays extract that could not be read at all.
    struct UnreadableReport: Encodable {
        let kind: String
        let accepted = false
        let fileError: String
    }

    /// Imports the file at `url` as the kind its header row says.
    func importFile(at url: URL, named name: String) async throws -> Outcome {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let kind = try Self.kind(of: url)
        switch kind {
        case .wardList:
            let report = try await wardLists.importFile(
                at: url,
                source: .inbox,
                displayName: name,
                snapshotDate: InboxWatcher.dateInName(name),
                snapshotDateGivenBy: "a yyyy-mm-dd in the file name"
            )
            return Outcome(
                rejected: report.verdict == .rejected,
                report: try encoder.encode(report),
                logMetadata: ["kind": "\(kind.rawValue)", "verdict": "\(report.verdict.rawValue)", "import": "\(report.importID ?? 0)"]
            )
        case .boardRoundDays, .stays:
            let bytes = Array(try Data(contentsOf: url))
            do {
                if kind == .stays {
                    let report = try await stays.importCSV(bytes, by: "inbox")
                    return Outcome(
                        rejected: !report.accepted,
                        report: try encoder.encode(report),
                        logMetadata: ["kind": "\(kind.rawValue)", "accepted": "\(report.accepted)", "rows": "\(report.dataRows)"]
                    )
                }
                let report = try await boardRoundDays.importCSV(bytes, source: .import, by: "inbox", now: now())
                return Outcome(
                    rejected: !report.accepted,
                    report: try encoder.encode(report),
                    logMetadata: ["kind": "\(kind.rawValue)", "accepted": "\(report.accepted)", "rows": "\(report.dataRows)"]
                )
            } catch let error as UnreadableFile {
                return Outcome(
                    rejected: true,
                    report: try encoder.encode(UnreadableReport(kind: kind.rawValue, fileError: error.description)),
                    logMetadata: ["kind": "\(kind.rawValue)", "accepted": "false"]
                )
            }
        }
    }

    /// The kind told by the file's first 64 KB.
    static func kind(of url: URL) throws -> ImportFileKind {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let prefix = try handle.read(upToCount: 64 * 1024) ?? Data()
        return ImportFileKind.of(header: Array(prefix)[...])
    }
}
