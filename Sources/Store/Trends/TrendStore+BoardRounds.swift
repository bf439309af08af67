import Postgres
import StrandedCore

extension TrendStore {
    /// Board-round days of one unit, setting and week with one colour, one
    /// red reason (nil for green days) and one side of the stranded line.
    public struct BoardRoundRow: Sendable, Equatable {
        public let unitCode: String
        public let unitName: String
        public let setting: String
        public let week: CalendarDate
        public let red: Bool
        public let reason: String?
        /// The patient had been in hospital the stranded line's days or more on the day.
        public let stranded: Bool
        public let days: Int
    }

    /// The board rounds' days of the weeks `from`…`to` (Mondays) for `scope`,
    /// counted in the database: a handful of rows per unit and week, however
    /// many patient-days were recorded.
    public func boardRounds(scope: Scope, code: String?, from: CalendarDate, to: CalendarDate) async throws -> [BoardRoundRow] {
        let unit = Self.unitSQL(scope)
        let strandedDays = policy.thresholds.strandedDays
        return try await database.client.query(
            """
            SELECT \(fragment: unit.key) AS unit_code, \(fragment: unit.name) AS unit_name, s.setting,
                   date_trunc('week', d.day)::date AS week, d.status = 'red' AS red, d.reason,
                   d.day - d.admission_date >= \(strandedDays) AS stranded, count(*)::int AS days
            FROM board_round_day d JOIN ward w ON w.id = d.ward_id JOIN site s ON s.id = d.site_id
            JOIN organisation o ON o.id = s.organisation_id
            WHERE d.day BETWEEN \(from) AND \(to.adding(days: 6)) AND \(fragment: Self.codeFilter(scope, code: code))
            GROUP BY 1, 2, 3, 4, 5, 6, 7
            """
        ).map { row in
            BoardRoundRow(
                unitCode: try row.decode("unit_code"),
                unitName: try row.decode("unit_name"),
                setting: try row.decode("setting"),
                week: try row.decode("week"),
                red: try row.decode("red"),
                reason: try row.decode("reason"),
                stranded: try row.decode("stranded"),
                days: try row.decode("days")
            )
        }
    }
}
