import Postgres
import Store
import TestSupport
import Testing

@Suite("A prepared statement runs by name with each run's own values")
struct PreparedStatementTests {
    @Test func eachRunBindsItsOwnValuesAndNULL() async throws {
        try await TestCluster.withDatabase { database in
            try await database.client.withConnection { connection in
                for value in [1, 2, 3, 40, 500, 6_000, 70_000] {
                    let query: PostgresQuery = "SELECT \(value)::int * 2 AS doubled, \(String(value))::text AS text, \(nil as String?)::text AS nothing"
                    let row = try await connection.query(query.prepared)[0]
                    #expect(try row.decode("doubled", as: Int.self) == value * 2)
                    #expect(try row.decode("text", as: String.self) == String(value))
                    #expect(row.isNull("nothing"))
                }
            }
        }
    }

    @Test func aStatementThatFailsToPrepareIsNotKeptAndTheConnectionGoesOn() async throws {
        try await TestCluster.withDatabase { database in
            try await database.client.withConnection { connection in
                let broken: PostgresQuery = "SELECT \(1)::int AS one FROM no_such_table"
                for _ in 0..<2 {
                    await #expect(throws: PostgresError.self) { try await connection.query(broken.prepared) }
                }
                try await connection.execute("CREATE TABLE no_such_table (x int)")
                try await connection.execute("INSERT INTO no_such_table VALUES (7)")
                #expect(try await connection.query(broken.prepared)[0].decode("one", as: Int.self) == 1)
                // Statements that change rows report their counts when prepared too.
                let update: PostgresQuery = "UPDATE no_such_table SET x = x + \(1)::int"
                #expect(try await connection.execute(update.prepared) == 1)
                #expect(try await connection.execute(update.prepared) == 1)
            }
        }
    }
}
