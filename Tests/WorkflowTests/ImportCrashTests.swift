import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport
import Workflow

@Suite("A crashed import leaves nothing behind")
struct ImportCrashTests {
    /// The `stranded` executable built next to the test bundle.
    static var executable: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/stranded").path
    }

    @Test func sigkillMidCopyLeavesNoPartialSnapshot() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "build the stranded executable first (swift build)")
        try await TestCluster.withDatabase { database in
            var system = SyntheticSystem(
                configuration: .init(sites: 30, bedsPerSite: 700, weeks: 1, seed: 9, firstMonday: CalendarDate(iso: "2026-11-16")!)
            )
            try await SiteReferenceImporter(database: database).importCSV(system.referenceCSV())
            let next = system.nextWeek()
            let week = try #require(next)
            let file = URL(fileURLWithPath: try makeScratchDirectory("crash")).appendingPathComponent("national.csv")
            try week.csv.write(to: file, atomically: true, encoding: .utf8)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.executable)
            process.arguments = ["import", file.path, "--database-url", database.client.configuration.connectionString]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()

            // Wait until the child is streaming rows, then kill it without warning.
            var copying = false
            for _ in 0..<600 where !copying {
                try await Task.sleep(for: .milliseconds(20))
                copying =
                    try await database.client.query(
                        """
                        SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY list_row%' AND state = 'active'
                        """
                    )[0].decode("n", as: Int.self) > 0
            }
            try #require(copying, "the import never reached COPY")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            // The server notices the dead client and rolls the transaction back.
            var stillRunning = true
            for _ in 0..<500 where stillRunning {
                try await Task.sleep(for: .milliseconds(20))
                stillRunning =
                    try await database.client.query(
                        """
                        SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY list_row%'
                        """
                    )[0].decode("n", as: Int.self) > 0
            }
            #expect(!stillRunning)
            for table in ["list_row", "snapshot", "import_file", "patient_case", "ward"] {
                let count: Int = try await database.client.query(.init(unsafeSQL: "SELECT count(*) AS n FROM \(table)"))[0].decode("n")
                #expect(count == 0, "\(table) has \(count) rows after the killed import")
            }
            // And the same file then imports cleanly.
            let report = try await WardListImporter(database: database, policy: .standard).importFile(
                at: file,
                source: .cli,
                today: CalendarDate(iso: "2026-11-23")!
            )
            #expect(report.verdict == .accepted)
        }
    }
}
