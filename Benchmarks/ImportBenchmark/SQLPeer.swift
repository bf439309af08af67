import BenchmarkSupport
import Foundation
import Postgres
import StrandedCore
import WardListImport

/// What a database engineer would write for the same weekly job, with no
/// validation: `psql \copy` of the file into a temporary staging table, then
/// set-based SQL in the same transaction doing to rows, snapshots, wards,
/// journeys, cases and discharges what `WardListImportSession.apply` does.
///
/// It runs in a schema of its own (`peer`), on copies of the tables the import
/// writes — the same columns, indexes, storage settings and the escalation
/// trigger on cases — so it faces the same volumes of existing rows week after
/// week without touching the real import's data. Like the import it keeps
/// every row in `list_row`: the ward list pages read them there.
struct SQLPeer {
    let connection: String
    let work: URL
    let thresholds: StrandedThresholds
    /// Print each statement's time (psql's \timing), as --phases does for the import.
    var timing = false

    /// The tables the import writes, copied empty (wards with their rows, as the
    /// reference import left them) into `peer`.
    static func prepare(_ client: PostgresClient) async throws {
        let tables = ["import_file", "ward", "snapshot", "list_row", "journey", "patient_case"]
        try await client.execute("CREATE SCHEMA peer")
        for table in tables {
            try await client.execute(.init(unsafeSQL: "CREATE TABLE peer.\(table) (LIKE public.\(table) INCLUDING ALL)"))
            let options: String? = try await client.query(
                .init(unsafeSQL: "SELECT array_to_string(reloptions, ', ') AS options FROM pg_class WHERE oid = 'public.\(table)'::regclass")
            )[0].decode("options")
            if let options, !options.isEmpty {
                try await client.execute(.init(unsafeSQL: "ALTER TABLE peer.\(table) SET (\(options))"))
            }
        }
        try await client.execute("INSERT INTO peer.ward OVERRIDING SYSTEM VALUE SELECT * FROM public.ward")
        try await client.execute("SELECT setval(pg_get_serial_sequence('peer.ward', 'id'), (SELECT max(id) FROM peer.ward))")
        try await client.execute(
            """
            CREATE TRIGGER patient_case_closes_escalations AFTER UPDATE ON peer.patient_case
            REFERENCING NEW TABLE AS updated_cases FOR EACH STATEMENT EXECUTE FUNCTION escalation_close_on_discharge()
            """
        )
    }

    /// The tables a weekly VACUUM (ANALYZE) covers, as the benchmark gives the real ones.
    static let vacuumList = "peer.patient_case, peer.journey, peer.list_row, peer.snapshot, peer.ward"

    /// Imports `file` through one `psql` run; returns the wall-clock seconds.
    func run(_ file: URL, week: Int) throws -> Double {
        let script = work.appendingPathComponent("peer-week-\(week).sql")
        try self.script(file).write(to: script, atomically: true, encoding: .utf8)
        let start = ContinuousClock.now
        let result = try spawn(["/usr/bin/psql", "-X", "-q", "-d", connection, "-f", script.path], quiet: !timing)
        guard result.status == 0 else { throw PeerFailed(status: result.status) }
        return seconds(ContinuousClock.now - start)
    }

    struct PeerFailed: Error { let status: Int32 }

