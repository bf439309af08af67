import Foundation
import Postgres
import StrandedCore

extension PostgresCopyLine {
    mutating func date(_ value: CalendarDate?) {
        guard let value else { return null() }
        date(year: value.year, month: value.month, day: value.day)
    }
}

/// The database side of one import, alive for its transaction.
public final class WardListImportSession {
    let connection: PostgresConnection
    public let importID: Int64

    /// Stays at LoS ≥ 7 from which hashing the journeys and wards beats an
    /// index probe per stay: a region's lists and up (a site has ~200), where
    /// a pass over a year of journeys (~600,000) costs less than the probes.
    static let staysWorthHashing = 10_000

    init(connection: PostgresConnection, importID: Int64) {
        self.connection = connection
        self.importID = importID
    }

    // MARK: Rows

    /// Streams rows into `list_row` with COPY. `produce` calls the sink for
    /// each valid row as the file is read.
    public func copyRows(_ produce: (RowSink) async throws -> Void) async throws {
        try await connection.copyFrom(
            """
            COPY list_row (import_id, site_id, line_no, ward_code, patient_key, nhs_number, local_patient_id,
                           admission_date, los, spell_id, family_name, given_name, date_of_birth, age,
                           admission_method, specialty, setting, discharge_ready_date, expected_discharge_date,
                           discharge_pathway, delay_reason) FROM STDIN
            """
        ) { writer in
            try await produce(RowSink(writer: writer, importID: importID))
        }
    }

    /// Formats rows as COPY text lines.
    public struct RowSink {
        let writer: PostgresCopyWriter
        let importID: Int64

        public func append(_ row: WardListRow) async throws {
            try await writer.writeLine { line in
                line.integer(importID)
                line.integer(row.site.id)
                line.integer(row.line)
                line.text(row.wardCode)
                line.text(row.patientKey.stored)
                line.text(row.nhsNumber?.digits)
                line.text(row.localPatientID)
                line.date(row.admissionDate)
                line.integer(row.lengthOfStay)
                line.text(row.spellID)
                line.text(row.familyName)
                line.text(row.givenName)
                line.date(row.dateOfBirth)
                line.integer(row.age)
                line.text(row.admissionMethod)
                line.text(row.specialty)
                line.text(row.setting)
                line.date(row.dischargeReadyDate)
                line.date(row.expectedDischargeDate)
                line.integer(row.dischargePathway)
                line.text(row.delayReason)
            }
        }
    }

    // MARK: Deriving snapshots and cases

    public struct Outcome: Sendable {
        public var sites: [(siteID: Int64, listKind: WardListKind, patients: Int, stranded: Int, superStranded: Int)] = []
        public var newWards: [(siteID: Int64, code: String)] = []
        public var supersededImports: [Int64] = []
        public var opened = 0
        public var continuing = 0
        public var discharged = 0
        public var heldOpen = 0
        /// How long each step took, for the importer's debug log.
        public var phases = Stopwatch()
    }

    /// Turns the copied rows into snapshots and cases.
    /// - Parameters:
    ///   - retractedLines: rows copied before a later duplicate of their patient was found.
    ///   - quarantined: per site, the patients whose rows had errors: their cases must not close.
    ///   - wardNames: display names given in the list, per (site, ward code).
    ///   - copied: the copied rows' wards, counts and stays, tallied as they
    ///     streamed in; nil to read them back from the table, which a list
    ///     with retracted lines needs (the tally still counts those lines).
    public func apply(
        snapshotDate: CalendarDate,
        siteIDs: [Int64],
        retractedLines: [Int],
        quarantined: [Int64: Set<PatientKey>],
        wardNames: [Int64: [String: String]],
        copied: CopiedRows?,
        thresholds: StrandedThresholds
    ) async throws -> Outcome {
        // The stranded and super-stranded lines are the domain's (StrandedCore), passed to SQL as parameters.
        let strandedDays = thresholds.strandedDays
        let superStrandedDays = thresholds.superStrandedDays
        var outcome = Outcome()
        var stopwatch = Stopwatch()
        let sites = PostgresArray(siteIDs.sorted())
        if !retractedLines.isEmpty {
            try await connection.execute(
                "DELETE FROM list_row WHERE import_id = \(importID) AND line_no = ANY(\(PostgresArray(retractedLines))::int[])"
            )
        }

        // A national list's sorts (its wards, its NHS numbers) fit in memory
        // instead of spilling to disk at the 4MB default.
        try await connection.execute("SET LOCAL work_mem = '64MB'")
        // One writer per site and date at a time, always locked in the same
        // order: the sorted array's order, which unnest keeps. One statement,
        // not a round trip per site (150 on a national list).
        let lockKeys = PostgresArray(siteIDs.sorted().map { "snapshot:\($0):\(snapshotDate.iso)" })
        try await connection.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest(\(lockKeys)::text[]) AS k(key)"
        )
        outcome.supersededImports = try await connection.query(
            """
            UPDATE snapshot SET superseded_by_import = \(importID)
            WHERE site_id = ANY(\(sites)::bigint[]) AND snapshot_date = \(snapshotDate) AND superseded_by_import IS NULL
            RETURNING import_id
            """
        ).map { try $0.decode("import_id", as: Int64.self) }
        outcome.supersededImports = Array(Set(outcome.supersededImports)).sorted()

