// Level 2 meeting benchmark: the demo's latest week (about a hundred cases on
// the agenda) served live on loopback, on an embedded PostgreSQL.
//
// What the chair waits for, single client, keep-alive:
//   1. the first view (the meeting's index): size (target < 150 KB) and latency;
//   2. a case page;
//   3. a decision save (POST, answered 303), and the save with the page it returns to;
// and the index under 10 concurrent clients (attendees opening it at once).
// Reference, same server and run: GET /health.
//
//   swift build -c release --product stranded-meeting-bench
//   .build/release/stranded-meeting-bench [--saves 400] [--seconds 5] [--clients 10]
import BenchmarkSupport
import Foundation
import Hummingbird
import Logging
import Postgres
import Store
import StrandedCore
import Web
import Workflow

#if canImport(Glibc)
import Glibc
#endif

@main
struct MeetingBenchmark {
    static func main() async throws {
        let arguments = BenchmarkArguments()
        let saves = arguments["saves", default: 400]
        let loadSeconds = arguments["seconds", default: 5]
        let clients = arguments["clients", default: 10]
        let port = arguments["port", default: 18_490]
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-meeting-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let bench = try await BenchmarkDatabase.start(in: work, logger: logger)
        let (cluster, client, database) = (bench.cluster, bench.client, bench.database)
        try await bench.stopping {
            say("Loading the demo (eight weeks, every weekly job run)…")
            let start = ContinuousClock.now
            _ = try await DemoData(database: database, logger: logger).loadIfEmpty(today: CalendarDate(iso: "2026-12-03")!, configuration: .builtIn)
            say(String(format: "  loaded in %.1f s", seconds(ContinuousClock.now - start)))

            let latest = try await client.query(
                "SELECT week, cardinality(case_ids) AS cases FROM level2_agenda ORDER BY week DESC, version DESC LIMIT 1"
            )[0]
            let week = ReviewWeek(monday: try latest.decode("week", as: CalendarDate.self))!
            let agendaCases: Int = try latest.decode("cases")
            let caseIDs = try await MeetingService(database: database, policy: .standard).agenda(week: week)!.content.cases.map(\.caseID)

            let server = try await startBenchmarkServer(database: database, port: port, logger: logger)
            let chair = try await UserStore(database: database).create(
                username: "bench.chair",
                displayName: "Bench chair",
                passwordHash: nil,
                roles: [RoleGrant(.level2)]
            )
            let session = try await SessionStore(database: database).create(userID: chair.id, clientAddress: nil, absoluteLifetime: .seconds(3600))
            let cookie = "stranded_session=\(session.id)"
            let csrf = session.record.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let index = "/level2/\(week.monday.iso)"
            let casePath = { (n: Int) in "\(index)/cases/\(CaseReference(caseID: caseIDs[n % caseIDs.count]))" }

            /// `count` requests one after another on one connection, after ten unmeasured ones.
            func sequential(_ count: Int, _ request: (Int, HTTPConnection) throws -> (HTTPConnection.Answer, Bool)) throws -> Latencies {
                let connection = try HTTPConnection(port: port)
                var latencies = Latencies()
                for n in -10..<count {
                    let start = ContinuousClock.now
                    let (answer, ok) = try request(n + 10, connection)
                    guard n >= 0 else { continue }
                    if ok { latencies.record(ContinuousClock.now - start, bytes: answer.size) } else { latencies.fail() }
                }
                return latencies
            }

            say("Measuring (\(agendaCases) cases on the agenda for \(week.label))…")
            let health = try sequential(1000) { _, c in
                let a = try c.get("/health", cookie: "")
                return (a, a.status == 200)
            }
            let indexView = try sequential(200) { _, c in
                let a = try c.get(index, cookie: cookie)
                return (a, a.status == 200)
            }
            let caseView = try sequential(400) { n, c in
                let a = try c.get(casePath(n), cookie: cookie)
                return (a, a.status == 200)
            }
            let decision = try sequential(saves) { n, c in
                let a = try c.postForm(casePath(n), cookie: cookie, form: "_csrf=\(csrf)&decision=keep-at-level2&notes=Bench+\(n)")
                return (a, a.status == 303)
            }
            let saveAndReturn = try sequential(saves / 2) { n, c in
                let posted = try c.postForm(casePath(n), cookie: cookie, form: "_csrf=\(csrf)&decision=resolved-at-level2&notes=Bench+\(n)")
                guard posted.status == 303, let location = posted.header("location") else { return (posted, false) }
                let page = try c.get(location, cookie: cookie)
                return (page, page.status == 200)
            }
            let healthLoad = await runLoad(port: port, clients: clients, warmUp: .seconds(1), duration: .seconds(loadSeconds)) { _, _, c in
                try c.get("/health", cookie: "")
            }
            let indexLoad = await runLoad(port: port, clients: clients, warmUp: .seconds(1), duration: .seconds(loadSeconds)) { _, _, c in
                try c.get(index, cookie: cookie)
            }
            server.cancel()
            _ = try? await server.value
            await client.close()

            say("")
            say(
                "RESULTS (\(buildKind) build, embedded PostgreSQL, \(ProcessInfo.processInfo.activeProcessorCount) CPUs): Level 2 meeting, \(agendaCases) cases"
            )
            say("  single client, one request after another:")
            say(String(format: "    /health (reference)        %@", health.summary))
            say(
                String(format: "    index (first view, %.1f KB) %@  (targets: < 150 KB; p95 < 100 ms)", indexView.kilobytesPerResponse, indexView.summary)
            )
            say(String(format: "    case page (%.1f KB)         %@", caseView.kilobytesPerResponse, caseView.summary))
            say(
                String(
                    format: "    decision save (303)        %@  (target p95 < 100 ms), %d saves, %d failed",
                    decision.summary,
                    decision.count,
                    decision.failures
                )
            )
            say(String(format: "    save + the case page after %@", saveAndReturn.summary))
            say("  \(clients) concurrent clients, \(loadSeconds) s after 1 s warm-up:")
            say(
                String(
                    format: "    /health (reference)  %6.0f requests/s, %@, %d failed",
                    Double(healthLoad.count) / Double(loadSeconds),
                    healthLoad.summary,
                    healthLoad.failures
                )
            )
            say(
                String(
                    format: "    index                %6.0f requests/s, %@, %d failed",
                    Double(indexLoad.count) / Double(loadSeconds),
                    indexLoad.summary,
                    indexLoad.failures
                )
            )
        }
    }
}
