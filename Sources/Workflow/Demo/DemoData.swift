import Foundation
import Logging
import StrandedCore
import Store
import WardListImport

/// Synthetic demonstration data: a made-up health system's sites and recent
/// weekly lists (NHS numbers from the 999 test range), and the seed action
/// plan. Loaded once into an empty database; never into one holding real lists.
public struct DemoData: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public struct Loaded: Sendable {
        public var sites = 0
        public var weeks = 0
        public var planLoaded = false
    }

    /// Loads the demo unless lists are already present. The weeks end on the
    /// Monday of `today`'s week, so the demo always looks current.
    @discardableResult
    public func loadIfEmpty(weeks: Int = 8, today: CalendarDate = .today()) async throws -> Loaded {
        var loaded = Loaded()
        let plan = PlanService(database: database)
        _ = try await plan.loadSeedPlanIfMissing()
        loaded.planLoaded = true
        guard try await !WardListStore(database: database).hasAcceptedImports() else {
            logger.info("demo: ward lists already present; nothing added")
            return loaded
        }
        let lastMonday = today.mondayOfWeek
        var system = SyntheticSystem(configuration: .init(
            sites: 6, bedsPerSite: 120, weeks: weeks, seed: 2026, firstMonday: lastMonday.adding(days: -7 * (weeks - 1))))
        loaded.sites = try await SiteReferenceImporter(database: database).importCSV(system.referenceCSV())
        let importer = WardListImporter(database: database, logger: logger)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        while let week = system.nextWeek() {
            let url = directory.appendingPathComponent("demo-ward-list-\(week.snapshotDate.iso).csv")
            try week.csv.write(to: url, atomically: true, encoding: .utf8)
            let report = try await importer.importFile(at: url, source: .demo, today: today)
            logger.info("demo: imported a week", metadata: ["snapshot": "\(week.snapshotDate.iso)", "verdict": "\(report.verdict.rawValue)"])
            loaded.weeks += 1
        }
        return loaded
    }
}
