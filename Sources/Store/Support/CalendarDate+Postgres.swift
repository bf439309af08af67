import Postgres
import StrandedCore

/// Calendar dates travel as `yyyy-mm-dd` text: the server parses that for a
/// `date` column, and connections run with `DateStyle=ISO`, so a `date`
/// column reads back in the same form. No time zone is involved at any point
/// (DESIGN.md §7: dates are calendar dates, never timestamps).
extension CalendarDate: PostgresCodable {
    public var postgresBinding: PostgresBinding { .text(iso) }

    public static func decode(from cell: PostgresCell) throws -> CalendarDate {
        guard let date = CalendarDate(iso: cell.string) else {
            throw PostgresError(kind: .decoding, message: "column \"\(cell.column)\" is not a date in yyyy-mm-dd form")
        }
        return date
    }
}
