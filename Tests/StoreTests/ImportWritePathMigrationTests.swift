import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Migration 0010: the import's lighter write path")
struct ImportWritePathMigrationTests {
    /// Cases no longer carry foreign keys to sites, wards and journeys, so
    /// those rows must never go: DELETE and TRUNCATE are refused outright.
    @Test func sitesWardsAndJourneysCannotBeDeleted() async throws {
        try await TestCluster.withDatabase { database in
            let client = database.client
            try await client.execute("INSERT INTO organisation (code, name) VALUES ('RX1', 'Test Trust')")
            try await client.execute(
                """
                INSERT INTO site (organisation_id, code, name, setting) SELECT id, 'RX101', 'Test Hospital', 'acute' FROM organisation
                """
            )
            try await client.execute("INSERT INTO ward (site_id, code) SELECT id, 'W1' FROM site")
            try await client.execute("INSERT INTO journey (nhs_number) VALUES ('9990000018')")
            for statement in [
                "DELETE FROM journey", "DELETE FROM ward", "DELETE FROM site WHERE code = 'RX101'",
                "TRUNCATE journey", "TRUNCATE ward CASCADE", "TRUNCATE site CASCADE",
            ] {
                let error = await #expect(throws: PostgresError.self, "\(statement)") {
                    try await client.execute(.init(unsafeSQL: statement))
                }
                #expect(error?.sqlState == "23001", "\(statement)")
            }
            let counts = try await client.query(
                """
                SELECT (SELECT count(*) FROM site)::int AS sites, (SELECT count(*) FROM ward)::int AS wards,
                       (SELECT count(*) FROM journey)::int AS journeys
                """
            )[0]
            #expect(try counts.decode("sites", as: Int.self) == 1)
            #expect(try counts.decode("wards", as: Int.self) == 1)
            #expect(try counts.decode("journeys", as: Int.self) == 1)
        }
    }
}
