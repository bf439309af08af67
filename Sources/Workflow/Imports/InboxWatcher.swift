import Foundation
import Logging
import ServiceLifecycle
import StrandedCore
import WardListImport

/// Watches a directory for ward lists, board-round days files and stays
/// extracts, and imports each one as its header row says it is
/// (``InboxImporters``).
///
/// A file is picked up only once its size and modification time have stayed
/// the same for `settleTime` (so a file still being copied in is left alone),
/// or at once if it was renamed in complete (a rename does not change either,
/// and the next scan after `settleTime` sees it settled). Each file is claimed
/// by renaming it into `processing/` — atomic, so two daemons sharing the
/// inbox never import the same file — then moved to `done/` (accepted or
/// duplicate) or `rejected/`, with `NAME.report.json` beside it.
public struct InboxWatcher: Service {
    let directory: URL
    let importers: InboxImporters
    let settleTime: Duration
    let scanInterval: Duration
    let logger: Logger

    public init(
        directory: URL,
        importers: InboxImporters,
        settleTime: Duration = .seconds(2),
        scanInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.directory = directory
        self.importers = importers
        self.settleTime = settleTime
        self.scanInterval = scanInterval
        self.logger = logger
    }

    public func run() async throws {
        try prepare()
        logger.info("watching the inbox for ward lists, board-round days and stays extracts", metadata: ["dir": "\(directory.path)"])
        var seen: [String: (size: Int, modified: Date, since: ContinuousClock.Instant)] = [:]
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = ContinuousClock.now
            var present = Set<String>()
            for name in candidates() {
                present.insert(name)
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path),
                    let size = (attributes[.size] as? NSNumber)?.intValue,
                    let modified = attributes[.modificationDate] as? Date
                else { continue }
                if let previous = seen[name], previous.size == size, previous.modified == modified {
                    if now - previous.since >= settleTime {
                        seen[name] = nil
                        await process(name)
                    }
                } else {
                    seen[name] = (size, modified, now)
                }
            }
            seen = seen.filter { present.contains($0.key) }
            try? await Task.sleep(for: scanInterval)
        }
    }

    /// Imports everything in the inbox now, waiting for nothing (tests, `stranded inbox run`).
    public func processAll() async throws {
        try prepare()
        for name in candidates() { await process(name) }
    }

    private func prepare() throws {
        for sub in ["processing", "done", "rejected"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    /// Regular files, not hidden, not obviously partial.
    private func candidates() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            guard !name.hasPrefix("."), !name.hasSuffix(".part"), !name.hasSuffix(".tmp"), !name.hasSuffix(".partial"),
                !name.hasSuffix(".report.json")
            else { return false }
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }.sorted()
    }

    private func process(_ name: String) async {
        let source = directory.appendingPathComponent(name)
        let claimed = directory.appendingPathComponent("processing").appendingPathComponent(name)
        // Losing the rename means another daemon took the file.
        guard rename(source.path, claimed.path) == 0 else { return }
        do {
            let outcome = try await importers.importFile(at: claimed, named: name)
            let destination = uniqueDestination(folder: outcome.rejected ? "rejected" : "done", name: name)
            try FileManager.default.moveItem(at: claimed, to: destination)
            try outcome.report.write(to: URL(fileURLWithPath: destination.path + ".report.json"))
            logger.info("inbox file processed", metadata: outcome.logMetadata.merging(["file": "\(name)"]) { $1 })
        } catch {
            // The database failed, not the file: put it back to try again later.
            logger.error("inbox file could not be processed; it will be retried", metadata: ["file": "\(name)", "error": "\(error)"])
            _ = rename(claimed.path, source.path)
        }
    }

    private func uniqueDestination(folder: String, name: String) -> URL {
        let base = directory.appendingPathComponent(folder)
        var candidate = base.appendingPathComponent(name)
        var counter = 1
        while FileManager.default.fileExists(atPath: candidate.path) {
            counter += 1
            candidate = base.appendingPathComponent("\(counter)-\(name)")
        }
        return candidate
    }

    /// The first `yyyy-mm-dd` in a file name, e.g. `RZZ01-2025-03-10.csv`.
    static func dateInName(_ name: String) -> CalendarDate? {
        let characters = Array(name)
        guard characters.count >= 10 else { return nil }
        for start in 0...(characters.count - 10) {
            let slice = String(characters[start..<start + 10])
            if let date = CalendarDate(iso: slice) { return date }
        }
        return nil
    }
}
