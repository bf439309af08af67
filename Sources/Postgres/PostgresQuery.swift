/// A SQL statement with its parameters bound as `$1, $2, …`.
///
/// Built with string interpolation, so values can never be spliced into the
/// SQL text:
///
///     let query: PostgresQuery = "SELECT * FROM ward WHERE site_id = \(siteID) AND code = \(code)"
///
/// becomes `SELECT * FROM ward WHERE site_id = $1 AND code = $2` with two bindings.
///
/// A query keeps its text as literal pieces and references to its own
/// bindings, and numbers the placeholders only when its `sql` is read. So a
/// fragment appended to another query (`\(fragment: condition)`) carries its
/// bindings with it and gets the next numbers, however many came before:
/// nothing is ever renumbered by searching the text for `$n`, which would
/// confuse `$1` with the start of `$10`.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// Literal SQL, or a parameter: an index into `bindings`, from 0.
    enum Piece: Sendable, Equatable {
        case literal(String)
        case parameter(Int)
    }

    private(set) var pieces: [Piece]
    public private(set) var bindings: [PostgresBinding]
    /// Prepared once per connection and run by name afterwards (``prepared``).
    public private(set) var isPrepared = false

    /// The same statement, prepared on each connection the first time it
    /// runs there and executed by name afterwards: PostgreSQL parses and plans
    /// it once per connection instead of on every run. For the statements of
    /// the pages people wait on, where planning cost more than running (a
    /// form's joins took longer to plan than to read). The text must be the
    /// same each time (bind values vary, the SQL does not), and its result
    /// columns must not depend on a table's columns (`SELECT *`), which a
    /// migration could change under a prepared statement.
    public var prepared: PostgresQuery {
        var copy = self
        copy.isPrepared = true
        return copy
    }

    /// SQL written by the programmer, never from input (e.g. a column list
    /// chosen from a fixed set). It has no parameters of its own.
    public init(unsafeSQL sql: String) {
        self.pieces = sql.isEmpty ? [] : [.literal(sql)]
        self.bindings = []
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.pieces = stringInterpolation.pieces
        self.bindings = stringInterpolation.bindings
    }

    /// The text sent to the server, with placeholders `$1 … $n` in binding order.
    public var sql: String {
        var text = ""
        for piece in pieces {
            switch piece {
            case let .literal(literal): text += literal
            case let .parameter(index): text += "$\(index + 1)"
            }
        }
        return text
    }

    /// The SQL text only: parameters are never printed.
    public var description: String { sql }

    public struct StringInterpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []
        var bindings: [PostgresBinding] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            pieces.reserveCapacity(interpolationCount * 2 + 1)
            bindings.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            guard !literal.isEmpty else { return }
            pieces.append(.literal(literal))
        }

        /// A value, sent as a bind parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            appendParameter(value.postgresBinding)
        }

        /// An optional value: `nil` is sent as SQL NULL.
        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            appendParameter(value?.postgresBinding ?? .null)
        }

        /// A fragment of SQL written by the programmer (never from input),
        /// e.g. a condition shared by several queries. Its bindings follow
        /// the ones already here; its placeholders point at them by position,
        /// so they are numbered correctly when the whole text is rendered.
        public mutating func appendInterpolation(fragment: PostgresQuery) {
            let offset = bindings.count
            for piece in fragment.pieces {
                switch piece {
                case .literal: pieces.append(piece)
                case let .parameter(index): pieces.append(.parameter(index + offset))
                }
            }
            bindings += fragment.bindings
        }

        private mutating func appendParameter(_ binding: PostgresBinding) {
            pieces.append(.parameter(bindings.count))
            bindings.append(binding)
        }
    }
}
