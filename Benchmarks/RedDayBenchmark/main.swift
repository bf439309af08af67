// Red/green days benchmark, on an embedded PostgreSQL: recording one day for
// a whole national system (~100,000 patient-days: 100 sites × 1,000 beds,
// full census lists) through the days file (one transaction) and through
// the board-round service ward by ward (as the whiteboard API does). Target:
// under 5 s. Then the same file again (every day unchanged). Then the daily
// board-round page of one ward over HTTP, one client at a time as a ward PC
// asks for it (target < 50 ms for a 40-bed ward), beside /health from the
// same server: the machine's own noise in the same run.
//
//   swift build -c release --product stranded-reddays-bench
//   .build/release/stranded-reddays-bench [--sites 100] [--beds 1000] [--port 8093]
//
// Measured 2026-12-03 (release, 2 cores shared with other builds, load 17–21,
// 100 × 1,000: 93,201 patients on 1,200 wards): the file 4.96 s, the same file
// again 2.75 s; ward by ward (1,200 board rounds of corrections, each audited)
// 27.8 s; the board-round page of a 40-patient ward p50 20.8 ms, p99 38.2 ms
// beside /health p99 4.6 ms.
import BenchmarkSupport
import Foundation
import Hummingbird
import Logging
import Postgres
import Store
import StrandedCore
import WardListImport
import Web
import Workflow

#if canImport(Glibc)
import Glibc
#endif

