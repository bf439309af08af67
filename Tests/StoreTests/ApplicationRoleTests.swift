import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// The service's own connection (the embedded default connects as
/// `stranded_app` the way `serve` does) cannot quietly edit the audit
/// trail: no rewrite, and no way to switch the triggers that guard it off.
@Suite("The service's database role")
struct ApplicationRoleTests {
    static let entry = AuditEntry(action: "update", entityType: "level1_form", entityID: "7", caseID: 42, nhsNumber: "9990000018")
    static let actor = AuditActor(username: "sister.jones", roles: "ward", authMethod: "session")

    @Test func theServicesConnectionCannotRewriteTheAuditTrailNorSwitchItsTriggersOff() async throws {
        try await TestCluster.withDatabase(poolSize: 1, asApplication: true) { database in
            try await database.client.withConnection { connection in
                let role = try await connection.query("SELECT current_user AS name, rolsuper FROM pg_roles WHERE rolname = current_user")[0]
                #expect(try role.decode("name", as: String.self) == "stranded_app")
                #expect(try role.decode("rolsuper", as: Bool.self) == false)
                // What the service does: append and read.
                try await AuditTrail.record(Self.entry, by: Self.actor, on: connection)
                #expect(try await connection.query("SELECT count(*) AS n FROM audit_event")[0].decode("n", as: Int.self) == 1)
                for statement: PostgresQuery in [
                    "SET session_replication_role = replica",
                    "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete",
                    "ALTER TABLE audit_event DISABLE TRIGGER ALL",
                    "UPDATE audit_event SET username = 'someone else'",
                    "DELETE FROM audit_event",
                    "TRUNCATE audit_event",
                    "DROP TRIGGER audit_event_no_update_delete ON audit_event",
                    "SET ROLE postgres",
                ] {
                    do {
                        try await connection.execute(statement)
                        Issue.record("\(statement) was allowed to the service's connection")
                    } catch let error as PostgresError {
                        #expect(
                            error.message.contains("permission denied") || error.message.contains("must be owner"),
                            "\(statement): \(error.message)"
                        )
                    }
                }
                let after = try await connection.query("SELECT username FROM audit_event")
                #expect(try after.map { try $0.decode("username", as: String.self) } == ["sister.jones"])
            }
        }
    }

    /// Opening a week re-analyses the forms table; the service owns no table,
    /// so it does that through a function running with the owner's rights.
    @Test func theServicesConnectionCanHaveTheFormsTableAnalysed() async throws {
        try await TestCluster.withDatabase(poolSize: 1, asApplication: true) { database in
            // Never analysed, PostgreSQL says -1 tuples; analysed, the count (0).
            func tuples() async throws -> Double {
                try await database.client.query("SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'level1_form'")[0].decode("n")
            }
            // ANALYZE itself is the owner's: for this role PostgreSQL skips it with a warning.
            try await database.client.execute("ANALYZE level1_form")
            #expect(try await tuples() == -1)
            try await database.client.execute("SELECT analyze_level1_form()")
            #expect(try await tuples() == 0)
        }
    }

    /// The tables the service writes are writable to it (the migrations' grants).
    @Test func theServicesConnectionReadsAndWritesTheApplicationsTables() async throws {
        try await TestCluster.withDatabase(poolSize: 1, asApplication: true) { database in
            try await database.client.execute("INSERT INTO organisation (code, name) VALUES ('R9Z', 'Test')")
            try await database.client.execute("UPDATE organisation SET name = 'Renamed' WHERE code = 'R9Z'")
            #expect(
                try await database.client.query("SELECT name FROM organisation WHERE code = 'R9Z'")[0].decode("name", as: String.self) == "Renamed"
            )
        }
    }
}
