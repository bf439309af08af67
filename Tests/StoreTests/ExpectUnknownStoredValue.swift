import Postgres
import Testing

/// Expects `read` to fail because `column` holds `value`, a spelling Core's
/// enum does not know: the error names the column and the value, so whoever
/// reads the log knows the database and the code disagree, and where.
func expectUnknownStoredValue(
    _ value: String,
    in column: String,
    when read: () async throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    do {
        try await read()
        Issue.record("\(column) = '\(value)' was read without an error", sourceLocation: sourceLocation)
    } catch let error as PostgresError {
        #expect(error.message.contains("column \"\(column)\"") && error.message.contains(value), sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a PostgresError naming \(column), got \(error)", sourceLocation: sourceLocation)
    }
}
