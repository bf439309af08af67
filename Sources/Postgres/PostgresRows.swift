import CLibPQ

/// Owns one `PGresult` and clears it exactly once.
///
/// A PGresult is read-only once libpq hands it over, so reading it from any
/// thread is safe; that is why this class may be `@unchecked Sendable`.
final class ResultHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { PQclear(pointer) }
}

/// The rows a query returned.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let handle: ResultHandle?
    let columnIndex: [String: Int32]
    public let count: Int
    /// Rows inserted, updated or deleted (from the command tag), when the statement reports one.
    public let affectedRows: Int

    init(handle: ResultHandle?) {
        self.handle = handle
        guard let handle else {
            columnIndex = [:]
            count = 0
            affectedRows = 0
            return
        }
        let result = handle.pointer
        var index: [String: Int32] = [:]
        let fields = PQnfields(result)
        for field in 0..<fields {
            let name = String(cString: PQfname(result, field))
            // The first column of a name wins, as in SQL.
            if index[name] == nil { index[name] = field }
        }
        columnIndex = index
        count = Int(PQntuples(result))
        affectedRows = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> PostgresRow {
        PostgresRow(rows: self, row: Int32(position))
    }

    /// The column names in order.
    public var columns: [String] {
        guard let handle else { return [] }
        return (0..<PQnfields(handle.pointer)).map { String(cString: PQfname(handle.pointer, $0)) }
    }
}

/// One row of a result; read its cells by column name.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let row: Int32

    /// Decodes the named column: `let id: Int = try row.decode("id")`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let handle = rows.handle, let field = rows.columnIndex[column] else {
            throw PostgresError(kind: .client, message: "no column \"\(column)\" in the result (columns: \(rows.columns.joined(separator: ", ")))")
        }
        let result = handle.pointer
        if PQgetisnull(result, row, field) == 1 {
            return try T.decodeNull(column: column)
        }
        let length = Int(PQgetlength(result, row, field))
        let base = UnsafeRawPointer(PQgetvalue(result, row, field)!).assumingMemoryBound(to: UInt8.self)
        let cell = PostgresCell(column: column, typeOID: PQftype(result, field), bytes: UnsafeBufferPointer(start: base, count: length))
        return try T.decode(from: cell)
    }

    /// True when the named column is NULL.
    public func isNull(_ column: String) -> Bool {
        guard let handle = rows.handle, let field = rows.columnIndex[column] else { return true }
        return PQgetisnull(handle.pointer, row, field) == 1
    }
}