        // The wards this list shows, as tallied or else read off its rows
        // once (a sort of every row), and kept for closing cases below,
        // which needs them too.
        let listedSource: PostgresQuery
        if let copied {
            let pairs = copied.wards.flatMap { site, codes in codes.map { (site, $0) } }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            listedSource = "SELECT * FROM unnest(\(PostgresArray(pairs.map(\.0)))::bigint[], \(PostgresArray(pairs.map(\.1)))::text[])"
        } else {
            listedSource = "SELECT DISTINCT site_id, ward_code FROM list_row WHERE import_id = \(importID)"
        }
        let listedWards = try await connection.query(
            """
            WITH listed (site_id, ward_code) AS MATERIALIZED (\(fragment: listedSource)),
            registered AS (
                INSERT INTO ward (site_id, code, registered_by_import)
                SELECT site_id, ward_code, true FROM listed
                ON CONFLICT (site_id, code) DO NOTHING
                RETURNING site_id, code
            )
            SELECT l.site_id, l.ward_code, r.code IS NOT NULL AS registered
            FROM listed l LEFT JOIN registered r ON r.site_id = l.site_id AND r.code = l.ward_code
            """
        ).map { (siteID: try $0.decode("site_id", as: Int64.self), code: try $0.decode("ward_code", as: String.self), registered: try $0.decode("registered", as: Bool.self)) }
        outcome.newWards = listedWards.filter { $0.registered }.map { (siteID: $0.siteID, code: $0.code) }
        let named = wardNames.flatMap { site, names in names.map { (site, $0.key, $0.value) } }
        if !named.isEmpty {
            try await connection.execute(
                """
                UPDATE ward w SET name = n.name
                FROM unnest(\(PostgresArray(named.map(\.0)))::bigint[], \(PostgresArray(named.map(\.1)))::text[], \(PostgresArray(named.map(\.2)))::text[]) AS n(site_id, code, name)
                WHERE w.site_id = n.site_id AND w.code = n.code AND w.name IS DISTINCT FROM n.name
                """
            )
        }

        // Each site's rows, as tallied or else counted off the table.
        let countsSource: PostgresQuery
        if let copied {
            let counted = copied.sites.sorted { $0.key < $1.key }
            countsSource = """
                SELECT * FROM unnest(\(PostgresArray(counted.map(\.key)))::bigint[], \(PostgresArray(counted.map(\.value.patients)))::int[],
                                     \(PostgresArray(counted.map(\.value.stranded)))::int[], \(PostgresArray(counted.map(\.value.superStranded)))::int[])
                """
        } else {
            countsSource = """
                SELECT site_id, count(*), count(*) FILTER (WHERE los >= \(strandedDays)), count(*) FILTER (WHERE los >= \(superStrandedDays))
                FROM list_row WHERE import_id = \(importID)
                GROUP BY site_id
                """
        }
        // A list with anyone under the stranded line is a full census: a long-stay list holds no one there.
        outcome.sites = try await connection.query(
            """
            INSERT INTO snapshot (import_id, site_id, snapshot_date, list_kind, patients, stranded, super_stranded, under_seven)
            SELECT \(importID), site_id, \(snapshotDate),
                   CASE WHEN patients > stranded THEN \(WardListKind.census.rawValue) ELSE \(WardListKind.longStay.rawValue) END,
                   patients, stranded, super_stranded, patients - stranded
            FROM (\(fragment: countsSource)) AS counts (site_id, patients, stranded, super_stranded)
            RETURNING site_id, list_kind, patients, stranded, super_stranded
            """
        ).map { row in
            (
                try row.decode("site_id"), try row.decodeRawValue("list_kind", as: WardListKind.self), try row.decode("patients"),
                try row.decode("stranded"), try row.decode("super_stranded")
            )
        }

