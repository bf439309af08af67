import Postgres
import Store
import TestSupport
import Testing

/// A precondition statement travels with the first statement of a piece of
/// work, and when it fails nothing of that work reaches the database.
@Suite("A precondition goes with the first statement, and its failure stops the work")
struct PreconditionTests {
    /// A gate the precondition reads: open, it passes; closed, it divides by zero.
    static func gate(_ database: Database, open: Bool) async throws {
        try await database.client.execute("CREATE TABLE IF NOT EXISTS gate (open boolean NOT NULL)")
        try await database.client.execute("CREATE TABLE IF NOT EXISTS effect (n int NOT NULL)")
        try await database.client.execute("DELETE FROM gate")
        try await database.client.execute("INSERT INTO gate VALUES (\(open))")
    }

    static let precondition: PostgresQuery = "SELECT 1 / (CASE WHEN open THEN 1 ELSE 0 END) AS passed FROM gate"

    static func effects(_ database: Database) async throws -> Int {
        try await database.client.query("SELECT count(*) AS n FROM effect")[0].decode("n")
    }

    @Test(arguments: [false, true])
    func oneRoundTripRunsBothOrNeither(prepared: Bool) async throws {
        try await TestCluster.withDatabase { database in
            try await Self.gate(database, open: true)
            let insert: PostgresQuery = "INSERT INTO effect VALUES (\(7)) RETURNING n"
            let precondition = prepared ? Self.precondition.prepared : Self.precondition
            try await database.client.withConnection { connection in
                let rows = try await connection.query(prepared ? insert.prepared : insert, after: precondition)
                #expect(try rows[0].decode("n", as: Int.self) == 7)
                try await connection.execute("UPDATE gate SET open = false")
                let failure = await #expect(throws: PostgresPreconditionFailure.self) {
                    try await connection.query(prepared ? insert.prepared : insert, after: precondition)
                }
                #expect((failure?.underlying as? PostgresError)?.sqlState == "22012")
                // The connection is back out of pipeline mode, idle and usable.
                #expect(!connection.inTransaction)
                #expect(try await connection.query("SELECT 2 AS two")[0].decode("two", as: Int.self) == 2)
                // A statement that fails after a precondition that passed is its own error.
                try await connection.execute("UPDATE gate SET open = true")
                let own = await #expect(throws: PostgresError.self) {
                    try await connection.query("INSERT INTO effect VALUES (NULL)", after: precondition)
                }
                #expect(own?.kind == .integrityViolation)
            }
            #expect(try await Self.effects(database) == 1)
        }
    }

    @Test func aFailedPreconditionStopsTheWorkEvenIfTheWorkCaughtIt() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.gate(database, open: false)
            let error = await #expect(throws: PostgresError.self) {
                try await database.client.withPrecondition(Self.precondition) {
                    _ = try? await database.client.execute("INSERT INTO effect VALUES (1)")
                    // Later statements and transactions do not run either.
                    _ = try? await database.client.execute("INSERT INTO effect VALUES (2)")
                    _ = try? await database.client.withTransaction { try await $0.execute("INSERT INTO effect VALUES (3)") }
                    return "a page built on the failed precondition"
                }
            }
            #expect(error?.sqlState == "22012")
            #expect(try await Self.effects(database) == 0)
        }
    }

    @Test(arguments: [false, true])
    func aTransactionCarriesThePreconditionWithItsBegin(locking: Bool) async throws {
        try await TestCluster.withDatabase { database in
            try await Self.gate(database, open: true)
            let locks = locking ? [PostgresAdvisoryKey("effect 1")] : []
            let written = try await database.client.withPrecondition(Self.precondition) {
                try await database.client.withTransaction(advisoryLocks: locks) { connection in
                    try await connection.execute("INSERT INTO effect VALUES (1)")
                    try await connection.execute("INSERT INTO effect VALUES (2)")
                    return 2
                }
            }
            #expect(written == 2)
            #expect(try await Self.effects(database) == 2)
            try await database.client.execute("UPDATE gate SET open = false")
            var ran = false
            await #expect(throws: PostgresError.self) {
                try await database.client.withPrecondition(Self.precondition) {
                    try await database.client.withTransaction(advisoryLocks: locks) { connection in
                        ran = true
                        try await connection.execute("INSERT INTO effect VALUES (3)")
                    }
                }
            }
            #expect(!ran)
            #expect(try await Self.effects(database) == 2)
            // The connection it used is idle again, with no transaction left open.
            try await database.client.withConnection { #expect(!$0.inTransaction) }
        }
    }

    @Test func workWithoutStatementsStillWaitsForThePrecondition() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.gate(database, open: false)
            await #expect(throws: PostgresError.self) {
                try await database.client.withPrecondition(Self.precondition) { "no statement at all" }
            }
            try await database.client.execute("UPDATE gate SET open = true")
            #expect(try await database.client.withPrecondition(Self.precondition) { "served" } == "served")
        }
    }

    @Test func concurrentStatementsWaitForThePreconditionAndThenAllRun() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.gate(database, open: true)
            let total = try await database.client.withPrecondition(Self.precondition) {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for n in 1...8 {
                        group.addTask { try await database.client.query("INSERT INTO effect VALUES (\(n)) RETURNING n")[0].decode("n") }
                    }
                    return try await group.reduce(0, +)
                }
            }
            #expect(total == 36)
            #expect(try await Self.effects(database) == 8)
            // The same with the gate closed: none of them writes.
            try await database.client.execute("UPDATE gate SET open = false")
            await #expect(throws: (any Error).self) {
                try await database.client.withPrecondition(Self.precondition) {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for n in 1...8 { group.addTask { try await database.client.execute("INSERT INTO effect VALUES (\(n))") } }
                        try await group.waitForAll()
                    }
                }
            }
            #expect(try await Self.effects(database) == 8)
        }
    }
}
