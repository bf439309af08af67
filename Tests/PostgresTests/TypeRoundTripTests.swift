import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Values travel to PostgreSQL and back unchanged")
struct TypeRoundTripTests {
    struct Payload: Codable, Equatable, Sendable {
        var ward: String
        var beds: [Int]
    }

    @Test func everySupportedTypeIncludingNull() async throws {
        try await TestCluster.withDatabase { database in
            try await database.client.withConnection { connection in
                try await connection.runScript(
                    """
                    CREATE TEMP TABLE sample (
                        n integer, big bigint, t text, flag boolean, x double precision,
                        d date, ts timestamptz, id uuid, raw bytea, doc jsonb)
                    """
                )
                let id = UUID()
                let instant = Date(timeIntervalSince1970: 1_700_000_000.123456)
                let bytes = PostgresBytes([0, 1, 2, 254, 255])
                let doc = PostgresJSON(Payload(ward: "Ward 7 – Zoë", beds: [1, 2]))
                let text = "Zoë Ødegård – 日本語 🏥 'quoted' \"double\" \\ back"
                try await connection.execute(
                    """
                    INSERT INTO sample VALUES (\(Int(-42)), \(Int64.max), \(text), \(true), \(3.25),
                        \("2024-02-29"), \(instant), \(id), \(bytes), \(doc))
                    """
                )
                try await connection.execute(
                    """
                    INSERT INTO sample VALUES (\(Int?.none), \(Int64?.none), \(""), \(Bool?.none), \(Double?.none),
                        \(String?.none), \(Date?.none), \(UUID?.none), \(PostgresBytes?.none), \(PostgresJSON<Payload>?.none))
                    """
                )
                let rows = try await connection.query("SELECT * FROM sample ORDER BY n NULLS LAST")
                #expect(rows.count == 2)
                let full = rows[0]
                #expect(try full.decode("n") == -42)
                #expect(try full.decode("big") == Int64.max)
                #expect(try full.decode("t") == text)
                #expect(try full.decode("flag") == true)
                #expect(try full.decode("x") == 3.25)
                #expect(try full.decode("d", as: Date.self) == Date(timeIntervalSince1970: 1_709_164_800))
                let decodedInstant: Date = try full.decode("ts")
                #expect(abs(decodedInstant.timeIntervalSince(instant)) < 0.000_001)
                #expect(try full.decode("id") == id)
                #expect(try full.decode("raw") == bytes)
                #expect(try full.decode("doc", as: PostgresJSON<Payload>.self).value == doc.value)

                let empty = rows[1]
                #expect(try empty.decode("n", as: Int?.self) == nil)
                #expect(try empty.decode("big", as: Int64?.self) == nil)
                #expect(try empty.decode("t", as: String?.self) == "")
                #expect(try empty.decode("flag", as: Bool?.self) == nil)
                #expect(try empty.decode("x", as: Double?.self) == nil)
                #expect(try empty.decode("d", as: Date?.self) == nil)
                #expect(try empty.decode("ts", as: Date?.self) == nil)
                #expect(try empty.decode("id", as: UUID?.self) == nil)
                #expect(try empty.decode("raw", as: PostgresBytes?.self) == nil)
                #expect(try empty.decode("doc", as: PostgresJSON<Payload>?.self) == nil)

                // A NULL read as a non-optional is a clear error, not a crash or a default.
                let error = #expect(throws: PostgresError.self) { try empty.decode("n", as: Int.self) }
                #expect(error?.kind == .decoding)
                #expect(error?.message.contains("\"n\"") == true)
                // So is an unknown column name.
                #expect(throws: PostgresError.self) { try full.decode("no_such_column", as: Int.self) }
            }
        }
    }

    @Test func parametersCannotInjectSQL() async throws {
        try await TestCluster.withDatabase { database in
            let hostile = "x'); DROP TABLE organisation; --"
            let rows = try await database.client.query("SELECT \(hostile)::text AS echoed")
            #expect(try rows[0].decode("echoed") == hostile)
            let stillThere = try await database.client.query("SELECT count(*) AS n FROM organisation")
            #expect(try stillThere[0].decode("n") == 0)
        }
    }
}
