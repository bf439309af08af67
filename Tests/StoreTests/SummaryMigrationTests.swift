import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Migration 0009: the chief executive summary tables")
struct SummaryMigrationTests {
    /// 0009 must not depend on the escalation, access-control or trend
    /// migrations (0006–0008) that were written at the same time.
    @Test func appliesOnTheFirstFiveMigrationsAlone() async throws {
        let client = PostgresClient(configuration: .init(connectionString: try await TestCluster.emptyDatabase()))
        let bundled = try Migrator.bundled().migrations
        let chosen = bundled.filter { $0.version <= 5 || $0.version == 9 }
        #expect(chosen.map(\.version) == [1, 2, 3, 4, 5, 9])
        let applied = try await Migrator(migrations: chosen).migrate(client)
        #expect(applied == [1, 2, 3, 4, 5, 9])
        // A frozen version cannot be rewritten or removed.
        try await client.execute(
            """
            INSERT INTO ce_summary (week_start, version, built_by, model, html, markdown) VALUES ('2026-11-16', 1, 'test', '{}', '<p>', '#')
            """
        )
        await #expect(throws: PostgresError.self) { try await client.execute("DELETE FROM ce_summary") }
        await #expect(throws: PostgresError.self) {
            try await client.execute(
                "INSERT INTO ce_summary (week_start, version, built_by, model, html, markdown) VALUES ('2026-11-17', 1, 't', '{}', '', '')"
            )
        }
        await client.close()
    }
}