        stopwatch.lap("snapshots")
        // Journeys link a patient's stays across sites by NHS number. They are
        // made before the cases so each new case is written once, already
        // linked (updating freshly inserted cases doubled the cost).
        // Their NHS numbers as tallied (sorted, as the table's DISTINCT gave
        // them), or else read off the rows.
        let staysSource: PostgresQuery
        if let copied {
            staysSource = "SELECT unnest(\(PostgresArray(Set(copied.stayNHSNumbers).sorted()))::text[])"
        } else {
            staysSource = """
                SELECT DISTINCT nhs_number FROM list_row
                WHERE import_id = \(importID) AND los >= \(strandedDays) AND nhs_number IS NOT NULL
                """
        }
        try await connection.execute(
            """
            INSERT INTO journey (nhs_number)
            \(fragment: staysSource)
            ON CONFLICT (nhs_number) DO NOTHING
            """
        )

        stopwatch.lap("journeys")
        // Open a case for each stay at LoS ≥ 7; update those already open.
        // The planner cannot know how many rows this import holds (the
        // statistics predate them: it reckons one) and so looks each stay's
        // ward and journey up by index, one probe per stay. For a large list
        // one pass over the journeys and wards into hash tables is a fraction
        // of that (a national list: ~28,000 stays, 0.55 s instead of 0.67 s
        // for the statement under load, on 120,000 journeys).
        let stays = outcome.sites.reduce(0) { $0 + $1.stranded }
        let hashesStays = stays >= Self.staysWorthHashing
        if hashesStays { try await connection.execute("SET LOCAL enable_nestloop = off") }
        let upserted = try await connection.query(
            """
            WITH upserted AS (
                INSERT INTO patient_case (site_id, patient_key, admission_date, nhs_number, journey_id, opened_on, last_seen_on, last_ward_id, last_los, status)
                SELECT r.site_id, r.patient_key, r.admission_date, r.nhs_number, j.id, \(snapshotDate), \(snapshotDate), w.id, r.los, 'open'
                FROM list_row r JOIN ward w ON w.site_id = r.site_id AND w.code = r.ward_code
                LEFT JOIN journey j ON j.nhs_number = r.nhs_number
                WHERE r.import_id = \(importID) AND r.los >= \(strandedDays)
                ON CONFLICT (site_id, patient_key, admission_date) DO UPDATE SET
                    journey_id = COALESCE(patient_case.journey_id, EXCLUDED.journey_id),
                    opened_on = LEAST(patient_case.opened_on, EXCLUDED.opened_on),
                    last_seen_on = GREATEST(patient_case.last_seen_on, EXCLUDED.last_seen_on),
                    last_ward_id = CASE WHEN EXCLUDED.last_seen_on >= patient_case.last_seen_on THEN EXCLUDED.last_ward_id ELSE patient_case.last_ward_id END,
                    last_los = GREATEST(patient_case.last_los, EXCLUDED.last_los),
                    status = CASE WHEN patient_case.discharged_on IS NULL OR EXCLUDED.last_seen_on >= patient_case.discharged_on THEN 'open' ELSE patient_case.status END,
                    discharged_on = CASE WHEN patient_case.discharged_on IS NULL OR EXCLUDED.last_seen_on >= patient_case.discharged_on THEN NULL ELSE patient_case.discharged_on END,
                    final_los = CASE WHEN patient_case.discharged_on IS NULL OR EXCLUDED.last_seen_on >= patient_case.discharged_on THEN NULL ELSE patient_case.final_los END,
                    held_open_reason = NULL
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted) AS opened, count(*) FILTER (WHERE NOT inserted) AS continuing FROM upserted
            """
        )
        if hashesStays { try await connection.execute("RESET enable_nestloop") }
        outcome.opened = try upserted[0].decode("opened")
        outcome.continuing = try upserted[0].decode("continuing")

        if !outcome.supersededImports.isEmpty {
            // Cases that only the replaced list gave this date: withdrawn if
            // it opened them, otherwise the corrected list says they left.
            try await connection.execute(
                """
                UPDATE patient_case c SET
                    status = CASE WHEN c.opened_on = \(snapshotDate) THEN 'withdrawn' ELSE 'discharged' END,
                    discharged_on = CASE WHEN c.opened_on = \(snapshotDate) THEN NULL ELSE \(snapshotDate)::date END,
                    final_los = c.last_los
                WHERE c.site_id = ANY(\(sites)::bigint[]) AND c.status = 'open' AND c.last_seen_on = \(snapshotDate)
                  AND NOT EXISTS (SELECT 1 FROM list_row r WHERE r.import_id = \(importID) AND r.site_id = c.site_id
                                  AND r.patient_key = c.patient_key AND r.admission_date = c.admission_date)
                """
            )
        }

