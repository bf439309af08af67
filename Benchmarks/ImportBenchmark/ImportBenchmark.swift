// Import benchmark: a national census list of ~93,000 rows from ~150 sites,
// imported through the real code path every week of a simulated year, each
// week beside two references on the same file and the same embedded
// PostgreSQL, in the same run:
//
// - the SQL peer (SQLPeer.swift): what a database engineer would write for the
//   same job without validation, `psql \copy` into a temporary staging table
//   and set-based SQL in one transaction, on copies of the tables in a schema
//   of its own, so it faces the same existing rows week after week;
// - the floor: `psql \copy` of the file into a bare table of text columns.
//
// Import and peer take turns going first; each week prints import, peer,
// import/peer and the floor, and the summary gives HdrHistogram percentiles,
// the worst week, the load average and a CPU-only machine control timed
// before the first import and after the last. Then the peak memory of one
// import run as its own process.
//
//   swift build -c release
//   .build/release/stranded-bench [--weeks 52] [--sites 150] [--beds 667] [--phases] [--back-to-back] [--keep]
//
// --phases logs each import's steps (the importer's debug line) to stderr and
// each peer statement's time (psql's \timing); --keep leaves the files, the
// peer's scripts and the database behind for a closer look.
//
// Between two weekly imports the benchmark gives PostgreSQL what the week
// between them gives it in service: a VACUUM (ANALYZE) of the tables an
// import changes and a CHECKPOINT, which autovacuum (with migration 0010's
// settings for patient_case) and the checkpointer do within minutes of an
// import; the peer's tables get the same. --back-to-back leaves them out, so
// the imports also race the background work of the ones before.
//
// Figures of 3 December 2026 (release build, 52 weeks, this 2-core machine
// shared with other builders; load average 1.9 / 4.2 / 5.4 at the end):
//   import p50 1.94 s, p90 2.43 s, max 7.31 s; SQL peer p50 1.92 s, p90
//   2.36 s; floor p50 0.23 s; import/peer median 1.02×, 48 of 52 weeks
//   ≤ 1.2×; drift from weeks 2–5 to the last 4, +16.8%. Only 1 of 52 imports
//   under 1.5 s: the SQL both run is most of the time. Machine control 99.8 ms
//   before, 68.8 ms after.
// Then both were given the same three changes, found with --phases and
// EXPLAIN (ANALYZE, BUFFERS, WAL) on a kept database: the listed wards
// sorted out of the rows once, not twice; a national list's ~28,000 stays
// hashed against the journeys and wards instead of an index probe each (the
// planner reckons one row for an import its statistics predate); absent cases
// discharged or held open in one pass. On week 9 of a kept database this cut
// the statements' shared-buffer hits from 1.25 M to 1.05 M (the case upsert's
// from 586 k to 389 k); the WAL they write is unchanged, 68 MB, most of it
// the rows themselves and full-page images of the cases after the weekly
// checkpoint. 8 weeks afterwards (load average 8.8 / 16.3 / 12.4 at the end,
// machine control 115.7 ms before, 86.2 ms after): import p50 1.65 s, max
// 1.87 s; peer p50 1.61 s, max 2.06 s; floor p50 0.23 s; import/peer median
// 1.08×, 7 of 8 weeks ≤ 1.2× (worst 1.20×); none under 1.5 s yet. A
// 12-week run after it met load averages near 30 in weeks 1–6 (machine
// control 405 ms before); its calmer weeks 8–12: import 1.39–1.85 s, peer
// 1.28–1.82 s, week 10's import the one under 1.5 s (phases over those
// weeks: fingerprint 0.1 s, rows 0.4–0.65 s, cases 0.36–0.51 s, discharges
// 0.25–0.38 s). What is left is mostly writing: ~93,000 rows, ~13,500 new
// cases and ~13,600 discharges (each a new version in five indexes), ~14,800
// continuing cases, ~10,600 journeys, every week.
// 4 December 2026: migration 0048 dropped patient_case's unused journey
// index and set its fillfactor to 60 (both import and peer get the schema):
// on week 6 the upsert's buffers fell 12% and the discharges' 16% for the
// index, and every continuing case's update became HOT for the fillfactor
// (≈60% were at 80). The import also stopped reading its rows back for wards,
// per-site counts and journeys' NHS numbers (tallied while streaming). A
// back-to-back pair of runs met load averages of 8–15 (floor p50 0.36 s
// before, 0.49 s after), so only the in-run ratio compares: weeks 1–15,
// import/peer median 1.04× before, 0.93× after; case counts identical.
// The full 52 weeks after it on a quiet machine (04:30, load average 1.4 at
// the end; machine control 117 ms before, 68 ms after): import p50 1.464 s,
// p99 1.742 s; peer p50 1.489 s; floor p50 0.197 s; import/peer median 0.97×,
// 49 of 52 weeks ≤ 1.2× (worst 1.28×, week 1); 32 of 52 weeks under 1.5 s.
// Targets: within 1.2× NOT MET every week (3 over), under 1.5 s NOT MET.
// 4 December 2026, afternoon: fingerprints by the processor's SHA
// instructions and the text check eight bytes at a time (--phases, 5 weeks:
// fingerprint 0.034–0.047 s, was 0.08–0.14). 52 weeks at 13:47 (load
// average 1.0 at the end; machine control 98.1 ms before, 84.6 ms after,
// against 66.5 ms in the morning's quiet hour): import p50 1.357 s, max
// 1.938 s; peer p50 1.569 s; floor p50 0.195 s; import/peer median 0.85×,
// 52 of 52 weeks ≤ 1.2× (worst 1.15×); 44 of 52 under 1.5 s. Again at 14:57
// (control 108.0 ms before, 69.1 ms after; floor p50 0.232 s): import p50
// 1.539 s, peer p50 1.643 s, median 0.93×, 51 of 52 ≤ 1.2× (worst 1.35×),
// 20 of 52 under 1.5 s; the review week opened after the last import in
// 0.423 s (week 1 0.360 s). Targets: ≤ 1.2× met in one run of two; under
// 1.5 s NOT MET on this machine as it is now (the floor itself 20–30% slower
// than in the morning).
// 4 December 2026, evening: the import still slowed with history (16:15,
// quiet, control 66.8 ms before: weeks 2–5 0.971 s, last 4 weeks 1.425 s).
// auto_explain (log_analyze, log_buffers) over 52 weeks showed why: the
// case upsert dirtied 1,121 pages in week 1 and 9,347 in week 52, the
// discharges 462 and 2,227, the journeys 396 and 2,245. A case's key was
// indexed (site, patient, admission date), so each week's ~13,500 new cases
// and ~13,600 discharges wrote entries all over an index that grows every
// week, and every page dirtied after the weekly checkpoint goes whole into
// the WAL. Migration 0050 indexes it (site, admission date, patient): week
// 52's upsert dirtied 4,680 pages (discharges 2,800, a little more), and
// under auto_explain weeks 40–52 averaged 1.239 s against 1.222 s for weeks
// 2–10, where they had been 1.641 s against 1.435 s. The peer copies the
// schema, so it gained the same. Without auto_explain, 52 weeks at 17:15
// (control 68.2 ms before, 66.7 ms after; load average 1.1 at the end):
// import p50 1.179 s, p90 1.522 s, max 1.653 s; peer p50 1.307 s; floor p50
// 0.184 s; import/peer median 0.90×, 51 of 52 weeks ≤ 1.2× (worst 1.27×,
// week 18); 45 of 52 under 1.5 s, the seven over all in weeks 16–24, when
// the peer slowed too (to 1.78 s); weeks 25–52 all under 1.45 s. Targets
// NOT MET in this run. Tried and not kept: rows by COPY's binary format
// (server CPU for the bare COPY of a week's rows fell about a quarter in
// psql, but the import's rows phase was no faster: 0.45–0.60 s against
// 0.37–0.53 s, import/peer median 1.02× against 0.90×).
// Two more runs of 52 weeks with the machine at its quiet speed again
// (control 66–69 ms): at 17:22 import p50 1.067 s, max 1.434 s; peer p50
// 1.221 s; floor p50 0.167 s; median 0.90×, worst 1.16×; at 17:36 import
// p50 0.994 s, max 1.108 s; peer p50 1.157 s; floor p50 0.163 s; median
// 0.86×, worst 0.97×; weeks 2–5 0.930 s, last 4 1.042 s (+12%). Both
// targets MET in both: 52 of 52 weeks ≤ 1.2× and under 1.5 s.
import BenchmarkSupport
import Foundation
import Logging
import Postgres
import Store
import StrandedCore
import WardListImport
import Workflow

