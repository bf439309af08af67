import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("The connection pool")
struct PoolTests {
    @Test func exhaustionWaitsThenTimesOutWithAClearError() async throws {
        try await TestCluster.withDatabase { database in
            let client = PostgresClient(
                configuration: .init(
                    connectionString: database.client.configuration.connectionString,
                    maximumConnections: 1,
                    acquireTimeout: .milliseconds(300)
                )
            )
            defer { Task { await client.close() } }

            // A waiter that outlasts the timeout fails with a message that says what happened.
            let start = ContinuousClock.now
            try await client.withConnection { _ in
                let error = await #expect(throws: PostgresError.self) {
                    try await client.withConnection { _ in }
                }
                #expect(error?.kind == .poolTimeout)
                #expect(error?.message.contains("no database connection became free") == true)
                #expect(error?.message.contains("pool size 1") == true)
            }
            #expect(ContinuousClock.now - start >= .milliseconds(300))
            #expect(client.statistics.waiting == 0)
        }
    }

    @Test func aWaiterGetsTheConnectionWhenItIsReturned() async throws {
        try await TestCluster.withDatabase { database in
            let client = PostgresClient(
                configuration: .init(
                    connectionString: database.client.configuration.connectionString,
                    // Generous: this checks that a returned connection goes to a
                    // waiter, not how fast; the first connect on a loaded machine
                    // (the whole suite running in parallel) can take seconds.
                    maximumConnections: 1,
                    acquireTimeout: .seconds(60)
                )
            )
            defer { Task { await client.close() } }
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 1...5 {
                    group.addTask {
                        try await client.withConnection { connection in
                            try await connection.query("SELECT s.n FROM (SELECT \(n)::int AS n, pg_sleep(0.02)) AS s")[0].decode("n")
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(results.sorted() == [1, 2, 3, 4, 5])
            #expect(client.statistics.open == 1)
        }
    }

    @Test func theNextQueryAfterAServerRestartSucceeds() async throws {
        // A cluster of its own: restarting the shared one would break other tests.
        let dir = try makeScratchDirectory("restart")
        let cluster = try EmbeddedPostgres(dataDirectory: dir, options: .init(unsafeFastMode: true))
        try await cluster.start()
        ExitCleanup.register(pid: cluster.serverPID)
        let client = PostgresClient(configuration: .init(connectionString: cluster.connectionString(database: "postgres", connectTimeout: TestCluster.connectTimeout), maximumConnections: 2))
        do {
            let before = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
            try await cluster.restart()
            ExitCleanup.register(pid: cluster.serverPID)
            let after = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode("pid", as: Int.self)
            #expect(before != after)
        } catch {
            await client.close()
            try? await cluster.stop()
            throw error
        }
        await client.close()
        try await cluster.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}
