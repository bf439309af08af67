import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// An upgrade as a deployed database meets it: a fresh database migrated to
/// `version`, given rows there by `seed`, then migrated on through `target`
/// (every bundled migration when nil). Returns the client, open, and the
/// versions the upgrade applied.
enum MigrationUpgrade {
    static func upgrade(from version: Int, seed: String, through target: Int? = nil) async throws -> (client: PostgresClient, applied: [Int]) {
        let client = PostgresClient(configuration: .init(connectionString: try await TestCluster.emptyDatabase()))
        let bundled = try Migrator.bundled().migrations
        #expect(try await Migrator(migrations: bundled.filter { $0.version <= version }).migrate(client).last == version)
        try await client.execute(PostgresQuery(unsafeSQL: seed))
        let applied = try await Migrator(migrations: bundled.filter { $0.version <= (target ?? .max) }).migrate(client)
        return (client, applied)
    }

    /// Fifty open cases at site 1, for the migrations that change patient_case.
    static let fiftyOpenCases = """
        INSERT INTO patient_case (site_id, patient_key, admission_date, nhs_number, journey_id, opened_on, last_seen_on, last_ward_id, last_los, status)
        SELECT 1, 'L:' || n, date '2026-11-01', NULL, NULL, date '2026-11-16', date '2026-11-16', 1, 15, 'open'
        FROM generate_series(1, 50) n
        """
}
