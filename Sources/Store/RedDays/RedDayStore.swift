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

    /// Wards by "SITE/WARD" codes (a file names wards so); codes with no ward are absent.
    public func wards(codes: [String]) async throws -> [String: BoardRoundWard] {
        guard !codes.isEmpty else { return [:] }
        var result: [String: BoardRoundWard] = [:]
        for row in try await database.client.query(
            """
            SELECT w.id, w.code, w.name, s.id AS site_id, s.code AS site_code, s.name AS site_name
            FROM ward w JOIN site s ON s.id = w.site_id
            WHERE s.code || '/' || w.code = ANY(\(PostgresArray(codes))::text[])
            """
        ) {
            let ward = BoardRoundWard(
                id: try row.decode("id"),
                code: try row.decode("code"),
                name: try row.decode("name"),
                siteID: try row.decode("site_id"),
                siteCode: try row.decode("site_code"),
                siteName: try row.decode("site_name")
            )
            result[ward.siteCode + "/" + ward.code] = ward
        }
        return result
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

    /// The patients of several wards' board rounds on `date`, by ward id, as
    /// ``patients(ward:date:)`` lists them but without their recorded days:
    /// one query for a whole file of days.
    public func listed(wards: [BoardRoundWard], date: CalendarDate) async throws -> [Int64: [BoardRoundPatient]] {
        guard !wards.isEmpty else { return [:] }
        let rows = try await database.client.query(
            """
            WITH ws AS (
                SELECT w.id AS ward_id, w.code, w.site_id FROM ward w WHERE w.id = ANY(\(PostgresArray(wards.map(\.id)))::bigint[])
            ), snap AS (
                SELECT DISTINCT ON (site_id) site_id, import_id FROM snapshot
                WHERE site_id IN (SELECT site_id FROM ws) AND superseded_by_import IS NULL AND snapshot_date <= \(date)
                ORDER BY site_id, snapshot_date DESC
            )
            SELECT ws.ward_id, r.patient_key, r.nhs_number, r.local_patient_id, r.family_name, r.given_name, r.age, r.admission_date,
                   (\(date)::date - r.admission_date) AS los, c.id AS case_id
            FROM ws
            JOIN snap ON snap.site_id = ws.site_id
            JOIN list_row r ON r.import_id = snap.import_id AND r.site_id = ws.site_id AND r.ward_code = ws.code
            LEFT JOIN patient_case c ON c.site_id = r.site_id AND c.patient_key = r.patient_key AND c.admission_date = r.admission_date
            WHERE r.admission_date <= \(date)
              AND NOT (c.status IN ('discharged', 'withdrawn') AND c.discharged_on IS NOT NULL AND c.discharged_on <= \(date))
            """
        )
        var result: [Int64: [BoardRoundPatient]] = [:]
        for row in rows {
            let patient = BoardRoundPatient(
                caseID: try row.decode("case_id"),
                patientKey: try row.decode("patient_key"),
                nhsNumber: try row.decode("nhs_number"),
                localPatientID: try row.decode("local_patient_id"),
                familyName: try row.decode("family_name"),
                givenName: try row.decode("given_name"),
                age: try row.decode("age"),
                admissionDate: try row.decode("admission_date"),
                lengthOfStay: try row.decode("los"),
                days: []
            )
            result[try row.decode("ward_id"), default: []].append(patient)
        }
        return result
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
    /// file of days): one transaction, and a handful of set-based statements
    /// whatever the number of wards, so a whole system's day records in seconds.
    public func record(
        groups: [(ward: BoardRoundWard, days: [DayToRecord])],
        source: DaySource,
        by author: String,
        actor: AuditActor = .currentOrSystem
    ) async throws -> DayRecording {
        let groups = groups.filter { !$0.days.isEmpty }
        guard !groups.isEmpty else { return DayRecording() }
        struct Key: Hashable {
            let site: Int64
            let patient: String
            let admission: CalendarDate
            let date: CalendarDate
        }
        // The last entry for a stay and day wins, as it would typed twice.
        var latest: [Key: (ward: BoardRoundWard, day: DayToRecord)] = [:]
        var order: [Key] = []
        for group in groups {
            for day in group.days {
                let key = Key(site: group.ward.siteID, patient: day.patientKey, admission: day.admissionDate, date: day.day.date)
                if latest[key] == nil { order.append(key) }
                latest[key] = (group.ward, day)
            }
        }
        return try await database.client.withTransaction { connection in
            let existing = try await connection.query(
                """
                SELECT d.site_id, d.patient_key, d.admission_date, d.day, d.status, d.reason
                FROM board_round_day d
                JOIN unnest(\(PostgresArray(order.map(\.site)))::bigint[], \(PostgresArray(order.map(\.patient)))::text[],
                            \(PostgresArray(order.map(\.admission.iso)))::date[], \(PostgresArray(order.map(\.date.iso)))::date[])
                     AS i(site_id, patient_key, admission_date, day)
                  ON d.site_id = i.site_id AND d.patient_key = i.patient_key AND d.admission_date = i.admission_date AND d.day = i.day
                FOR UPDATE OF d
                """
            )
            var before: [Key: RecordedDay] = [:]
            for row in existing {
                let date: CalendarDate = try row.decode("day")
                let key = Key(
                    site: try row.decode("site_id"),
                    patient: try row.decode("patient_key"),
                    admission: try row.decode("admission_date"),
                    date: date
                )
                before[key] = RecordedDay(
                    date: date,
                    status: try row.decodeRawValue("status", as: DayStatus.self),
                    reason: try row.decode("reason", as: String?.self)
                )
            }
            var total = DayRecording()
            var perWard: [Int64: DayRecording] = [:]
            var wardDates: [Int64: Set<CalendarDate>] = [:]
            var changed: [(ward: BoardRoundWard, day: DayToRecord)] = []
            var corrections: [AuditEntry] = []
            for key in order {
                let (ward, day) = latest[key]!
                wardDates[ward.id, default: []].insert(day.day.date)
                switch before[key] {
                case nil:
                    total.recorded += 1
                    perWard[ward.id, default: DayRecording()].recorded += 1
                    changed.append((ward, day))
                case day.day?:
                    total.unchanged += 1
                    perWard[ward.id, default: DayRecording()].unchanged += 1
                case let old?:
                    total.corrected += 1
                    perWard[ward.id, default: DayRecording()].corrected += 1
                    changed.append((ward, day))
                    corrections.append(
                        AuditEntry(
                            action: "correct",
                            entityType: "board_round_day",
                            entityID: "\(ward.id)/\(day.day.date.iso)",
                            caseID: day.caseID,
                            before: old,
                            after: day.day
                        )
                    )
                }
            }
            if !changed.isEmpty {
                try await connection.execute(
                    """
                    INSERT INTO board_round_day (site_id, ward_id, patient_key, admission_date, day, status, reason, source, recorded_by)
                    SELECT i.site_id, i.ward_id, i.patient_key, i.admission_date, i.day, i.status, NULLIF(i.reason, ''), \(source.rawValue), \(author)
                    FROM unnest(\(PostgresArray(changed.map(\.ward.siteID)))::bigint[], \(PostgresArray(changed.map(\.ward.id)))::bigint[],
                                \(PostgresArray(changed.map(\.day.patientKey)))::text[], \(PostgresArray(changed.map(\.day.admissionDate.iso)))::date[],
                                \(PostgresArray(changed.map(\.day.day.date.iso)))::date[], \(PostgresArray(changed.map(\.day.day.status.rawValue)))::text[],
                                \(PostgresArray(changed.map { $0.day.day.reason ?? "" }))::text[])
                         AS i(site_id, ward_id, patient_key, admission_date, day, status, reason)
                    ON CONFLICT (site_id, patient_key, admission_date, day) DO UPDATE SET
                        ward_id = EXCLUDED.ward_id, status = EXCLUDED.status, reason = EXCLUDED.reason,
                        source = EXCLUDED.source, recorded_by = EXCLUDED.recorded_by, recorded_at = now()
                    """
                )
            }
            // Each ward's board round as a whole: who recorded how many days,
            // counts only (the corrections carry their patients).
            var wardIDs: [Int64] = []
            var seen = Set<Int64>()
            for key in order where seen.insert(latest[key]!.ward.id).inserted { wardIDs.append(latest[key]!.ward.id) }
            let summaries = wardIDs.map { wardID -> AuditEntry in
                let dates = wardDates[wardID, default: []].sorted()
                let counts = perWard[wardID, default: DayRecording()]
                return AuditEntry(
                    action: "record",
                    entityType: "board_round",
                    entityID: "\(wardID)/\(dates.first!.iso)" + (dates.count > 1 ? "..\(dates.last!.iso)" : ""),
                    after: [
                        "source": source.rawValue, "recorded": String(counts.recorded), "corrected": String(counts.corrected),
                        "unchanged": String(counts.unchanged),
                    ]
                )
            }
            try await AuditTrail.record(corrections + summaries, by: actor, on: connection)
            return total
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

    /// Changes whenever a day of the ward is recorded, corrected or removed: whether a cached page is current.
    public func wardStamp(wardID: Int64) async throws -> String {
        let query: PostgresQuery = "SELECT (\(fragment: Self.wardRevisionSQL(wardID: "\(wardID)::bigint"))) AS stamp"
        return try await database.client.query(query)[0].decode("stamp")
    }

    /// The ward's board-round revision as text, "0" before its first day: one
    /// probe, however many days the ward has recorded (migration 0049's
    /// triggers move it); `wardID` is a column of the enclosing statement or a bound value.
    static func wardRevisionSQL(wardID: PostgresQuery) -> PostgresQuery {
        "SELECT COALESCE(max(revision), 0)::text FROM ward_board_round_revision WHERE ward_id = \(fragment: wardID)"
    }

    /// Every recorded day of each case's stay, earliest first; cases with none are absent.
    public func days(caseIDs: [Int64]) async throws -> [Int64: [RecordedDay]] {
        guard !caseIDs.isEmpty else { return [:] }
        let query: PostgresQuery = """
            SELECT c.id AS case_id, d.day, d.status, d.reason
            FROM patient_case c
            JOIN board_round_day d ON d.site_id = c.site_id AND d.patient_key = c.patient_key AND d.admission_date = c.admission_date
            WHERE c.id = ANY(\(PostgresArray(caseIDs))::bigint[])
            ORDER BY c.id, d.day
            """
        // Every form page reads its case's days: planned once per connection.
        let rows = try await database.client.query(query.prepared)
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