        stopwatch.lap("cases")
        // Absent from this list → discharged, unless their row was quarantined
        // or their whole ward is missing (more likely an extract fault): then
        // held open, with the reason. One UPDATE straight over the sites' open
        // cases (their partial index) does both, a single pass: joining the
        // cases back to a CTE of themselves let the planner hash the whole
        // table, a cost that grew with every week of history.
        let held = quarantined.flatMap { site, keys in keys.map { (siteID: site, key: $0.stored) } }
        // Matched on the (site, key) pair as stored, so no key is rebuilt in SQL.
        let rowQuarantined: PostgresQuery = """
            (c.site_id, c.patient_key) IN (SELECT * FROM unnest(\(PostgresArray(held.map(\.siteID)))::bigint[], \(PostgresArray(held.map(\.key)))::text[]))
            """
        let presentWards = PostgresArray(
            try await connection.query(
                """
                SELECT w.id FROM ward w
                JOIN unnest(\(PostgresArray(listedWards.map(\.siteID)))::bigint[], \(PostgresArray(listedWards.map(\.code)))::text[]) AS l(site_id, code)
                  ON w.site_id = l.site_id AND w.code = l.code
                """
            ).map { try $0.decode("id", as: Int64.self) }
        )
        let wardMissing: PostgresQuery = "NOT (c.last_ward_id = ANY(\(presentWards)::bigint[]))"
        let absent = try await connection.query(
            """
            WITH absent AS (
                UPDATE patient_case c SET
                    status = CASE WHEN \(fragment: rowQuarantined) OR \(fragment: wardMissing) THEN c.status ELSE 'discharged' END,
                    discharged_on = CASE WHEN \(fragment: rowQuarantined) OR \(fragment: wardMissing) THEN c.discharged_on ELSE \(snapshotDate) END,
                    final_los = CASE WHEN \(fragment: rowQuarantined) OR \(fragment: wardMissing) THEN c.final_los ELSE c.last_los END,
                    held_open_reason = CASE
                        WHEN \(fragment: rowQuarantined) THEN 'row quarantined in the list of ' || \(snapshotDate.iso)
                        WHEN \(fragment: wardMissing) THEN 'ward missing from the list of ' || \(snapshotDate.iso) END
                WHERE c.site_id = ANY(\(sites)::bigint[]) AND c.status = 'open' AND c.last_seen_on < \(snapshotDate)
                RETURNING c.status
            )
            SELECT count(*) FILTER (WHERE status = 'open')::int AS held, count(*) FILTER (WHERE status = 'discharged')::int AS discharged FROM absent
            """
        )
        outcome.heldOpen = try absent[0].decode("held")
        outcome.discharged = try absent[0].decode("discharged")

        stopwatch.lap("discharges")
        // A safety net for cases written before journeys were linked at insert
        // (cheap: the partial index holds only unlinked cases).
        try await connection.execute(
            """
            UPDATE patient_case c SET journey_id = j.id FROM journey j
            WHERE c.site_id = ANY(\(sites)::bigint[]) AND c.journey_id IS NULL AND c.nhs_number IS NOT NULL AND j.nhs_number = c.nhs_number
            """
        )
        try await markTrendsStale(siteIDs: siteIDs, snapshotDate: snapshotDate)  // recomputed in the background, not on this transaction
        stopwatch.lap("trend marks")
        outcome.phases = stopwatch
        return outcome
    }

    /// Completes the import record. A concurrent import of the same content
    /// that committed first makes this fail with `.uniqueViolation`.
    public func finalize<Report: Codable & Sendable>(
        fingerprint: String,
        snapshotDate: CalendarDate,
        dataRows: Int,
        importedRows: Int,
        invalidRows: Int,
        warningCount: Int,
        report: Report
    ) async throws {
        try await connection.execute(
            """
            UPDATE import_file SET fingerprint = \(fingerprint), snapshot_date = \(snapshotDate), data_rows = \(dataRows),
                imported_rows = \(importedRows), invalid_rows = \(invalidRows), warning_count = \(warningCount),
                report = \(PostgresJSON(report))
            WHERE id = \(importID)
            """
        )
        // The accepted import in the audit trail, in the same transaction.
        try await AuditTrail.record(
            AuditEntry(
                action: "import",
                entityType: "import_file",
                entityID: String(importID),
                after: [
                    "snapshotDate": snapshotDate.iso, "dataRows": String(dataRows), "importedRows": String(importedRows),
                    "invalidRows": String(invalidRows),
                ]
            ),
            on: connection
        )
    }
}
