import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Schema migrations")
struct MigratorTests {
    @Test func appliesInOrderOnceAndRecordsChecksums() async throws {
        let client = PostgresClient(configuration: .init(connectionString: try await TestCluster.emptyDatabase()))
        defer { Task { await client.close() } }
        let migrator = Migrator(migrations: [
            Migration(version: 2, name: "second", sql: "ALTER TABLE thing ADD COLUMN label text"),
            Migration(version: 1, name: "first", sql: "CREATE TABLE thing (id int PRIMARY KEY); INSERT INTO thing VALUES (1);"),
        ])
        #expect(try await migrator.migrate(client) == [1, 2])
        #expect(try await migrator.migrate(client) == [])
        #expect(try await migrator.isCurrent(client))
        let rows = try await client.query("SELECT version, name, length(checksum) AS len FROM schema_migrations ORDER BY version")
        #expect(try rows.map { try $0.decode("name", as: String.self) } == ["first", "second"])
        #expect(try rows[0].decode("len") == 64)
    }

    @Test func refusesToRunWhenAnAppliedFileChanged() async throws {
        let client = PostgresClient(configuration: .init(connectionString: try await TestCluster.emptyDatabase()))
        defer { Task { await client.close() } }
        try await Migrator(migrations: [Migration(version: 1, name: "first", sql: "CREATE TABLE thing (id int)")]).migrate(client)
        let edited = Migrator(migrations: [
            Migration(version: 1, name: "first", sql: "CREATE TABLE thing (id bigint)"),
            Migration(version: 2, name: "second", sql: "CREATE TABLE other (id int)"),
        ])
        let error = await #expect(throws: MigrationError.self) { try await edited.migrate(client) }
        #expect(error.map { "\($0)" }?.contains("0001_first.sql has changed since it was applied") == true)
        // Nothing after the changed file ran.
        let tables = try await client.query("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'other'")
        #expect(try tables[0].decode("n") == 0)
    }

    @Test func aFailingMigrationRollsBackWhole() async throws {
        let client = PostgresClient(configuration: .init(connectionString: try await TestCluster.emptyDatabase()))
        defer { Task { await client.close() } }
        let migrator = Migrator(migrations: [Migration(version: 1, name: "broken", sql: "CREATE TABLE half (id int); SELECT no_such_function();")])
        await #expect(throws: MigrationError.self) { try await migrator.migrate(client) }
        let tables = try await client.query("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'half'")
        #expect(try tables[0].decode("n") == 0)
        #expect(try await migrator.isCurrent(client) == false)
    }

    @Test func twoProcessesMigratingAtOnceApplyEachFileOnce() async throws {
        let connectionString = try await TestCluster.emptyDatabase()
        let migrations = (1...5).map { Migration(version: $0, name: "step\($0)", sql: "CREATE TABLE t\($0) (id int); SELECT pg_sleep(0.02);") }
        let first = PostgresClient(configuration: .init(connectionString: connectionString))
        let second = PostgresClient(configuration: .init(connectionString: connectionString))
        async let a = Migrator(migrations: migrations).migrate(first)
        async let b = Migrator(migrations: migrations).migrate(second)
        let (appliedByA, appliedByB) = try await (a, b)
        #expect((appliedByA + appliedByB).sorted() == [1, 2, 3, 4, 5])
        await first.close()
        await second.close()
    }

    @Test func theBundledMigrationsLoad() throws {
        let migrator = try Migrator.bundled()
        #expect(migrator.latestVersion >= 1)
        #expect(migrator.migrations.first?.fileName == "0001_reference_data.sql")
    }
}