    func script(_ file: URL) -> String {
        let columns = SyntheticSystem.columns.joined(separator: ", ")
        let stranded = thresholds.strandedDays
        let superStranded = thresholds.superStrandedDays
        let census = WardListKind.census.rawValue
        let longStay = WardListKind.longStay.rawValue
        return """
            \\set ON_ERROR_STOP on
            \\timing \(timing ? "on" : "off")
            BEGIN;
            SET LOCAL work_mem = '64MB';
            -- The lists write dates as yyyy-mm-dd or, at some sites, dd/mm/yyyy.
            SET LOCAL datestyle = 'ISO, DMY';
            CREATE TEMP TABLE staging (
                line_no int GENERATED ALWAYS AS IDENTITY (START WITH 2),
                site_code text, ward_code text, ward_name text, nhs_number text, local_patient_id text,
                admission_date date, snapshot_date date, family_name text, given_name text, date_of_birth date,
                age int, specialty text, setting text, expected_discharge_date date, discharge_pathway smallint,
                delay_reason text
            ) ON COMMIT DROP;
            \\copy staging (\(columns)) FROM '\(file.path)' WITH (FORMAT csv, HEADER true)
            INSERT INTO peer.import_file (source, fingerprint, byte_count, verdict)
            VALUES ('cli', 'peer:' || gen_random_uuid(), 0, 'accepted') RETURNING id AS import_id \\gset
            SELECT max(snapshot_date) AS snap FROM staging \\gset

            INSERT INTO peer.list_row (import_id, site_id, line_no, ward_code, patient_key, nhs_number, local_patient_id,
                admission_date, los, family_name, given_name, date_of_birth, age, specialty, setting,
                expected_discharge_date, discharge_pathway, delay_reason)
            SELECT :import_id, s.id, r.line_no, r.ward_code,
                   CASE WHEN n.digits IS NOT NULL THEN 'N:' || n.digits ELSE 'L:' || r.local_patient_id END,
                   n.digits, r.local_patient_id, r.admission_date, r.snapshot_date - r.admission_date,
                   r.family_name, r.given_name, r.date_of_birth, r.age, r.specialty, COALESCE(lower(r.setting), s.setting),
                   r.expected_discharge_date, r.discharge_pathway, r.delay_reason
            -- Some sites write NHS numbers grouped 3-3-4.
            FROM staging r JOIN public.site s ON s.code = r.site_code, LATERAL (SELECT replace(r.nhs_number, ' ', '') AS digits) n;

            SELECT array_agg(DISTINCT site_id)::text AS sites FROM peer.list_row WHERE import_id = :import_id \\gset

            UPDATE peer.snapshot SET superseded_by_import = :import_id
            WHERE site_id = ANY(:'sites'::bigint[]) AND snapshot_date = :'snap' AND superseded_by_import IS NULL;

            -- The wards the list shows, sorted out of its rows once for registering them and for closing cases.
            CREATE TEMP TABLE listed_ward ON COMMIT DROP AS
            SELECT DISTINCT site_id, ward_code FROM peer.list_row WHERE import_id = :import_id;
            INSERT INTO peer.ward (site_id, code, registered_by_import)
            SELECT site_id, ward_code, true FROM listed_ward
            ON CONFLICT (site_id, code) DO NOTHING;
            UPDATE peer.ward w SET name = n.ward_name
            FROM (SELECT DISTINCT ON (s.id, r.ward_code) s.id AS site_id, r.ward_code, r.ward_name
                  FROM staging r JOIN public.site s ON s.code = r.site_code
                  WHERE r.ward_name IS NOT NULL ORDER BY s.id, r.ward_code, r.line_no) n
            WHERE w.site_id = n.site_id AND w.code = n.ward_code AND w.name IS DISTINCT FROM n.ward_name;

            INSERT INTO peer.snapshot (import_id, site_id, snapshot_date, list_kind, patients, stranded, super_stranded, under_seven)
            SELECT :import_id, site_id, :'snap',
                   CASE WHEN count(*) FILTER (WHERE los < \(stranded)) > 0 THEN '\(census)' ELSE '\(longStay)' END,
                   count(*), count(*) FILTER (WHERE los >= \(stranded)), count(*) FILTER (WHERE los >= \(superStranded)),
                   count(*) FILTER (WHERE los < \(stranded))
            FROM peer.list_row WHERE import_id = :import_id GROUP BY site_id;

            INSERT INTO peer.journey (nhs_number)
            SELECT DISTINCT nhs_number FROM peer.list_row
            WHERE import_id = :import_id AND los >= \(stranded) AND nhs_number IS NOT NULL
            ON CONFLICT (nhs_number) DO NOTHING;

            -- The statistics predate this list's rows (the planner reckons one): hash the
            -- journeys and wards rather than probe them once per stay.
            SET LOCAL enable_nestloop = off;
            INSERT INTO peer.patient_case AS c (site_id, patient_key, admission_date, nhs_number, journey_id, opened_on, last_seen_on, last_ward_id, last_los, status)
            SELECT r.site_id, r.patient_key, r.admission_date, r.nhs_number, j.id, :'snap', :'snap', w.id, r.los, 'open'
            FROM peer.list_row r JOIN peer.ward w ON w.site_id = r.site_id AND w.code = r.ward_code
            LEFT JOIN peer.journey j ON j.nhs_number = r.nhs_number
            WHERE r.import_id = :import_id AND r.los >= \(stranded)
            ON CONFLICT (site_id, patient_key, admission_date) DO UPDATE SET
                journey_id = COALESCE(c.journey_id, EXCLUDED.journey_id),
                opened_on = LEAST(c.opened_on, EXCLUDED.opened_on),
                last_seen_on = GREATEST(c.last_seen_on, EXCLUDED.last_seen_on),
                last_ward_id = CASE WHEN EXCLUDED.last_seen_on >= c.last_seen_on THEN EXCLUDED.last_ward_id ELSE c.last_ward_id END,
                last_los = GREATEST(c.last_los, EXCLUDED.last_los),
                status = CASE WHEN c.discharged_on IS NULL OR EXCLUDED.last_seen_on >= c.discharged_on THEN 'open' ELSE c.status END,
                discharged_on = CASE WHEN c.discharged_on IS NULL OR EXCLUDED.last_seen_on >= c.discharged_on THEN NULL ELSE c.discharged_on END,
                final_los = CASE WHEN c.discharged_on IS NULL OR EXCLUDED.last_seen_on >= c.discharged_on THEN NULL ELSE c.final_los END,
                held_open_reason = NULL;
            RESET enable_nestloop;

            -- A corrected list for the same date withdraws or discharges what only the list it replaced showed.
            UPDATE peer.patient_case c SET
                status = CASE WHEN c.opened_on = :'snap' THEN 'withdrawn' ELSE 'discharged' END,
                discharged_on = CASE WHEN c.opened_on = :'snap' THEN NULL ELSE :'snap'::date END,
                final_los = c.last_los
            WHERE EXISTS (SELECT 1 FROM peer.snapshot WHERE superseded_by_import = :import_id)
              AND c.site_id = ANY(:'sites'::bigint[]) AND c.status = 'open' AND c.last_seen_on = :'snap'
              AND NOT EXISTS (SELECT 1 FROM peer.list_row r WHERE r.import_id = :import_id AND r.site_id = c.site_id
                              AND r.patient_key = c.patient_key AND r.admission_date = c.admission_date);

            SELECT array_agg(w.id)::text AS present FROM peer.ward w
            JOIN listed_ward l ON w.site_id = l.site_id AND w.code = l.ward_code \\gset
            -- Absent: discharged, or held open when their whole ward is missing; one pass.
            UPDATE peer.patient_case c SET
                status = CASE WHEN c.last_ward_id = ANY(:'present'::bigint[]) THEN 'discharged' ELSE c.status END,
                discharged_on = CASE WHEN c.last_ward_id = ANY(:'present'::bigint[]) THEN :'snap'::date ELSE c.discharged_on END,
                final_los = CASE WHEN c.last_ward_id = ANY(:'present'::bigint[]) THEN c.last_los ELSE c.final_los END,
                held_open_reason = CASE WHEN c.last_ward_id = ANY(:'present'::bigint[]) THEN NULL
                                        ELSE 'ward missing from the list of ' || :'snap' END
            WHERE c.site_id = ANY(:'sites'::bigint[]) AND c.status = 'open' AND c.last_seen_on < :'snap';
            UPDATE peer.patient_case c SET journey_id = j.id FROM peer.journey j
            WHERE c.site_id = ANY(:'sites'::bigint[]) AND c.journey_id IS NULL AND c.nhs_number IS NOT NULL AND j.nhs_number = c.nhs_number;
            COMMIT;

            """
    }
}
