import Foundation
import Postgres
import StrandedCore

/// Board-round days in PostgreSQL: a ward's patients for a date, recording
/// and correcting days (one transaction, corrections audited), and the days
/// of cases for the counts shown wherever a case is discussed.
public struct RedDayStore: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// The ward and its site, if within `scope` (nil otherwise: out of scope reads as not found).
    public func ward(id: Int64, scope: RecordScope) async throws -> BoardRoundWard? {
        try await database.client.query(
            """
            SELECT w.id, w.code, w.name, s.id AS site_id, s.code AS site_code, s.name AS site_name
            FROM ward w JOIN site s ON s.id = w.site_id
            WHERE w.id = \(id) AND \(fragment: scope.condition())
            """
        ).first.map { row in
            BoardRoundWard(
                id: try row.decode("id"),
                code: try row.decode("code"),
                name: try row.decode("name"),
                siteID: try row.decode("site_id"),
                siteCode: try row.decode("site_code"),
                siteName: try row.decode("site_name")
            )
        }
    }

    /// The ward by its site's code and its own (a file names wards so).
    public func ward(siteCode: String, wardCode: String) async throws -> BoardRoundWard? {
        guard
            let row = try await database.client.query(
                "SELECT w.id FROM ward w JOIN site s ON s.id = w.site_id WHERE s.code = \(siteCode) AND w.code = \(wardCode)"
            ).first
        else { return nil }
        return try await ward(id: try row.decode("id"), scope: .all)
    }

    /// The patients of the ward's board round on `date`: the ward's rows of
    /// the site's latest current list dated up to `date`, less stays that
    /// began after it or whose case closed by it; longest stay first.
    public func patients(ward: BoardRoundWard, date: CalendarDate) async throws -> [BoardRoundPatient] {
        let rows = try await database.client.query(
            """
            WITH snap AS (
                SELECT import_id FROM snapshot
                WHERE site_id = \(ward.siteID) AND superseded_by_import IS NULL AND snapshot_date <= \(date)
                ORDER BY snapshot_date DESC LIMIT 1
            )
            SELECT r.patient_key, r.nhs_number, r.local_patient_id, r.family_name, r.given_name, r.age, r.admission_date,
                   (\(date)::date - r.admission_date) AS los, c.id AS case_id,
                   COALESCE((SELECT jsonb_agg(jsonb_build_object('date', to_char(d.day, 'YYYY-MM-DD'), 'status', d.status, 'reason', d.reason)
                                              ORDER BY d.day)
                             FROM board_round_day d
                             WHERE d.site_id = r.site_id AND d.patient_key = r.patient_key AND d.admission_date = r.admission_date
                               AND d.day <= \(date)), '[]')::text AS days
            FROM snap
            JOIN list_row r ON r.import_id = snap.import_id AND r.site_id = \(ward.siteID) AND r.ward_code = \(ward.code)
            LEFT JOIN patient_case c ON c.site_id = r.site_id AND c.patient_key = r.patient_key AND c.admission_date = r.admission_date
            WHERE r.admission_date <= \(date)
              AND NOT (c.status IN ('discharged', 'withdrawn') AND c.discharged_on IS NOT NULL AND c.discharged_on <= \(date))
            ORDER BY los DESC, r.family_name, r.given_name, r.line_no
            """
        )
        let decoder = JSONDecoder()
        return try rows.map { row in
            BoardRoundPatient(
                caseID: try row.decode("case_id"),
                patientKey: try row.decode("patient_key"),
                nhsNumber: try row.decode("nhs_number"),
                localPatientID: try row.decode("local_patient_id"),
                familyName: try row.decode("family_name"),
                givenName: try row.decode("given_name"),
                age: try row.decode("age"),
                admissionDate: try row.decode("admission_date"),
                lengthOfStay: try row.decode("los"),
                days: try decoder.decode([RecordedDay].self, from: Data(try row.decode("days", as: String.self).utf8))
            )
        }
    }

    /// Records `days` for stays at the ward's site, in one transaction: new
    /// days are inserted, changed days corrected (each correction audited
    /// with before and after), days sent again as they were left alone. The
    /// caller has checked each day against the policy (status, reason, window).
    public func record(
        _ days: [DayToRecord],
        ward: BoardRoundWard,
        source: DaySource,
        by author: String,
        actor: AuditActor = .currentOrSystem
    ) async throws -> DayRecording {
        try await record(groups: [(ward, days)], source: source, by: author, actor: actor)
    }

    /// As ``record(_:ward:source:by:actor:)`` for several wards at once (a
    /// file of days): one transaction for all of them.
    public func record(
        groups: [(ward: BoardRoundWard, days: [DayToRecord])],
        source: DaySource,
        by author: String,
        actor: AuditActor = .currentOrSystem
    ) async throws -> DayRecording {
        let groups = groups.filter { !$0.days.isEmpty }
        guard !groups.isEmpty else { return DayRecording() }
        return try await database.client.withTransaction { connection in
            var total = DayRecording()
            for group in groups {
                let result = try await Self.record(group.days, ward: group.ward, source: source, by: author, actor: actor, on: connection)
                total.recorded += result.recorded
                total.corrected += result.corrected
                total.unchanged += result.unchanged
            }
            return total
        }
    }

    private static func record(
        _ days: [DayToRecord],
        ward: BoardRoundWard,
        source: DaySource,
        by author: String,
        actor: AuditActor,
        on connection: PostgresConnection
    ) async throws -> DayRecording {
        do {
            let keys = PostgresArray(days.map(\.patientKey))
            let admissions = PostgresArray(days.map(\.admissionDate.iso))
            let dates = PostgresArray(days.map(\.day.date.iso))
            let existing = try await connection.query(
                """
                SELECT d.patient_key, d.admission_date, d.day, d.status, d.reason
                FROM board_round_day d
                JOIN unnest(\(keys)::text[], \(admissions)::date[], \(dates)::date[]) AS i(patient_key, admission_date, day)
                  ON d.site_id = \(ward.siteID) AND d.patient_key = i.patient_key AND d.admission_date = i.admission_date AND d.day = i.day
                FOR UPDATE OF d
                """
            )
            struct Key: Hashable {
                let patient: String
                let admission: CalendarDate
                let date: CalendarDate
            }
            var before: [Key: RecordedDay] = [:]
            for row in existing {
                let date: CalendarDate = try row.decode("day")
                before[Key(patient: try row.decode("patient_key"), admission: try row.decode("admission_date"), date: date)] = RecordedDay(
                    date: date,
                    status: try row.decodeRawValue("status", as: DayStatus.self),
                    reason: try row.decode("reason", as: String?.self)
                )
            }
            var result = DayRecording()
            var changed: [DayToRecord] = []
            var latest: [Key: DayToRecord] = [:]
            for day in days { latest[Key(patient: day.patientKey, admission: day.admissionDate, date: day.day.date)] = day }
            for (key, day) in latest {
                switch before[key] {
                case nil:
                    result.recorded += 1
                    changed.append(day)
                case day.day?:
                    result.unchanged += 1
                case let old?:
                    result.corrected += 1
                    changed.append(day)
                    try await AuditTrail.record(
                        AuditEntry(
                            action: "correct",
                            entityType: "board_round_day",
                            entityID: "\(ward.id)/\(day.day.date.iso)",
                            caseID: day.caseID,
                            before: old,
                            after: day.day
                        ),
                        by: actor,
                        on: connection
                    )
                }
            }
            if !changed.isEmpty {
                try await connection.execute(
                    """
                    INSERT INTO board_round_day (site_id, ward_id, patient_key, admission_date, day, status, reason, source, recorded_by)
                    SELECT \(ward.siteID), \(ward.id), i.patient_key, i.admission_date, i.day, i.status, NULLIF(i.reason, ''), \(source.rawValue), \(author)
                    FROM unnest(\(PostgresArray(changed.map(\.patientKey)))::text[], \(PostgresArray(changed.map(\.admissionDate.iso)))::date[],
                                \(PostgresArray(changed.map(\.day.date.iso)))::date[], \(PostgresArray(changed.map(\.day.status.rawValue)))::text[],
                                \(PostgresArray(changed.map { $0.day.reason ?? "" }))::text[])
                         AS i(patient_key, admission_date, day, status, reason)
                    ON CONFLICT (site_id, patient_key, admission_date, day) DO UPDATE SET
                        ward_id = EXCLUDED.ward_id, status = EXCLUDED.status, reason = EXCLUDED.reason,
                        source = EXCLUDED.source, recorded_by = EXCLUDED.recorded_by, recorded_at = now()
                    """
                )
            }
            // The board round as a whole: who recorded how many days where,
            // counts only (the corrections above carry their patients).
            let dateSpan = Set(days.map(\.day.date)).sorted()
            try await AuditTrail.record(
                AuditEntry(
                    action: "record",
                    entityType: "board_round",
                    entityID: "\(ward.id)/\(dateSpan.first!.iso)" + (dateSpan.count > 1 ? "..\(dateSpan.last!.iso)" : ""),
                    after: [
                        "source": source.rawValue, "recorded": String(result.recorded), "corrected": String(result.corrected),
                        "unchanged": String(result.unchanged),
                    ]
                ),
                by: actor,
                on: connection
            )
            return result
        }
    }

    /// Board-round days per site and week from `from` to `to`: red, recorded,
    /// and the same for stranded patients (length of stay of at least
    /// `strandedDays` on the day); and red days per reason.
    public func weeklyCounts(
        from: CalendarDate,
        to: CalendarDate,
        strandedDays: Int
    ) async throws -> (sites: [RedDaySiteWeekCounts], reasons: [RedReasonSiteWeekCounts]) {
        let sites = try await database.client.query(
            """
            SELECT date_trunc('week', d.day)::date AS week, s.code AS site_code, o.code AS organisation_code,
                   count(*) FILTER (WHERE d.status = 'red') AS red, count(*) AS recorded,
                   count(*) FILTER (WHERE d.day - d.admission_date >= \(strandedDays)) AS stranded_recorded,
                   count(*) FILTER (WHERE d.status = 'red' AND d.day - d.admission_date >= \(strandedDays)) AS stranded_red
            FROM board_round_day d JOIN site s ON s.id = d.site_id JOIN organisation o ON o.id = s.organisation_id
            WHERE d.day BETWEEN \(from) AND \(to.adding(days: 6))
            GROUP BY 1, 2, 3 ORDER BY 1, 2
            """
        ).map { row in
            RedDaySiteWeekCounts(
                week: try row.decode("week"),
                siteCode: try row.decode("site_code"),
                organisationCode: try row.decode("organisation_code"),
                red: Int(try row.decode("red", as: Int64.self)),
                recorded: Int(try row.decode("recorded", as: Int64.self)),
                strandedRecorded: Int(try row.decode("stranded_recorded", as: Int64.self)),
                strandedRed: Int(try row.decode("stranded_red", as: Int64.self))
            )
        }
        let reasons = try await database.client.query(
            """
            SELECT date_trunc('week', d.day)::date AS week, s.code AS site_code, o.code AS organisation_code, d.reason, count(*) AS red
            FROM board_round_day d JOIN site s ON s.id = d.site_id JOIN organisation o ON o.id = s.organisation_id
            WHERE d.day BETWEEN \(from) AND \(to.adding(days: 6)) AND d.status = 'red' AND d.reason IS NOT NULL
            GROUP BY 1, 2, 3, 4
            """
        ).map { row in
            RedReasonSiteWeekCounts(
                week: try row.decode("week"),
                siteCode: try row.decode("site_code"),
                organisationCode: try row.decode("organisation_code"),
                reason: try row.decode("reason"),
                red: Int(try row.decode("red", as: Int64.self))
            )
        }
        return (sites, reasons)
    }

    /// Changes whenever a day of the ward is recorded or corrected: whether a cached page is current.
    public func wardStamp(wardID: Int64) async throws -> String {
        let row = try await database.client.query(
            "SELECT count(*) AS n, COALESCE(max(recorded_at)::text, '') AS latest FROM board_round_day WHERE ward_id = \(wardID)"
        )[0]
        return "\(try row.decode("n", as: Int64.self))@\(try row.decode("latest", as: String.self))"
    }

    /// Every recorded day of each case's stay, earliest first; cases with none are absent.
    public func days(caseIDs: [Int64]) async throws -> [Int64: [RecordedDay]] {
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try await database.client.query(
            """
            SELECT c.id AS case_id, d.day, d.status, d.reason
            FROM patient_case c
            JOIN board_round_day d ON d.site_id = c.site_id AND d.patient_key = c.patient_key AND d.admission_date = c.admission_date
            WHERE c.id = ANY(\(PostgresArray(caseIDs))::bigint[])
            ORDER BY c.id, d.day
            """
        )
        var result: [Int64: [RecordedDay]] = [:]
        for row in rows {
            let day = RecordedDay(
                date: try row.decode("day"),
                status: try row.decodeRawValue("status", as: DayStatus.self),
                reason: try row.decode("reason", as: String?.self)
            )
            result[try row.decode("case_id"), default: []].append(day)
        }
        return result
    }
}
