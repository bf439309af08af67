import Postgres
import StrandedCore

extension TrendStore {
    /// Whose figures a trend query sums.
    public enum Scope: String, Sendable, CaseIterable {
        case system, organisation, site, ward
    }

    /// One unit's list figures for one week and one setting (acute or
    /// community): the system and an organisation have a row per setting.
    public struct StockRow: Sendable, Equatable {
        public let unitCode: String
        public let unitName: String
        public let setting: String
        public let week: CalendarDate
        /// Patients at or past each line the thresholds report
        /// (``StrandedThresholds/reportedLines``).
        public let patientsAtLeast: [LengthOfStayBand: Int]
        public let newlyStranded, strandedDischarged, strandedBedDays: Int
        public let inpatients: Int?
        /// Inpatients under the stranded line (full census lists only).
        public let underSeven: Int?
        /// Patients per LoS day from the lowest reported line
        /// (``StrandedThresholds/lowestReportedDays``): `losHistogram[0]` at that LoS.
        public let losHistogram: [Int]
    }

    public struct ReviewRow: Sendable, Equatable {
        public let unitCode: String
        public let unitName: String
        public let setting: String
        public let week: CalendarDate
        public let formsDue, onTime, completed, redDays: Int
    }

    public struct ReasonRow: Sendable, Equatable {
        public let unitCode: String
        public let setting: String
        public let week: CalendarDate
        public let reasonCode: String
        public let patients, primaryPatients: Int
    }

    public struct EscalationRow: Sendable, Equatable {
        public let unitCode: String
        public let unitName: String
        public let setting: String
        public let week: CalendarDate
        public let level: EscalationLevel
        public let opened, resolved: Int
    }

    /// Everything a trend export needs for a scope and weeks, read from the
    /// summary tables (a handful of rows per unit and week).
    public struct Figures: Sendable {
        public var stock: [StockRow] = []
        public var reviews: [ReviewRow] = []
        public var reasons: [ReasonRow] = []
        /// nil when the escalation table does not exist yet (the escalation migration not applied).
        public var escalations: [EscalationRow]?
    }

    /// A unit the dashboard can filter by.
    public struct Unit: Sendable, Equatable, Codable {
        public let code: String
        public let name: String
        public let setting: String?
        /// A site's organisation code.
        public let organisation: String?
    }

    /// The figures of the weeks `from`…`to` (Mondays, inclusive) for `scope`;
    /// `code` picks one organisation, site or ward (`SITE/WARD`, or `SITE` for
    /// all of a site's wards); nil means every unit of the scope.
    public func figures(scope: Scope, code: String?, from: CalendarDate, to: CalendarDate) async throws -> Figures {
        try await refreshStale()
        return try await database.client.withConnection { connection in
            var figures = Figures()
            figures.stock = try await Self.stock(
                on: connection,
                scope: scope,
                code: code,
                from: from,
                to: to,
                thresholds: policy.thresholds
            )
            let unit = Self.unitSQL(scope)
            let filter = Self.codeFilter(scope, code: code)
            figures.reviews = try await connection.query(
                """
                SELECT \(fragment: unit.key) AS unit_code, \(fragment: unit.name) AS unit_name, s.setting, t.week_start,
                       sum(t.forms_due)::int AS forms_due, sum(t.on_time)::int AS on_time,
                       sum(t.completed)::int AS completed, sum(t.red_days)::int AS red_days
                FROM trend_review_week t JOIN ward w ON w.id = t.ward_id JOIN site s ON s.id = t.site_id
                JOIN organisation o ON o.id = s.organisation_id
                WHERE t.week_start BETWEEN \(from) AND \(to) AND \(fragment: filter)
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 3, 4
                """
            ).map { row in
                ReviewRow(
                    unitCode: try row.decode("unit_code"),
                    unitName: try row.decode("unit_name"),
                    setting: try row.decode("setting"),
                    week: try row.decode("week_start"),
                    formsDue: try row.decode("forms_due"),
                    onTime: try row.decode("on_time"),
                    completed: try row.decode("completed"),
                    redDays: try row.decode("red_days")
                )
            }
            figures.reasons = try await connection.query(
                """
                SELECT \(fragment: unit.key) AS unit_code, s.setting, t.week_start, t.reason_code,
                       sum(t.patients)::int AS patients, sum(t.primary_patients)::int AS primary_patients
                FROM trend_review_reason t JOIN ward w ON w.id = t.ward_id JOIN site s ON s.id = t.site_id
                JOIN organisation o ON o.id = s.organisation_id
                WHERE t.week_start BETWEEN \(from) AND \(to) AND \(fragment: filter)
                GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                """
            ).map { row in
                ReasonRow(
                    unitCode: try row.decode("unit_code"),
                    setting: try row.decode("setting"),
                    week: try row.decode("week_start"),
                    reasonCode: try row.decode("reason_code"),
                    patients: try row.decode("patients"),
                    primaryPatients: try row.decode("primary_patients")
                )
            }
            // Escalations are few: counted at read time from their
            // own table, when it exists in this database.
            let hasEscalations: Bool = try await connection.query("SELECT to_regclass('escalation') IS NOT NULL AS present")[0].decode("present")
            if hasEscalations {
                figures.escalations = try await connection.query(
                    """
                    SELECT \(fragment: unit.key) AS unit_code, \(fragment: unit.name) AS unit_name, s.setting, e.week, e.level,
                           sum(e.opened)::int AS opened, sum(e.resolved)::int AS resolved
                    FROM (
                        SELECT case_id, level, opened_week AS week, 1 AS opened, 0 AS resolved FROM escalation
                        WHERE opened_week BETWEEN \(from) AND \(to)
                        UNION ALL
                        SELECT case_id, level, closed_week, 0, 1 FROM escalation
                        WHERE status = 'resolved' AND closed_week BETWEEN \(from) AND \(to)
                    ) e
                    JOIN patient_case c ON c.id = e.case_id JOIN ward w ON w.id = c.last_ward_id JOIN site s ON s.id = c.site_id
                    JOIN organisation o ON o.id = s.organisation_id
                    WHERE \(fragment: filter)
                    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 3, 4, 5
                    """
                ).map { row in
                    EscalationRow(
                        unitCode: try row.decode("unit_code"),
                        unitName: try row.decode("unit_name"),
                        setting: try row.decode("setting"),
                        week: try row.decode("week"),
                        level: try row.decode("level"),
                        opened: try row.decode("opened"),
                        resolved: try row.decode("resolved")
                    )
                }
            }
            return figures
        }
    }

