// Hospital feed benchmark, on an embedded PostgreSQL: HL7 v2 ADT messages
// sent over MLLP to the service's own listener by several connections at
// once (each waits for its ACK, as interface engines do). A message is
// acknowledged once it is stored: messages that arrive together are stored
// together (FeedBatcher: one INSERT statement a batch), and folded into the
// bed state just after, everything waiting at once (FeedFolder). The
// benchmark prints the ACK rate and latency, how soon after the last ACK the
// bed state had caught up, the transactions committed (stores and folds) and
// the CPU spent a message by PostgreSQL and by this process (the service and
// the load generator), which moves much less with the machine's load.
// Targets: sustained ≥ 2,000 messages/s with ACK p99 < 20 ms, and a national
// day (~400,000 messages) applied in under 5 minutes. The same-run reference:
// one INSERT + COMMIT per message over the same pool and connections.
//
//   swift build -c release --product stranded-feed-bench
//   .build/release/stranded-feed-bench [--messages 20000] [--day 400000] [--connections 16] [--sites 100] [--writers 3]
//
// Measured 2026-12-03 18:19 (release, 2 cores, load average ~4 at the start;
// the load generator's 16 threads share the machine with the service and
// PostgreSQL): reference 6,305 commits/s; sustained 3,226 messages/s, ACK
// p50 4.3 ms, p99 12.1 ms, bed state caught up 53 ms after the last ACK, CPU
// a message 0.269 ms in PostgreSQL and 0.269 ms in this process; the
// national day of 400,000 applied in 153.6 s (2,605/s, ACK p99 16.7 ms,
// caught up 9 ms after the last ACK), none refused. Two more runs of 30,000:
// 2,490/s (p99 17.2 ms, reference 5,091/s) and 3,126/s (p99 13.7 ms,
// reference 6,409/s). All three targets met.
// Before (each batch stored and folded in one transaction of four round
// trips, the ACK after the fold): 1,616 messages/s on a quiet machine (runs
// 1,070–1,770), ACK p99 17.9 ms, day in 251.0 s; about 0.45 ms of CPU a
// message in PostgreSQL and 0.45 ms in this process. Before batching: 570/s.
import BenchmarkSupport
import Foundation
import Logging
import Postgres
import Store
import StrandedCore
import Synchronization
import Web
import Workflow

#if canImport(Glibc)
import Glibc
#endif

