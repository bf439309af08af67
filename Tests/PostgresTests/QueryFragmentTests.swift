import Postgres
import Store
import TestSupport
import Testing

@Suite("A fragment's parameters keep their values wherever it is appended")
struct QueryFragmentTests {
    /// `SELECT ARRAY[$1 … $n] AS before, <fragment> AS fragment` with `n`
    /// integer bindings before a three-parameter text fragment.
    static func query(bindingsBefore count: Int, fragment: PostgresQuery) -> PostgresQuery {
        var interpolation = PostgresQuery.StringInterpolation(literalCapacity: 64, interpolationCount: count + 1)
        interpolation.appendLiteral("SELECT ARRAY[")
        for value in 0..<count {
            if value > 0 { interpolation.appendLiteral(", ") }
            interpolation.appendInterpolation(value)
        }
        interpolation.appendLiteral("]::int[] AS before, ")
        interpolation.appendInterpolation(fragment: fragment)
        interpolation.appendLiteral(" AS fragment")
        return PostgresQuery(stringInterpolation: interpolation)
    }

    static let threeParameters: PostgresQuery = "\("first")::text || '|' || \("second")::text || '|' || \("third")::text"

    @Test(arguments: [1, 9, 10, 99])
    func fragmentAfterBindings(count: Int) async throws {
        let query = Self.query(bindingsBefore: count, fragment: Self.threeParameters)
        #expect(query.bindings.count == count + 3)
        #expect(query.sql.hasSuffix("$\(count + 1)::text || '|' || $\(count + 2)::text || '|' || $\(count + 3)::text AS fragment"))
        try await TestCluster.withDatabase { database in
            let row = try await database.client.query(query)[0]
            #expect(try row.decode("fragment", as: String.self) == "first|second|third")
            let before: String = try row.decode("before")
            #expect(before == "{" + (0..<count).map(String.init).joined(separator: ",") + "}")
        }
    }

    @Test func nestedAndRepeatedFragmentsKeepTheirOwnValues() async throws {
        let inner: PostgresQuery = "\(10)::int + \(1)::int"
        let outer: PostgresQuery = "(\(fragment: inner)) * \(100)::int"
        // Eleven bindings before the nested fragment, then the same fragment again.
        var interpolation = PostgresQuery.StringInterpolation(literalCapacity: 64, interpolationCount: 13)
        interpolation.appendLiteral("SELECT ")
        for value in 1...11 {
            interpolation.appendInterpolation(value)
            interpolation.appendLiteral("::int + ")
        }
        interpolation.appendLiteral("0 AS sum, ")
        interpolation.appendInterpolation(fragment: outer)
        interpolation.appendLiteral(" AS first, ")
        interpolation.appendInterpolation(fragment: outer)
        interpolation.appendLiteral(" AS second")
        let query = PostgresQuery(stringInterpolation: interpolation)
        #expect(query.sql.contains("($12::int + $13::int) * $14::int AS first, ($15::int + $16::int) * $17::int AS second"))
        try await TestCluster.withDatabase { database in
            let row = try await database.client.query(query)[0]
            #expect(try row.decode("sum", as: Int.self) == 66)
            #expect(try row.decode("first", as: Int.self) == 1100)
            #expect(try row.decode("second", as: Int.self) == 1100)
        }
    }

    @Test func dollarSignsInLiteralTextAreLeftAlone() {
        let fragment: PostgresQuery = "'$1 costs $10' || \("x")"
        let query: PostgresQuery = "SELECT \(5), \(fragment: fragment)"
        #expect(query.sql == "SELECT $1, '$1 costs $10' || $2")
        #expect(query.bindings == [.text("5"), .text("x")])
    }
}
