import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Migration 0041: opening a week's lighter write path")
struct WeekOpeningMigrationTests {
    /// Forms no longer carry foreign keys to their case and source import,
    /// so those rows must never go: DELETE and TRUNCATE are refused outright.
    @Test func casesAndImportedFilesCannotBeDeleted() async throws {
        try await TestCluster.withDatabase { database in
            let client = database.client
            for statement in [
                "DELETE FROM patient_case", "DELETE FROM import_file",
                "TRUNCATE patient_case CASCADE", "TRUNCATE import_file CASCADE",
            ] {
                let error = await #expect(throws: PostgresError.self, "\(statement)") {
                    try await client.execute(.init(unsafeSQL: statement))
                }
                #expect(error?.sqlState == "23001", "\(statement)")
            }
        }
    }
}
