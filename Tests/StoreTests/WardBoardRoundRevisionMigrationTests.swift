import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// A cached ward list page is current while its ward's board-round stamp is
/// unchanged, so every change to the ward's recorded days must move it, and
/// a change on one ward must leave another's pages cached.
@Suite("Migration 0049: a ward's board-round revision moves with every change to its days")
struct WardBoardRoundRevisionMigrationTests {
    @Test func everyChangeToAWardsDaysMovesItsStampAndNoOtherWards() async throws {
        // As the service connects: the triggers write with its rights.
        try await TestCluster.withDatabase(asApplication: true) { database in
            let (first, second) = try await Self.twoWards(database.client)
            let store = RedDayStore(database: database)
            #expect(try await store.wardStamp(wardID: first) == "0")
            let changes: [(change: String, moves: Set<Int64>)] = [
                (Self.recordDay(ward: first, day: "2026-11-30", status: "green"), [first]),
                ("UPDATE board_round_day SET status = 'red', reason = 'x', recorded_at = now() WHERE ward_id = \(first)", [first]),
                // Recorded again from the other ward (the patient moved): both pages change.
                (Self.recordDay(ward: second, day: "2026-11-30", status: "green"), [first, second]),
                (Self.recordDay(ward: second, day: "2026-12-01", status: "green"), [second]),
                ("DELETE FROM board_round_day WHERE day = '2026-12-01'", [second]),
                ("UPDATE board_round_day SET status = status WHERE false", []),
            ]
            for (change, moves) in changes {
                let before = (try await store.wardStamp(wardID: first), try await store.wardStamp(wardID: second))
                try await database.client.execute(PostgresQuery(unsafeSQL: change))
                let after = (try await store.wardStamp(wardID: first), try await store.wardStamp(wardID: second))
                #expect((after.0 != before.0) == moves.contains(first), "\(change)")
                #expect((after.1 != before.1) == moves.contains(second), "\(change)")
            }
        }
    }

    @Test func emptyingTheTableMovesEveryWard() async throws {
        try await TestCluster.withDatabase { database in
            let (first, second) = try await Self.twoWards(database.client)
            let store = RedDayStore(database: database)
            try await database.client.execute(PostgresQuery(unsafeSQL: Self.recordDay(ward: first, day: "2026-11-30", status: "green")))
            try await database.client.execute(PostgresQuery(unsafeSQL: Self.recordDay(ward: second, day: "2026-12-01", status: "green")))
            let before = (try await store.wardStamp(wardID: first), try await store.wardStamp(wardID: second))
            try await database.client.execute("TRUNCATE board_round_day")
            #expect(try await store.wardStamp(wardID: first) != before.0)
            #expect(try await store.wardStamp(wardID: second) != before.1)
        }
    }

    static func twoWards(_ client: PostgresClient) async throws -> (Int64, Int64) {
        try await client.execute("INSERT INTO organisation (code, name) VALUES ('RX1', 'Test Trust')")
        try await client.execute(
            "INSERT INTO site (organisation_id, code, name, setting) SELECT id, 'RX101', 'Test Hospital', 'acute' FROM organisation"
        )
        let wards = try await client.query("INSERT INTO ward (site_id, code) SELECT site.id, w.code FROM site, unnest('{W1,W2}'::text[]) AS w(code) RETURNING id")
        let ids = try wards.map { try $0.decode("id", as: Int64.self) }.sorted()
        return (ids[0], ids[1])
    }

    /// The board round's own upsert: a day sent again from another ward moves it there.
    static func recordDay(ward: Int64, day: String, status: String) -> String {
        """
        INSERT INTO board_round_day (site_id, ward_id, patient_key, admission_date, day, status, source, recorded_by)
        SELECT site_id, id, 'P1', '2026-11-20', '\(day)', '\(status)', 'page', 'test' FROM ward WHERE id = \(ward)
        ON CONFLICT (site_id, patient_key, admission_date, day) DO UPDATE SET
            ward_id = EXCLUDED.ward_id, status = EXCLUDED.status, reason = EXCLUDED.reason, recorded_at = now()
        """
    }
}