    /// The list figures, each line's count summed from the histogram (which
    /// ``refreshStale()`` has just made sure starts where `thresholds` say).
    static func stock(
        on connection: PostgresConnection,
        scope: Scope,
        code: String?,
        from: CalendarDate,
        to: CalendarDate,
        thresholds: StrandedThresholds
    ) async throws -> [StockRow] {
        let rows: PostgresRows
        switch scope {
        case .system:
            rows = try await connection.query(
                """
                SELECT 'SYSTEM' AS unit_code, 'Whole system' AS unit_name, setting, week_start,
                       newly_stranded, stranded_discharged, stranded_bed_days, inpatients, under_seven,
                       array_to_string(los_hist, ',') AS hist
                FROM trend_rollup_week WHERE scope = 'system' AND site_id = 0 AND week_start BETWEEN \(from) AND \(to)
                ORDER BY setting, week_start
                """
            )
        case .organisation:
            rows = try await connection.query(
                """
                SELECT o.code AS unit_code, o.name AS unit_name, r.setting, r.week_start,
                       sum(r.newly_stranded)::int AS newly_stranded,
                       sum(r.stranded_discharged)::int AS stranded_discharged, sum(r.stranded_bed_days)::int AS stranded_bed_days,
                       sum(r.inpatients)::int AS inpatients, sum(r.under_seven)::int AS under_seven,
                       array_to_string(trend_hist_sum(r.los_hist), ',') AS hist
                FROM trend_rollup_week r JOIN site s ON s.id = r.site_id JOIN organisation o ON o.id = s.organisation_id
                WHERE r.scope = 'site' AND r.week_start BETWEEN \(from) AND \(to) AND (\(code)::text IS NULL OR o.code = \(code))
                GROUP BY o.code, o.name, r.setting, r.week_start
                ORDER BY o.code, r.setting, r.week_start
                """
            )
        case .site:
            rows = try await connection.query(
                """
                SELECT s.code AS unit_code, s.name AS unit_name, r.setting, r.week_start,
                       r.newly_stranded, r.stranded_discharged, r.stranded_bed_days, r.inpatients, r.under_seven,
                       array_to_string(r.los_hist, ',') AS hist
                FROM trend_rollup_week r JOIN site s ON s.id = r.site_id
                WHERE r.scope = 'site' AND r.week_start BETWEEN \(from) AND \(to) AND (\(code)::text IS NULL OR s.code = \(code))
                ORDER BY s.code, r.week_start
                """
            )
        case .ward:
            rows = try await connection.query(
                """
                SELECT s.code || '/' || w.code AS unit_code, s.name || ' – ' || COALESCE(w.name, w.code) AS unit_name, s.setting,
                       t.week_start,
                       t.newly_stranded, t.stranded_discharged, t.stranded_bed_days, t.inpatients, t.under_seven,
                       array_to_string(t.los_hist, ',') AS hist
                FROM trend_ward_week t JOIN ward w ON w.id = t.ward_id JOIN site s ON s.id = t.site_id
                WHERE t.week_start BETWEEN \(from) AND \(to)
                  AND (\(code)::text IS NULL OR s.code = \(code) OR s.code || '/' || w.code = \(code))
                ORDER BY s.code, w.code, t.week_start
                """
            )
        }
        return try rows.map { row in
            let hist: String = try row.decode("hist")
            let counts = hist.isEmpty ? [] : hist.split(separator: ",").map { Int($0) ?? 0 }
            let histogram = LengthOfStayHistogram(startDays: thresholds.lowestReportedDays, counts: counts)
            return StockRow(
                unitCode: try row.decode("unit_code"),
                unitName: try row.decode("unit_name"),
                setting: try row.decode("setting"),
                week: try row.decode("week_start"),
                patientsAtLeast: Dictionary(uniqueKeysWithValues: thresholds.reportedLines.map { ($0, histogram.patients(atLeast: $0.minimumDays)) }),
                newlyStranded: try row.decode("newly_stranded"),
                strandedDischarged: try row.decode("stranded_discharged"),
                strandedBedDays: try row.decode("stranded_bed_days"),
                inpatients: try row.decode("inpatients"),
                underSeven: try row.decode("under_seven"),
                losHistogram: counts
            )
        }
    }