@main
struct RedDayBenchmark {
    static func main() async throws {
        var sites = 100
        var beds = 1000
        var port = 8093
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = args.next() {
            guard let value = args.next().flatMap(Int.init) else { continue }
            if flag == "--sites" { sites = value }
            if flag == "--beds" { beds = value }
            if flag == "--port" { port = value }
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-reddays-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let monday = CalendarDate(iso: "2026-11-16")!
        say("Generating a census list for \(sites) sites (~\(sites * beds) beds)…")
        var system = SyntheticSystem(configuration: .init(sites: sites, bedsPerSite: beds, weeks: 1, seed: 7, firstMonday: monday, census: true))
        guard let week = system.nextWeek() else { return }
        let listURL = work.appendingPathComponent("census.csv")
        try week.csv.write(to: listURL, atomically: true, encoding: .utf8)

        let bench = try await BenchmarkDatabase.start(in: work, logger: logger)
        let (cluster, client, database) = (bench.cluster, bench.client, bench.database)
        try await bench.stopping {
            try await SiteReferenceImporter(database: database).importCSV(system.referenceCSV())
            var start = ContinuousClock.now
            let imported = try await WardListImporter(database: database, policy: .standard, logger: logger)
                .importFile(at: listURL, source: .cli, today: monday.adding(days: 1))
            say(String(format: "  census: %d rows imported in %.2f s", imported.importedRows, seconds(ContinuousClock.now - start)))

            // The board round of Tuesday: every patient, one in eight red.
            let day = monday.adding(days: 1)
            let now = ISO8601DateFormatter().date(from: "\(day.iso)T18:00:00Z")!
            let service = RedDayService(database: database, policy: .standard)
            var wards: [(id: Int64, site: String, code: String)] = []
            for row in try await client.query("SELECT w.id, s.code AS site, w.code FROM ward w JOIN site s ON s.id = w.site_id ORDER BY w.id") {
                wards.append((try row.decode("id"), try row.decode("site"), try row.decode("code")))
            }
            var csv = "site_code,ward_code,date,nhs_number,local_patient_id,status,reason\n"
            var perWard: [(BoardRoundWard, [DayEntryInput])] = []
            var n = 0
            for ward in wards {
                guard let w = try await service.ward(id: ward.id, scope: .all) else { continue }
                var entries: [DayEntryInput] = []
                for p in try await service.patients(ward: w, date: day) {
                    n += 1
                    let red = n % 8 == 0
                    let id = p.nhsNumber.map { "\($0)," } ?? ",\(p.localPatientID ?? "")"
                    csv += "\(ward.site),\(ward.code),\(day.iso),\(id),\(red ? "red,awaiting-placement" : "green,")\n"
                    entries.append(
                        DayEntryInput(
                            target: p.nhsNumber.map(DayTarget.nhsNumber) ?? p.localPatientID.map(DayTarget.localPatientID),
                            status: red ? "red" : "green",
                            reason: red ? "awaiting-placement" : nil
                        )
                    )
                }
                perWard.append((w, entries))
            }
            say("  \(n) patients on \(wards.count) wards")

            let importer = RedDayImporter(database: database, policy: .standard)
            start = ContinuousClock.now
            let first = try await importer.importCSV(Array(csv.utf8), source: .import, by: "bench", now: now)
            say(
                String(
                    format: "  days file: %d days recorded in %.2f s (accepted: %@, target < 5 s)",
                    first.recording.recorded,
                    seconds(ContinuousClock.now - start),
                    first.accepted ? "yes" : "no: \(first.issues.first?.reason ?? "")"
                )
            )
            start = ContinuousClock.now
            let again = try await importer.importCSV(Array(csv.utf8), source: .import, by: "bench", now: now)
            say(String(format: "  the same file again: %d unchanged in %.2f s", again.recording.unchanged, seconds(ContinuousClock.now - start)))

            // The whiteboard path: ward by ward, green days turned red and back (corrections, audited).
            start = ContinuousClock.now
            var corrected = 0
            for (ward, entries) in perWard {
                let flipped = entries.map {
                    DayEntryInput(target: $0.target, status: $0.status == "red" ? "green" : "red", reason: $0.status == "red" ? nil : "other")
                }
                if case let .recorded(result) = try await service.record(ward: ward, date: day, entries: flipped, source: .api, by: "bench", now: now) {
                    corrected += result.corrected
                }
            }
            say(
                String(
                    format: "  ward by ward (whiteboard API path): %d days corrected in %.2f s (target < 5 s)",
                    corrected,
                    seconds(ContinuousClock.now - start)
                )
            )
            try await measureThePage(database: database, wards: perWard.map(\.0), day: day, port: port, logger: logger)
            await client.close()
        }
    }

    /// The board-round page of the ward whose size is nearest 40 patients,
    /// fetched by a signed-in ward user, one request at a time, beside /health.
    static func measureThePage(
        database: Database,
        wards: [BoardRoundWard],
        day: CalendarDate,
        port: Int,
        logger: Logger
    ) async throws {
        let service = RedDayService(database: database, policy: .standard)
        var chosen: (ward: BoardRoundWard, patients: Int)?
        for ward in wards {
            let count = try await service.patients(ward: ward, date: day).count
            if chosen == nil || abs(count - 40) < abs(chosen!.patients - 40) { chosen = (ward, count) }
        }
        guard let (ward, patients) = chosen else { return }
        let scope = "\(ward.siteCode)/\(ward.code)"
        let nurse = try await UserStore(database: database).create(
            username: "bench.nurse",
            displayName: "Bench nurse",
            passwordHash: nil,
            roles: [RoleGrant(.ward, scope: [scope])]
        )
        let cookie = "stranded_session=" + (try await SessionStore(database: database).create(userID: nurse.id, clientAddress: nil, absoluteLifetime: .seconds(3600)).id)
        let server = try await startBenchmarkServer(database: database, port: port, logger: logger)
        let path = "/wards/\(ward.id)/days/\(day.iso)"
        let health = await runLoad(port: port, clients: 1, warmUp: .seconds(1), duration: .seconds(5)) { _, _, connection in
            try connection.get("/health", cookie: "")
        }
        let page = await runLoad(port: port, clients: 1, warmUp: .seconds(1), duration: .seconds(10)) { _, _, connection in
            try connection.get(path, cookie: cookie)
        }
        server.cancel()
        _ = try? await server.value
        say("  the board-round page of a \(patients)-patient ward, one ward PC at a time (\(buildKind) build, same server, same run):")
        say("    /health (reference)  \(health.count) requests, \(health.failures) failed; \(health.summary)")
        say(String(format: "    board-round page     %d requests, %d failed, %.1f KB each; %@  (target < 50 ms)", page.count, page.failures, page.kilobytesPerResponse, page.summary))
    }
}
