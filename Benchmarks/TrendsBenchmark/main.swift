// Trend benchmark: five years (260 weeks) of weekly census lists for
// 150 sites from the synthetic generator, loaded through the real importer
// (so the trend tables are kept by the incremental refresh, as in service),
// then the whole-system and one site's trend export timed over repeated runs.
//
//   swift build -c release --product stranded-trends-bench
//   .build/release/stranded-trends-bench [--weeks 260] [--sites 150] [--beds 120] [--runs 30]
//
// Beds per site default to 120 (≈18,000 rows a week, 4.7 million in all) so
// the load takes minutes, not hours, through the full importer; the exports
// read only the summary tables, whose size follows weeks × sites (× wards for
// the ward scope), not beds.
import Foundation
import Logging
import Postgres
import Reports
import Store
import StrandedCore
import WardListImport
import Workflow

struct Options {
    var weeks = 260
    var sites = 150
    var beds = 120
    var runs = 30
    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = args.next() {
            guard let value = args.next().flatMap(Int.init) else { continue }
            switch flag {
            case "--weeks": weeks = value
            case "--sites": sites = value
            case "--beds": beds = value
            case "--runs": runs = value
            default: break
            }
        }
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Median and 95th percentile (nearest rank) in milliseconds.
func summary(_ times: [Double]) -> (median: Double, p95: Double) {
    let sorted = times.sorted()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    let p95 = sorted[max(0, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
    return (median * 1000, p95 * 1000)
}

@main
struct TrendsBenchmark {
    static func main() async throws {
        let options = Options()
        var logger = Logger(label: "trends-bench")
        logger.logLevel = .warning
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-trends-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let cluster = try EmbeddedPostgres(dataDirectory: work.appendingPathComponent("pg").path, logger: logger)
        try await cluster.start()
        try await cluster.createDatabase("bench")
        let client = PostgresClient(
            configuration: .init(connectionString: cluster.connectionString(database: "bench"), maximumConnections: 4),
            logger: logger
        )
        let database = Database(client: client, migrator: try Migrator.bundled(logger: logger), bulkConnections: Database.defaultBulkConnections)
        try await database.migrator.migrate(client)

        print(
            "Loading \(options.weeks) weekly census lists for \(options.sites) sites (~\(options.sites * options.beds) beds) through the full importer…"
        )
        print("  (lists generated in memory one week at a time; review weeks not opened, so the review series are empty)")
        var system = SyntheticSystem(
            configuration: .init(
                sites: options.sites,
                bedsPerSite: options.beds,
                weeks: options.weeks,
                seed: 42,
                firstMonday: CalendarDate(iso: "2021-01-04")!
            )
        )
        try await SiteReferenceImporter(database: database).importCSV(system.referenceCSV())
        var importer = WardListImporter(database: database, policy: .standard, logger: logger)
        importer.opensReviewWeek = false
        let file = work.appendingPathComponent("week.csv")
        let loadStart = ContinuousClock.now
        var importTimes: [Double] = []
        var rows = 0
        var lastDate = CalendarDate(iso: "2021-01-04")!
        while let week = system.nextWeek() {
            try week.csv.write(to: file, atomically: true, encoding: .utf8)
            let start = ContinuousClock.now
            let report = try await importer.importFile(at: file, source: .cli, today: CalendarDate(iso: "2030-01-01")!)
            importTimes.append(seconds(ContinuousClock.now - start))
            guard report.verdict == .accepted else {
                print("week \(importTimes.count) was \(report.verdict): \(report.summary)")
                try? await cluster.stop()
                return
            }
            rows += report.importedRows
            lastDate = week.snapshotDate
            if importTimes.count % 26 == 0 {
                print(
                    String(
                        format: "  week %3d: %d rows in %.2f s (%.0f s so far)",
                        importTimes.count,
                        report.importedRows,
                        importTimes.last!,
                        seconds(ContinuousClock.now - loadStart)
                    )
                )
            }
        }
        print(String(format: "  %d lists, %d rows in %.0f s", importTimes.count, rows, seconds(ContinuousClock.now - loadStart)))
        try await client.execute("ANALYZE")

        // Each list only marked its weeks stale; the first read recomputes
        // them all (here the whole history, nobody having read in between).
        let trends = TrendStore(database: database, policy: .standard)
        let catchUpStart = ContinuousClock.now
        try await trends.refreshStale()
        let catchUp = seconds(ContinuousClock.now - catchUpStart)
        print(String(format: "  first read after %d unread lists recomputed their weeks in %.1f s", importTimes.count, catchUp))

        // What a list's deferred refresh costs: the last list's weeks on their own (all sites, two weeks).
        let siteIDs = try await client.query("SELECT id FROM site ORDER BY id").map { try $0.decode("id", as: Int64.self) }
        var refreshTimes: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            try await trends.refresh(siteIDs: siteIDs, snapshotDate: lastDate)
            refreshTimes.append(seconds(ContinuousClock.now - start))
        }

        let service = TrendService(database: database, policy: .standard)
        let siteCode: String = try await client.query("SELECT code FROM site ORDER BY code LIMIT 1")[0].decode("code")
        let last = lastDate.mondayOfWeek
        let yearStart = last.adding(days: -7 * 51)
        let allStart = last.adding(days: -7 * (options.weeks - 1))
        func time(_ label: String, _ request: TrendRequest) async throws -> String {
            var times: [Double] = []
            var bytes = 0
            for run in 0...options.runs {
                let start = ContinuousClock.now
                let text = try await service.export(request)
                if run > 0 { times.append(seconds(ContinuousClock.now - start)) }  // run 0 warms the caches
                bytes = text.utf8.count
            }
            let (median, p95) = summary(times)
            return String(format: "  %@ median %.1f ms, p95 %.1f ms (%d runs, %d bytes)", label, median, p95, times.count, bytes)
        }
        var lines: [String] = []
        lines.append(
            try await time(
                "whole system, 52 weeks, CSV:        ",
                TrendRequest(scope: .system, code: nil, from: yearStart, to: last, format: .csv, control: .none)
            )
        )
        lines.append(
            try await time(
                "whole system, all weeks, CSV:       ",
                TrendRequest(scope: .system, code: nil, from: allStart, to: last, format: .csv, control: .none)
            )
        )
        lines.append(
            try await time(
                "whole system, all weeks, long:      ",
                TrendRequest(scope: .system, code: nil, from: allStart, to: last, format: .long, control: .publication)
            )
        )
        lines.append(
            try await time(
                "one site (\(siteCode)), 52 weeks, CSV:     ",
                TrendRequest(scope: .site, code: siteCode, from: yearStart, to: last, format: .csv, control: .none)
            )
        )
        lines.append(
            try await time(
                "one site (\(siteCode)), all weeks, CSV:    ",
                TrendRequest(scope: .site, code: siteCode, from: allStart, to: last, format: .csv, control: .none)
            )
        )
        lines.append(
            try await time(
                "one site's wards, 52 weeks, CSV:    ",
                TrendRequest(scope: .ward, code: siteCode, from: yearStart, to: last, format: .csv, control: .none)
            )
        )

        let rebuildStart = ContinuousClock.now
        let rebuilt = try await service.rebuild()
        let rebuildTime = seconds(ContinuousClock.now - rebuildStart)
        await client.close()
        // Stopped here, awaited: a deferred Task would not run before the process exits.
        try? await cluster.stop()

        let (importMedian, importP95) = summary(importTimes)
        let (refreshMedian, refreshP95) = summary(refreshTimes)
        print("")
        #if DEBUG
        let build = "DEBUG build: figures are not representative"
        #else
        let build = "release build"
        #endif
        print("RESULTS (\(options.weeks) weeks × \(options.sites) sites, \(rows) list rows, \(build))")
        print(String(format: "  import per week (trend weeks marked stale): median %.0f ms, p95 %.0f ms", importMedian, importP95))
        print(
            String(format: "  deferred trend refresh of the latest list (all sites, 2 weeks): median %.0f ms, p95 %.0f ms", refreshMedian, refreshP95)
        )
        print("  exports (targets: whole system < 500 ms, one site < 100 ms):")
        lines.forEach { print($0) }
        print(String(format: "  stranded trends rebuild: %.1f s (%d ward-weeks)", rebuildTime, rebuilt.wardWeeks))
    }
}