    /// The unit key and name of a scope, over aliases `w` (ward), `s` (site)
    /// and `o` (organisation). Constant SQL: no user data.
    static func unitSQL(_ scope: Scope) -> (key: PostgresQuery, name: PostgresQuery) {
        switch scope {
        case .system: return (PostgresQuery(unsafeSQL: "'SYSTEM'"), PostgresQuery(unsafeSQL: "'Whole system'"))
        case .organisation: return (PostgresQuery(unsafeSQL: "o.code"), PostgresQuery(unsafeSQL: "o.name"))
        case .site: return (PostgresQuery(unsafeSQL: "s.code"), PostgresQuery(unsafeSQL: "s.name"))
        case .ward:
            return (
                PostgresQuery(unsafeSQL: "s.code || '/' || w.code"),
                PostgresQuery(unsafeSQL: "s.name || ' – ' || COALESCE(w.name, w.code)")
            )
        }
    }

    /// The `code` filter of a scope; the code is a bound parameter.
    static func codeFilter(_ scope: Scope, code: String?) -> PostgresQuery {
        guard let code else { return "true" }
        switch scope {
        case .system: return "true"
        case .organisation: return "o.code = \(code)"
        case .site: return "s.code = \(code)"
        case .ward: return "(s.code = \(code) OR s.code || '/' || w.code = \(code))"
        }
    }

    /// Whether `code` names a unit of `scope` (for a clear error on a typo).
    public func unitExists(scope: Scope, code: String) async throws -> Bool {
        let rows: PostgresRows
        switch scope {
        case .system: return true
        case .organisation: rows = try await database.client.query("SELECT 1 AS one FROM organisation WHERE code = \(code)")
        case .site: rows = try await database.client.query("SELECT 1 AS one FROM site WHERE code = \(code)")
        case .ward:
            rows = try await database.client.query(
                """
                SELECT 1 AS one FROM ward w JOIN site s ON s.id = w.site_id WHERE s.code = \(code) OR s.code || '/' || w.code = \(code) LIMIT 1
                """
            )
        }
        return !rows.isEmpty
    }

    /// Organisations and sites, for the dashboard's filter.
    public func units() async throws -> (organisations: [Unit], sites: [Unit]) {
        let organisations = try await database.client.query("SELECT code, name FROM organisation ORDER BY code").map {
            Unit(code: try $0.decode("code"), name: try $0.decode("name"), setting: nil, organisation: nil)
        }
        let sites = try await database.client.query(
            """
            SELECT s.code, s.name, s.setting, o.code AS organisation FROM site s JOIN organisation o ON o.id = s.organisation_id ORDER BY s.code
            """
        ).map {
            Unit(
                code: try $0.decode("code"),
                name: try $0.decode("name"),
                setting: try $0.decode("setting"),
                organisation: try $0.decode("organisation")
            )
        }
        return (organisations, sites)
    }

    /// The first week with a list, if any. Read from the lists themselves,
    /// so it needs no refresh of stale trend weeks first.
    public func firstWeek() async throws -> CalendarDate? {
        let first: CalendarDate? = try await database.client.query(
            """
            SELECT min(snapshot_date) AS first FROM snapshot WHERE superseded_by_import IS NULL
            """
        )[0].decode("first")
        return first?.mondayOfWeek
    }

    /// The latest week with a list, if any (the default end of a trend query).
    public func latestWeek() async throws -> CalendarDate? {
        let latest: CalendarDate? = try await database.client.query(
            """
            SELECT max(snapshot_date) AS latest FROM snapshot WHERE superseded_by_import IS NULL
            """
        )[0].decode("latest")
        return latest?.mondayOfWeek
    }
}
