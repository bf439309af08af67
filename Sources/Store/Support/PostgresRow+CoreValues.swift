import Postgres

extension PostgresRow {
    /// A Core enum stored as its raw value. A spelling the enum does not
    /// know is an error naming the column and the type, never a silent
    /// default: it means the database and the code disagree.
    func decodeRawValue<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws -> Value where Value.RawValue == String {
        let text: String = try decode(column)
        guard let value = Value(rawValue: text) else { throw Self.unknown(text, in: column, for: Value.self) }
        return value
    }

    /// As `decodeRawValue(_:as:)`; NULL reads as nil.
    func decodeRawValue<Value: RawRepresentable>(_ column: String, as type: Value?.Type) throws -> Value? where Value.RawValue == String {
        guard let text: String = try decode(column) else { return nil }
        guard let value = Value(rawValue: text) else { throw Self.unknown(text, in: column, for: Value.self) }
        return value
    }

    private static func unknown(_ text: String, in column: String, for type: Any.Type) -> PostgresError {
        // Safe to show: these columns hold codes from a fixed set, not patient data.
        PostgresError(kind: .decoding, message: "column \"\(column)\" holds \"\(text)\", which is not a \(type)")
    }
}