@main
struct FeedBenchmark {
    static func main() async throws {
        var messages = 20_000
        var day = 400_000
        var connections = 16
        var sites = 100
        var writers = FeedBatcher.defaultWriters
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = args.next() {
            guard let value = args.next().flatMap(Int.init) else { continue }
            switch flag {
            case "--messages": messages = value
            case "--day": day = value
            case "--connections": connections = value
            case "--sites": sites = value
            case "--writers": writers = value
            default: break
            }
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-feed-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let bench = try await BenchmarkDatabase.start(in: work, connections: connections + 2, logger: logger)
        let (cluster, client, database) = (bench.cluster, bench.client, bench.database)
        try await bench.stopping {

            var reference = "organisation_code,organisation_name,site_code,site_name,setting\n"
            for site in 0..<sites { reference += "R\(site),Trust \(site),S\(site),Site \(site),\(site % 4 == 3 ? "community" : "acute")\n" }
            try await SiteReferenceImporter(database: database).importCSV(reference)
            let store = FeedStore(database: database)
            for site in 0..<sites { try await store.mapFacility("S\(site)", toSite: "S\(site)") }

            let port = Mutex<Int?>(nil)
            let listener = MLLPListener(
                configuration: MLLPConfiguration(host: "127.0.0.1", port: 0),
                receiver: FeedReceiver(database: database, logger: logger, batchWriters: writers),
                logger: logger,
                onListening: { bound in port.withLock { $0 = bound } }
            )
            let listening = Task { try await listener.run() }
            while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
            let mllpPort = port.withLock { $0 }!

            say("Reference: one INSERT + COMMIT per message, \(connections) at a time…")
            try await client.execute("CREATE TABLE bench_reference (id bigint GENERATED ALWAYS AS IDENTITY, body text NOT NULL)")
            let referenceCount = min(messages, 20_000)
            var start = ContinuousClock.now
            let lanes = connections
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<lanes {
                    group.addTask {
                        for _ in stride(from: lane, to: referenceCount, by: lanes) {
                            try await client.withTransaction { try await $0.execute("INSERT INTO bench_reference (body) VALUES ('MSH|reference')") }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let referenceRate = Double(referenceCount) / seconds(ContinuousClock.now - start)
            say(String(format: "  %.0f commits/s", referenceRate))

            say("Sustained: \(messages) ADT messages over MLLP on \(connections) connections…")
            var commitsBefore = try await commits(client)
            var cpu = CPUUse(database: ServerCPU(dataDirectory: cluster.dataDirectory))
            var (elapsed, latencies, refused) = try run(count: messages, offset: 0, connections: connections, sites: sites, port: mllpPort)
            var catchUp = try await caughtUp(store)
            say("  " + cpu.perMessage(messages))
            say(
                String(
                    format: "  %.0f messages/s (target ≥ 2,000; %.0f%% of the reference commit rate), ACK %@ (target p99 < 20 ms), %d not AA",
                    Double(messages) / elapsed, 100 * Double(messages) / elapsed / referenceRate, latencies.summary, refused
                )
            )
            var committed = try await commits(client) - commitsBefore - 1
            say(
                String(
                    format: "  bed state caught up %.0f ms after the last ACK; %d transactions committed (stores and folds), %.1f messages each",
                    catchUp * 1000, committed, Double(messages) / Double(max(committed, 1))
                )
            )

            if day > 0 {
                say("A national day: \(day) ADT messages over MLLP on \(connections) connections…")
                start = ContinuousClock.now
                commitsBefore = try await commits(client)
                cpu = CPUUse(database: ServerCPU(dataDirectory: cluster.dataDirectory))
                (elapsed, latencies, refused) = try run(count: day, offset: messages, connections: connections, sites: sites, port: mllpPort)
                catchUp = try await caughtUp(store)
                elapsed += catchUp
                say("  " + cpu.perMessage(day))
                committed = try await commits(client) - commitsBefore - 1
                let inHospital: Int = try await client.query("SELECT count(*) AS n FROM feed_encounter WHERE status = 'in-hospital'")[0].decode("n")
                say(
                    String(
                        format: "  applied in %.1f s (target < 300 s; the bed state caught up %.0f ms after the last ACK), %.0f messages/s, ACK %@, %d not AA; %.1f messages a transaction; %d in a bed at the end",
                        elapsed, catchUp * 1000, Double(day) / elapsed, latencies.summary, refused, Double(day) / Double(max(committed, 1)), inHospital
                    )
                )
            }
            listening.cancel()
        }
    }

    /// Seconds until every acknowledged message is folded into the bed state.
    static func caughtUp(_ store: FeedStore) async throws -> Double {
        let start = ContinuousClock.now
        try await store.settle()
        return seconds(ContinuousClock.now - start)
    }

    /// CPU spent on a run, which moves much less than its wall-clock rate
    /// with the machine's load: PostgreSQL's processes, and this process
    /// (the service and, on its own threads, the load generator).
    struct CPUUse {
        let database: ServerCPU?
        let databaseAtStart: Double
        let processAtStart: Double

        init(database: ServerCPU?) {
            self.database = database
            databaseAtStart = database?.seconds() ?? 0
            processAtStart = Self.processSeconds()
        }

        static func processSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }

        func perMessage(_ count: Int) -> String {
            let process = (Self.processSeconds() - processAtStart) * 1000 / Double(count)
            guard let database else { return String(format: "CPU a message: %.3f ms in this process", process) }
            let postgres = (database.seconds() - databaseAtStart) * 1000 / Double(count)
            return String(format: "CPU a message: %.3f ms in PostgreSQL, %.3f ms in this process (service and load generator)", postgres, process)
        }
    }

    /// Transactions that wrote, so far: each takes the next transaction id
    /// (reads take none), so the difference across a run counts the
    /// commits that stored messages (less the one asking).
    static func commits(_ client: PostgresClient) async throws -> Int {
        try await client.query("SELECT pg_current_xact_id()::text::bigint AS n")[0].decode("n")
    }

    /// Sends `count` messages: spells of admit, transfer, discharge (and now
    /// and then a cancel), each lane its own patients, in order per spell.
    static func run(count: Int, offset: Int, connections: Int, sites: Int, port: Int) throws -> (Double, Latencies, Int) {
        let results = Mutex<(Latencies, Int)>((Latencies(), 0))
        let group = DispatchGroup()
        let base = HL7Time.date("20261116000000")!
        let clock = ContinuousClock()
        let start = clock.now
        for lane in 0..<connections {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                var latencies = Latencies()
                var refused = 0
                guard let connection = try? MLLPClient(port: port) else { return }
                var n = lane
                while n < count {
                    let index = offset + n
                    let spell = index / 4
                    let step = index % 4
                    let site = spell % sites
                    let patient = NHSNumber.make(stem: 999_000_000 + spell % 1_000_000)?.digits
                    let at = base.addingTimeInterval(Double(spell % 86_400) + Double(step) * 3600)
                    let trigger: ADTTrigger = [.admit, .transfer, .update, .discharge][step]
                    let text = ADTMessageText.make(
                        trigger, controlID: "B\(index)", facility: "S\(site)", at: at, nhsNumber: patient, localID: patient == nil ? "L\(spell)" : nil,
                        visit: "V\(spell)", ward: step == 3 ? nil : "W\(step == 0 ? 1 : 2)", bed: "\(spell % 30)", disposition: step == 3 ? "19" : nil)
                    let sent = clock.now
                    guard let ack = try? connection.exchange(text) else { refused += count; break }
                    latencies.record(clock.now - sent, bytes: ack.utf8.count)
                    if !ack.contains("MSA|AA") { refused += 1 }
                    n += connections
                }
                results.withLock {
                    $0.0.add(latencies)
                    $0.1 += refused
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let elapsed = seconds(clock.now - start)
        let (latencies, refused) = results.withLock { $0 }
        return (elapsed, latencies, refused)
    }
}
