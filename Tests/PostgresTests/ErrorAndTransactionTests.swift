import Postgres
import Store
import TestSupport
import Testing

@Suite("Errors carry SQLSTATE and transactions roll back")
struct ErrorAndTransactionTests {
    @Test func uniqueViolationIsItsOwnCase() async throws {
        try await TestCluster.withDatabase { database in
            try await database.client.execute("INSERT INTO organisation (code, name) VALUES ('RTH', 'Trust')")
            let error = await #expect(throws: PostgresError.self) {
                try await database.client.execute("INSERT INTO organisation (code, name) VALUES ('RTH', 'Again')")
            }
            #expect(error?.kind == .uniqueViolation)
            #expect(error?.sqlState == "23505")
            #expect(error?.constraint == "organisation_code_key")
            #expect(error?.detail?.contains("RTH") == true)
            // The description is safe to log: no DETAIL (which can hold patient data).
            #expect(error.map { String(describing: $0) }?.contains("RTH") == false)
        }
    }

    @Test func foreignKeyAndSerializationFailuresAreDistinct() async throws {
        try await TestCluster.withDatabase { database in
            let fk = await #expect(throws: PostgresError.self) {
                try await database.client.execute("INSERT INTO site (code, name, setting, organisation_id) VALUES ('X', 'X', 'acute', 999)")
            }
            #expect(fk?.kind == .foreignKeyViolation)
            #expect(fk?.sqlState == "23503")

            let serialization = await #expect(throws: PostgresError.self) {
                try await database.client.withConnection {
                    try await $0.runScript("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$")
                }
            }
            #expect(serialization?.kind == .serializationFailure)
            #expect(serialization?.isRetryable == true)

            let syntax = await #expect(throws: PostgresError.self) { try await database.client.query("SELEC 1") }
            #expect(syntax?.kind == .server)
            #expect(syntax?.sqlState == "42601")
        }
    }

    struct Boom: Error {}

    @Test func transactionRollsBackOnThrowAndCommitsOnReturn() async throws {
        try await TestCluster.withDatabase { database in
            await #expect(throws: Boom.self) {
                try await database.client.withTransaction { connection in
                    try await connection.execute("INSERT INTO organisation (code, name) VALUES ('A', 'Rolled back')")
                    throw Boom()
                }
            }
            try await database.client.withTransaction { connection in
                try await connection.execute("INSERT INTO organisation (code, name) VALUES ('B', 'Committed')")
            }
            let rows = try await database.client.query("SELECT code FROM organisation ORDER BY code")
            #expect(try rows.map { try $0.decode("code", as: String.self) } == ["B"])
            // The connection went back to the pool idle, not stuck in a transaction.
            try await database.client.withConnection { #expect($0.inTransaction == false) }
        }
    }

    @Test func advisoryLockIsExclusiveAcrossSessions() async throws {
        try await TestCluster.withDatabase(poolSize: 2) { database in
            try await database.client.withConnection { first in
                try await database.client.withConnection { second in
                    #expect(try await first.tryAdvisoryLock("job:test"))
                    #expect(try await second.tryAdvisoryLock("job:test") == false)
                    try await first.advisoryUnlock("job:test")
                    #expect(try await second.tryAdvisoryLock("job:test"))
                    try await second.advisoryUnlock("job:test")
                }
            }
        }
    }

    @Test func aTransactionHoldsTheLocksItBeganWithUntilItEnds() async throws {
        try await TestCluster.withDatabase(poolSize: 2) { database in
            let keys = [PostgresAdvisoryKey("spell b"), PostgresAdvisoryKey("spell a"), PostgresAdvisoryKey("spell b")]
            #expect(PostgresAdvisoryKey("spell a") == keys[1] && keys[0] != keys[1])
            let held: PostgresQuery = "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            try await database.client.withConnection { other in
                let during: Int = try await database.client.withTransaction(advisoryLocks: keys) { _ in
                    try await other.query(held)[0].decode("n")
                }
                #expect(during == 2)
                #expect(try await other.query(held)[0].decode("n", as: Int.self) == 0)
            }
        }
    }
}
