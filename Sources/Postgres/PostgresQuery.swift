/// A SQL statement with its parameters bound as `$1, $2, …`.
///
/// Built with string interpolation, so values can never be spliced into the
/// SQL text:
///
///     let query: PostgresQuery = "SELECT * FROM ward WHERE site_id = \(siteID) AND code = \(code)"
///
/// becomes `SELECT * FROM ward WHERE site_id = $1 AND code = $2` with two bindings.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var sql: String
    public private(set) var bindings: [PostgresBinding]

    public init(unsafeSQL sql: String, bindings: [PostgresBinding] = []) {
        self.sql = sql
        self.bindings = bindings
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.bindings = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.bindings = stringInterpolation.bindings
    }

    /// The SQL text only: parameters are never printed.
    public var description: String { sql }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var bindings: [PostgresBinding] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            bindings.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A value, sent as a bind parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            bindings.append(value.postgresBinding)
            sql += "$\(bindings.count)"
        }

        /// An optional value: `nil` is sent as SQL NULL.
        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            bindings.append(value?.postgresBinding ?? .null)
            sql += "$\(bindings.count)"
        }

        /// A fragment of SQL written by the programmer (never from input),
        /// e.g. a column list chosen from a fixed set. Its own bindings are renumbered.
        public mutating func appendInterpolation(fragment: PostgresQuery) {
            var text = fragment.sql
            // Renumber from the highest index down so $1 does not clobber $10.
            for index in stride(from: fragment.bindings.count, through: 1, by: -1) {
                text = text.replacingOccurrences(of: "$\(index)", with: "$\(index + bindings.count)")
            }
            sql += text
            bindings += fragment.bindings
        }
    }
}

import Foundation
