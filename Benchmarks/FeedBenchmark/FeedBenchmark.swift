// Hospital feed benchmark, on an embedded PostgreSQL: HL7 v2 ADT messages
// sent over MLLP to the service's own listener by several connections at
// once (each waits for its ACK, as interface engines do), every message
// stored and its spell folded before the ACK. Targets: sustained ≥ 2,000
// messages/s with ACK p99 < 20 ms, and a national day (~400,000 messages)
// applied in under 5 minutes. The same-run reference: one INSERT + COMMIT per
// message over the same pool and connections, the floor of "durably stored".
//
//   swift build -c release --product stranded-feed-bench
//   .build/release/stranded-feed-bench [--messages 20000] [--day 400000] [--connections 8] [--sites 100]
//
// Measured (release, 2 cores shared with four other builds, load average
// ~12; --messages 10000 --day 40000): reference 2,116 commits/s; sustained
// 570 messages/s, ACK p50 10.3 ms, p99 50.8 ms; 40,000 applied in 62.6 s
// (639/s, p99 47.6 ms), none refused. Below the targets: each message is one
// transaction of six statements (lock, insert, read the spell, state, stays),
// about a quarter of the bare commit rate here.
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
        var connections = 8
        var sites = 100
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = args.next() {
            guard let value = args.next().flatMap(Int.init) else { continue }
            switch flag {
            case "--messages": messages = value
            case "--day": day = value
            case "--connections": connections = value
            case "--sites": sites = value
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
                receiver: FeedReceiver(database: database, logger: logger),
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
            var (elapsed, latencies, refused) = try run(count: messages, offset: 0, connections: connections, sites: sites, port: mllpPort)
            say(
                String(
                    format: "  %.0f messages/s (target ≥ 2,000; %.0f%% of the reference commit rate), ACK %@ (target p99 < 20 ms), %d not AA",
                    Double(messages) / elapsed, 100 * Double(messages) / elapsed / referenceRate, latencies.summary, refused
                )
            )
            var committed = try await commits(client) - commitsBefore - 1
            say(String(format: "  %d transactions committed, %.1f messages each", committed, Double(messages) / Double(max(committed, 1))))

            if day > 0 {
                say("A national day: \(day) ADT messages over MLLP on \(connections) connections…")
                start = ContinuousClock.now
                commitsBefore = try await commits(client)
                (elapsed, latencies, refused) = try run(count: day, offset: messages, connections: connections, sites: sites, port: mllpPort)
                committed = try await commits(client) - commitsBefore - 1
                let inHospital: Int = try await client.query("SELECT count(*) AS n FROM feed_encounter WHERE status = 'in-hospital'")[0].decode("n")
                say(
                    String(
                        format: "  applied in %.1f s (target < 300 s), %.0f messages/s, ACK %@, %d not AA; %.1f messages a transaction; %d in a bed at the end",
                        elapsed, Double(day) / elapsed, latencies.summary, refused, Double(day) / Double(max(committed, 1)), inHospital
                    )
                )
            }
            listening.cancel()
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
