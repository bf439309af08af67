import Foundation
import Postgres
import Store
import TestSupport
import Testing

private struct Boom: Error {}

@Suite("The audit trail: append-only, searchable")
struct AuditTrailTests {
    static let entry = AuditEntry(
        action: "update",
        entityType: "level1_form",
        entityID: "7",
        caseID: 42,
        nhsNumber: "9990000018",
        before: ["status": "in-progress"],
        after: ["status": "complete"]
    )
    static let actor = AuditActor(
        userID: nil,
        username: "sister.jones",
        roles: "ward",
        authMethod: "session",
        clientAddress: "10.0.0.5",
        sessionHash: "abc123"
    )

    @Test func recordsWhoWhatWhichPatientFromWhereBeforeAndAfter() async throws {
        try await TestCluster.withDatabase { database in
            let trail = AuditTrail(database: database)
            try await trail.record(Self.entry, by: Self.actor)
            let found = try await trail.search(AuditQuery(username: "sister.jones"))
            #expect(found.count == 1)
            let record = try #require(found.first)
            #expect(record.action == "update" && record.entityType == "level1_form" && record.entityID == "7")
            #expect(record.caseID == 42 && record.nhsNumber == "9990000018")
            #expect(record.clientAddress == "10.0.0.5" && record.sessionHash == "abc123" && record.roles == "ward")
            #expect(record.before == #"{"status": "in-progress"}"#)
            #expect(record.after == #"{"status": "complete"}"#)
            // The database's clock, not the application's.
            #expect(abs(record.occurredAt.timeIntervalSinceNow) < 60)
        }
    }

    @Test func anEntryCommitsOrRollsBackWithItsChange() async throws {
        try await TestCluster.withDatabase { database throws in
            await #expect(throws: Boom.self) {
                try await database.client.withTransaction { connection in
                    try await AuditTrail.record(Self.entry, by: Self.actor, on: connection)
                    throw Boom()
                }
            }
            #expect(try await AuditTrail(database: database).search(AuditQuery()).isEmpty)
        }
    }

    @Test func searchFiltersAndPages() async throws {
        try await TestCluster.withDatabase { database in
            let trail = AuditTrail(database: database)
            for index in 0..<5 {
                try await trail.record(
                    AuditEntry(
                        action: index.isMultiple(of: 2) ? "read" : "update",
                        entityType: "level1_form",
                        entityID: String(index),
                        caseID: Int64(index)
                    ),
                    by: Self.actor
                )
            }
            try await trail.record(AuditEntry(action: "login", entityType: "app_user", entityID: "someone"), by: .system)
            #expect(try await trail.search(AuditQuery(action: "read")).count == 3)
            #expect(try await trail.search(AuditQuery(entityType: "app_user")).map(\.username) == ["system"])
            #expect(try await trail.search(AuditQuery(caseID: 3)).map(\.entityID) == ["3"])
            let firstPage = try await trail.search(AuditQuery(entityType: "level1_form", limit: 2))
            let secondPage = try await trail.search(AuditQuery(entityType: "level1_form", limit: 2, offset: 2))
            #expect(firstPage.map(\.entityID) == ["4", "3"])
            #expect(secondPage.map(\.entityID) == ["2", "1"])
            #expect(try await trail.search(AuditQuery(from: Date().addingTimeInterval(3600))).isEmpty)
            #expect(try await trail.search(AuditQuery(to: Date().addingTimeInterval(3600))).count == 6)
        }
    }

    /// Migrations and command-line tools connect as a superuser, which
    /// privileges do not bind: the triggers refuse every rewrite, whoever asks.
    @Test func theDatabaseRefusesUpdateDeleteAndTruncateEvenToASuperuser() async throws {
        try await TestCluster.withDatabase { database in
            try await AuditTrail(database: database).record(Self.entry, by: Self.actor)
            for statement: PostgresQuery in [
                "UPDATE audit_event SET username = 'someone else'",
                "DELETE FROM audit_event",
                "TRUNCATE audit_event",
            ] {
                do {
                    try await database.client.execute(statement)
                    Issue.record("\(statement) was allowed")
                } catch let error as PostgresError {
                    #expect(error.message.contains("append-only"), "\(statement): \(error.message)")
                }
            }
            #expect(try await AuditTrail(database: database).search(AuditQuery()).map(\.username) == ["sister.jones"])
        }
    }

    /// For external databases the application connects as `stranded_app`
    /// (Deploy/README.md): it may add and read entries, and change other
    /// tables, but has no UPDATE, DELETE or TRUNCATE privilege on the trail.
    @Test func theApplicationsRoleMayOnlyInsertAndSelect() async throws {
        try await TestCluster.withDatabase(poolSize: 1) { database in
            try await database.client.withConnection { connection in
                try await connection.execute("SET ROLE stranded_app")
                defer {}
                try await AuditTrail.record(Self.entry, by: Self.actor, on: connection)
                #expect(try await connection.query("SELECT count(*) AS n FROM audit_event")[0].decode("n", as: Int.self) == 1)
                // Other tables: ordinary DML is granted.
                try await connection.execute("INSERT INTO organisation (code, name) VALUES ('R9Z', 'Test')")
                try await connection.execute("UPDATE organisation SET name = 'Renamed' WHERE code = 'R9Z'")
                for statement: PostgresQuery in [
                    "UPDATE audit_event SET username = 'someone else'",
                    "DELETE FROM audit_event",
                    "TRUNCATE audit_event",
                ] {
                    do {
                        try await connection.execute(statement)
                        Issue.record("\(statement) was allowed to stranded_app")
                    } catch let error as PostgresError {
                        #expect(error.message.contains("permission denied"), "\(statement): \(error.message)")
                    }
                }
                try await connection.execute("RESET ROLE")
            }
        }
    }
}