struct Options {
    var weeks = 52
    var sites = 150
    var beds = 667
    var phases = false
    var backToBack = false
    var keep = false
    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = args.next() {
            if flag == "--phases" {
                phases = true
                continue
            }
            if flag == "--back-to-back" {
                backToBack = true
                continue
            }
            if flag == "--keep" {
                keep = true
                continue
            }
            guard let value = args.next().flatMap(Int.init) else { continue }
            switch flag {
            case "--weeks": weeks = value
            case "--sites": sites = value
            case "--beds": beds = value
            default: break
            }
        }
    }
}

/// Runs a program and returns its exit status and peak resident memory.
///
/// The peak is read from the child's own /proc/PID/status (VmHWM) while it
/// runs, not from wait4's ru_maxrss: posix_spawn starts the child in this
/// process's memory (vfork), and Linux then counts this benchmark's own peak —
/// a hundred megabytes of generated lists — as the child's.
func spawn(_ argv: [String], quiet: Bool = false) throws -> (status: Int32, peakRSSKiB: Int) {
    var pid: pid_t = 0
    // A quiet child's report (stdout) goes nowhere: the benchmark prints its own figures.
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if quiet { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
    var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    guard posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else { throw CocoaError(.executableLoad) }
    var status: Int32 = 0
    var peak = 0
    while waitpid(pid, &status, WNOHANG) == 0 {
        if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        {
            peak = max(peak, kib)
        }
        usleep(2_000)
    }
    return ((status >> 8) & 0xff, peak)
}

@main
struct ImportBenchmark {
    static func main() async throws {
        let options = Options()
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer {
            if options.keep {
                print("  kept \(work.path) (the stopped cluster is in pg/; start it with pg_ctl to look inside)")
            } else {
                try? FileManager.default.removeItem(at: work)
            }
        }

        print("Generating \(options.weeks) weekly census lists for \(options.sites) sites (~\(options.sites * options.beds) beds)…")
        let generationStart = ContinuousClock.now
        var system = SyntheticSystem(
            configuration: .init(
                sites: options.sites,
                bedsPerSite: options.beds,
                weeks: options.weeks + 1,
                seed: 42,
                firstMonday: CalendarDate(iso: "2025-11-03")!
            )
        )
        try system.referenceCSV().write(to: work.appendingPathComponent("sites.csv"), atomically: true, encoding: .utf8)
        var files: [URL] = []
        while let week = system.nextWeek() {
            let url = work.appendingPathComponent("ward-list-\(week.snapshotDate.iso).csv")
            try week.csv.write(to: url, atomically: true, encoding: .utf8)
            files.append(url)
        }
        // The last week is kept back for the memory measurement.
        let rssFile = files.removeLast()
        let firstSize = (try FileManager.default.attributesOfItem(atPath: files[0].path)[.size] as? NSNumber)?.intValue ?? 0
        let firstRows = try Data(contentsOf: files[0]).reduce(0) { $1 == 10 ? $0 + 1 : $0 } - 1
        print(
            String(
                format: "  %d files in %.1f s; week 1: %d rows, %.1f MB",
                files.count,
                seconds(ContinuousClock.now - generationStart),
                firstRows,
                Double(firstSize) / 1e6
            )
        )

        let clusterDir = work.appendingPathComponent("pg").path
        let cluster = try EmbeddedPostgres(dataDirectory: clusterDir, logger: logger)
        try await cluster.start()
        // Stopped before the directory goes, on every way out (a server whose
        // directory was removed from under it shuts itself down only later).
        func measure() async throws {
            try await cluster.createDatabase("bench")
            let connection = cluster.connectionString(database: "bench")
            let client = PostgresClient(configuration: .init(connectionString: connection, maximumConnections: 4), logger: logger)
            let database = Database(client: client, migrator: try Migrator.bundled(logger: logger), bulkConnections: Database.defaultBulkConnections)
            try await database.migrator.migrate(client)
            try await SiteReferenceImporter(database: database).importCSV(
                try String(contentsOf: work.appendingPathComponent("sites.csv"), encoding: .utf8)
            )

            // The floor: psql \copy of the same file into a bare table of text columns.
            let columns = SyntheticSystem.columns.map { "\"\($0)\" text" }
            try await client.execute(.init(unsafeSQL: "CREATE TABLE bare (\(columns.joined(separator: ", ")))"))
            func floor(_ file: URL) async throws -> Double {
                try await client.execute("TRUNCATE bare")
                let start = ContinuousClock.now
                let copy = "\\copy bare FROM '\(file.path)' WITH (FORMAT csv, HEADER true)"
                let result = try spawn(["/usr/bin/psql", "-X", "-q", "-d", connection, "-c", copy])
                guard result.status == 0 else { throw SQLPeer.PeerFailed(status: result.status) }
                return seconds(ContinuousClock.now - start)
            }
            // The peer: the same job in hand-written SQL, on its own copies of the tables.
            try await SQLPeer.prepare(client)
            var peer = SQLPeer(connection: connection, work: work, thresholds: StrandedPolicy.standard.thresholds)
            peer.timing = options.phases

            // The real import path, week after week.
            var importLogger = Logger(label: "import")
            importLogger.logLevel = options.phases ? .debug : .warning
            var importer = WardListImporter(database: database, policy: .standard, logger: importLogger)
            importer.opensReviewWeek = false
            let opener = WeekOpener(database: database, policy: .standard)
            var weeks: [WeekFigures] = []
            var openTimes: [Double] = []
            func settle(_ tables: String) async throws {
                guard !options.backToBack else { return }
                try await client.execute(.init(unsafeSQL: "VACUUM (ANALYZE) \(tables)"))
                try await client.execute("CHECKPOINT")
            }
            let controlBefore = try machineControl(files[0])
            print("")
            print("  week   import     peer   import/peer   floor (psql \\copy)   cases opened/continuing/discharged")
            for (index, file) in files.enumerated() {
                var figures = WeekFigures()
                // Each goes first on alternate weeks, so neither always meets the other's leftovers.
                for importFirst in index % 2 == 0 ? [true, false] : [false, true] {
                    if importFirst {
                        let start = ContinuousClock.now
                        let report = try await importer.importFile(at: file, source: .cli, today: CalendarDate(iso: "2030-01-01")!)
                        figures.importTime = seconds(ContinuousClock.now - start)
                        guard report.verdict == .accepted else {
                            print("week \(index + 1) was \(report.verdict): \(report.summary)")
                            return
                        }
                        figures.cases = "\(report.cases.opened)/\(report.cases.continuing)/\(report.cases.discharged)"
                        // Opening the review week is timed on its own, on the first
                        // and the last week (with a year of forms behind it).
                        if index == 0 || index == files.count - 1 {
                            let openStart = ContinuousClock.now
                            _ = try await opener.open(week: ReviewWeek.containing(CalendarDate(iso: report.snapshotDate!)!))
                            openTimes.append(seconds(ContinuousClock.now - openStart))
                        }
                        try await settle("patient_case, journey, list_row, snapshot, ward, level1_form")
                    } else {
                        figures.peerTime = try peer.run(file, week: index + 1)
                        try await settle(SQLPeer.vacuumList)
                    }
                }
                figures.floorTime = try await floor(file)
                weeks.append(figures)
                print(
                    String(
                        format: "  %4d  %6.3f s  %6.3f s  %8.2f×  %10.3f s          %@",
                        index + 1,
                        figures.importTime,
                        figures.peerTime,
                        figures.ratio,
                        figures.floorTime,
                        figures.cases
                    )
                )
                fflush(nil)
            }

            let controlAfter = try machineControl(files[0])

            if options.phases {
                // How the tables the import rewrites weekly have aged (dead tuples, HOT updates, vacuums).
                let tables = try await client.query(
                    """
                    SELECT relname, n_live_tup, n_dead_tup, n_tup_upd, n_tup_hot_upd, autovacuum_count, autoanalyze_count,
                           pg_size_pretty(pg_table_size(relid)) AS heap, pg_size_pretty(pg_indexes_size(relid)) AS indexes
                    FROM pg_stat_user_tables WHERE relname IN ('patient_case', 'list_row', 'journey', 'snapshot') ORDER BY relname
                    """
                )
                for row in tables {
                    let name: String = try row.decode("relname")
                    let heap: String = try row.decode("heap")
                    let indexes: String = try row.decode("indexes")
                    let live: Int64 = try row.decode("n_live_tup")
                    let dead: Int64 = try row.decode("n_dead_tup")
                    let updates: Int64 = try row.decode("n_tup_upd")
                    let hot: Int64 = try row.decode("n_tup_hot_upd")
                    let vacuums: Int64 = try row.decode("autovacuum_count")
                    let analyzes: Int64 = try row.decode("autoanalyze_count")
                    print(
                        "  \(name): \(live) live, \(dead) dead, \(updates) updates (\(hot) HOT), \(vacuums) autovacuums, \(analyzes) autoanalyzes; heap \(heap), indexes \(indexes)"
                    )
                }
            }

            // Peak memory of one import as its own process (a fresh week's file).
            var rss = 0
            let strandedBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("stranded").path
            if FileManager.default.isExecutableFile(atPath: strandedBinary) {
                let result = try spawn([strandedBinary, "import", rssFile.path, "--database-url", connection], quiet: true)
                rss = result.peakRSSKiB
                if result.status != 0 { print("  (the RSS run's import exited \(result.status))") }
            }
            await client.close()

            let importTimes = weeks.map(\.importTime)
            var importLatencies = Latencies()
            var peerLatencies = Latencies()
            var floorLatencies = Latencies()
            for week in weeks {
                importLatencies.record(.seconds(week.importTime), bytes: 0)
                peerLatencies.record(.seconds(week.peerTime), bytes: 0)
                floorLatencies.record(.seconds(week.floorTime), bytes: 0)
            }
            let ratios = weeks.map(\.ratio).sorted()
            let worstRatio = weeks.indices.max { weeks[$0].ratio < weeks[$1].ratio }!
            let slowest = weeks.indices.max { weeks[$0].importTime < weeks[$1].importTime }!
            print("")
            print(
                "RESULTS (\(firstRows) rows, \(options.sites) sites, \(weeks.count) weeks, \(buildKind) build, \(options.backToBack ? "back to back" : "weekly VACUUM and CHECKPOINT between imports"); \(loadAverage()))"
            )
            print("  stranded import:               \(importLatencies.summary)")
            print("  SQL peer (\\copy + set SQL):    \(peerLatencies.summary)")
            print("  floor (\\copy, bare table):     \(floorLatencies.summary)")
            print(
                String(
                    format:
                        "  import/peer: median %.2f×, all weeks together %.2f×, %d of %d weeks ≤ 1.2×, worst %.2f× (week %d: %.3f s vs %.3f s); target ≤ 1.2× every week",
                    ratios[ratios.count / 2],
                    weeks.map(\.importTime).reduce(0, +) / weeks.map(\.peerTime).reduce(0, +),
                    ratios.filter { $0 <= 1.2 }.count,
                    weeks.count,
                    weeks[worstRatio].ratio,
                    worstRatio + 1,
                    weeks[worstRatio].importTime,
                    weeks[worstRatio].peerTime
                )
            )
            print(
                String(
                    format: "  slowest import: week %d, %.3f s (%d of %d weeks under 1.5 s; target: all); import/floor median %.1f×",
                    slowest + 1,
                    weeks[slowest].importTime,
                    weeks.filter { $0.importTime < 1.5 }.count,
                    weeks.count,
                    weeks.map { $0.importTime / $0.floorTime }.sorted()[weeks.count / 2]
                )
            )
            if importTimes.count >= 9 {
                let steadyFirst = importTimes.dropFirst().prefix(4).sorted()
                let steadyLast = importTimes.suffix(4).sorted()
                let median = { (xs: [Double]) in (xs[1] + xs[2]) / 2 }
                print(
                    String(
                        format: "  drift: median of weeks 2–5 %.3f s, of the last 4 weeks %.3f s (%+.1f%%)",
                        median(steadyFirst),
                        median(steadyLast),
                        (median(steadyLast) / median(steadyFirst) - 1) * 100
                    )
                )
            }
            print(
                String(
                    format: "  machine control (hashing week 1's file, CPU only): %.1f ms before the first import, %.1f ms after the last (%+.1f%%)",
                    controlBefore * 1000,
                    controlAfter * 1000,
                    (controlAfter / controlBefore - 1) * 100
                )
            )
            print(
                String(
                    format: "  opening the review week (Level 1 forms): week 1 %.3f s, week %d %.3f s",
                    openTimes.first ?? 0,
                    importTimes.count,
                    openTimes.last ?? 0
                )
            )
            if rss > 0 {
                print(
                    String(format: "  peak RSS of `stranded import` on a fresh %d-row week: %.1f MB (target < 150 MB)", firstRows, Double(rss) / 1024)
                )
            }
        }
        do { try await measure() } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
    }
}
