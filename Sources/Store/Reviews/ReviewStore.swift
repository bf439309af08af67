import Foundation
import Postgres
import StrandedCore

/// One case's Level 1 form for one review week, with what the ward list
/// showed about the patient that week.
public struct Level1FormRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let caseID: Int64
    public let week: ReviewWeek
    public let wardID: Int64
    public let wardCode: String
    public let wardName: String?
    public let siteCode: String
    public let siteName: String
    public let snapshotDate: CalendarDate
    public let lengthOfStay: Int
    public let patientKey: String
    public let nhsNumber: String?
    public let familyName: String?
    public let givenName: String?
    public let dateOfBirth: CalendarDate?
    public let age: Int?
    public let admissionDate: CalendarDate
    public var review: Level1Review
    /// The draft the week was opened with (carried forward from last week).
    public let prefill: Level1Review
    public let status: FormStatus
    public let discharged: Bool
    public let version: Int
    public let updatedAt: Date
    public let updatedBy: String?
    public let completedAt: Date?
    /// When the form was opened (its week's list came in): a form opened
    /// after the week's deadline is due later (``WeeklyTimetable/formDue(week:openedAt:)``).
    public let openedAt: Date
    /// The latest completion of a Level 1 review of this case up to and
    /// including this week; nil when it has never been reviewed.
    public let lastReviewedAt: Date?

    /// "Family, Given" or the patient key when the list gave no name.
    public var patientName: String {
        switch (familyName, givenName) {
        case let (family?, given?): return "\(family.uppercased()), \(given)"
        case let (family?, nil): return family.uppercased()
        case let (nil, given?): return given
        default: return patientKey
        }
    }
}

/// A ward and how far its forms for one week have got.
public struct WardWeekSummary: Sendable, Codable, Equatable {
    public let wardID: Int64
    public let wardCode: String
    public let wardName: String?
    public let siteCode: String
    public let siteName: String
    public let forms: Int
    public let done: Int
    public let discharged: Int
}

/// A ward and its site.
public struct WardInfo: Sendable, Codable, Equatable {
    public let id: Int64
    public let code: String
    public let name: String?
    public let siteCode: String
    public let siteName: String
}

/// What opening a week did.
public struct WeekOpening: Sendable, Codable, Equatable {
    public var created = 0
    /// Forms whose list row changed because a list was replaced.
    public var refreshed = 0
    /// Forms newly marked discharged.
    public var discharged = 0

    public init(created: Int = 0, refreshed: Int = 0, discharged: Int = 0) {
        self.created = created
        self.refreshed = refreshed
        self.discharged = discharged
    }

    /// Adds what another share of the week's sites did.
    mutating func add(_ share: WeekOpening) {
        created += share.created
        refreshed += share.refreshed
        discharged += share.discharged
    }
}

/// The outcome of saving a form with a version number.
public enum FormSaveResult: Sendable {
    case saved(Level1FormRecord)
    /// Someone saved first; `current` is what is stored now.
    case conflict(current: Level1FormRecord)
    case notFound
}

/// Level 1 forms in PostgreSQL: opening a week, reading a ward's week, and
/// saving with optimistic concurrency (`version`).
public struct ReviewStore: Sendable {
    let database: Database
    /// The running rules: who is stranded, the delay reasons a form may
    /// name, and the deadline the trend figures count "on time" against.
    let policy: StrandedPolicy

    public init(database: Database, policy: StrandedPolicy) {
        self.database = database
        self.policy = policy
    }

    // MARK: Opening a week

    /// Creates the week's form for every case that is stranded (the policy's thresholds) on a
    /// current list dated in `week`, pre-filled from the case's previous form
    /// and from the list row; marks discharged the forms of cases that left
    /// hospital during their week. Idempotent: a second call changes nothing.
    /// Q1 of a case with no previous form is pre-filled from the list's
    /// delay-reason text where it matches the taxonomy.
    ///
    /// A national week is opened in shares of its sites, one transaction on
    /// a connection of its own for each, side by side (the database's
    /// ``Database/bulkConnections``): one statement runs on one of the
    /// server's cores, and a share each keeps them all at work. A site's
    /// forms open together, in one transaction, as its ward pages show them;
    /// if one share fails the others stand, and opening again does the rest.
    public func openWeek(_ week: ReviewWeek) async throws -> WeekOpening {
        // The list's delay-reason text (trimmed, lower case) → taxonomy code,
        // as one JSON object, made once for every share: each row's look-up
        // is a probe of the object, where a join with a table of them hashed
        // the week's 45,000 rows.
        let reasonMatches = policy.delayReasons.listTextMatches()
        let codesByText = PostgresJSON(Dictionary(reasonMatches.map { ($0.text, $0.code) }, uniquingKeysWith: { first, _ in first }))
        let shares = try await siteShares(of: week, count: database.bulkConnections)
        let opening = try await withThrowingTaskGroup(of: WeekOpening.self) { group in
            for sites in shares {
                group.addTask { try await openWeek(week, sites: sites, codesByText: codesByText) }
            }
            return try await group.reduce(into: WeekOpening()) { $0.add($1) }
        }
        if opening.created > 0 {
            // A new week is a small share of the table, so autovacuum would
            // not re-analyse it for weeks; until then the statistics do not
            // know the new week, and a plan chosen for a few of its forms
            // would read all 45,000. Once, when every share has committed.
            // Through a function with the table owner's rights: the
            // service's role owns no table, so may not ANALYZE (migration
            // 0011). It samples the week column alone, the one the new
            // week changes (0046).
            try await database.client.execute("SELECT analyze_level1_form()")
        }
        return opening
    }

    /// Every site, split into at most `count` shares of about equal work:
    /// weighed by the stranded patients on the week's current lists, the
    /// heaviest first into the lightest share. Sites with no list this week
    /// are in a share too, for the discharged marks.
    func siteShares(of week: ReviewWeek, count: Int) async throws -> [[Int64]] {
        let weighed = try await database.client.query(
            """
            SELECT s.id, COALESCE(sum(n.stranded), 0)::bigint AS stranded
            FROM site s
            LEFT JOIN snapshot n ON n.site_id = s.id AND n.superseded_by_import IS NULL
                                AND n.snapshot_date BETWEEN \(week.monday) AND \(week.sunday)
            GROUP BY s.id
            ORDER BY stranded DESC, s.id
            """
        ).map { (site: try $0.decode("id", as: Int64.self), stranded: try $0.decode("stranded", as: Int64.self)) }
        var shares = Array(repeating: (sites: [Int64](), stranded: Int64(0)), count: max(1, min(count, weighed.count)))
        for entry in weighed {
            let lightest = shares.indices.min { shares[$0].stranded < shares[$1].stranded }!
            shares[lightest].sites.append(entry.site)
            shares[lightest].stranded += entry.stranded
        }
        return shares.map { $0.sites.sorted() }.filter { !$0.isEmpty }
    }

    /// Opens the week for one share of the sites, in one transaction.
    /// `codesByText` is parsed once in the statement, as a sub-select (a
    /// bound parameter's cast in the row's expression would be parsed for
    /// every row).
    func openWeek(_ week: ReviewWeek, sites siteIDs: [Int64], codesByText: PostgresJSON<[String: String]>) async throws -> WeekOpening {
        let sites = PostgresArray(siteIDs)
        let strandedDays = policy.thresholds.strandedDays
        // One opener per site and week at a time: with the locks, "no form
        // yet" below stays true until this transaction commits
        // (UNIQUE(case_id, week_start) remains the backstop). The transaction
        // takes them with its BEGIN, always in the same order, so openers
        // whose shares differ wait for each other, never deadlock.
        let locks = siteIDs.map { PostgresAdvisoryKey("level1-open:\(week.monday.iso):\($0)") }
        return try await database.client.withTransaction(advisoryLocks: locks) { connection in
            // Large sorts (a national week) stay in memory. Just after an
            // import the statistics do not yet know this week's rows, and a
            // nested loop planned for "1 row" over 45,000 is quadratic: so the
            // joins below are index probes where written as LATERAL … OFFSET 0
            // (the week's snapshots → rows → cases → wards, so the cost follows
            // the week's size, not the history's) and hash joins elsewhere.
            try await connection.execute("SET LOCAL work_mem = '64MB'")
            try await connection.execute("SET LOCAL enable_nestloop = off")
            // Nor a merge join: "no form yet this week" would be merged with
            // the forms in (case, week) order, read by scanning that index
            // whole, every week of history; a hash of this week's forms is not.
            try await connection.execute("SET LOCAL enable_mergejoin = off")
            // Disabled nested loops inflate the cost estimates past the JIT
            // thresholds, and compiling the plan would cost more than running it.
            try await connection.execute("SET LOCAL jit = off")
            let rows = try await connection.query(
                """
                WITH snaps AS MATERIALIZED (
                    SELECT import_id, site_id, snapshot_date FROM snapshot
                    WHERE superseded_by_import IS NULL AND snapshot_date BETWEEN \(week.monday) AND \(week.sunday)
                      AND site_id = ANY(\(sites)::bigint[])
                ), week_rows AS MATERIALIZED (
                    SELECT DISTINCT ON (c.id) c.id AS case_id, w.id AS ward_id, s.snapshot_date, r.import_id, r.line_no, r.los,
                           r.expected_discharge_date, r.discharge_pathway, r.delay_reason
                    FROM snaps s
                    CROSS JOIN LATERAL (
                        SELECT * FROM list_row r WHERE r.import_id = s.import_id AND r.site_id = s.site_id AND r.los >= \(strandedDays)
                        OFFSET 0
                    ) r
                    CROSS JOIN LATERAL (
                        SELECT c.id FROM patient_case c
                        WHERE c.site_id = r.site_id AND c.patient_key = r.patient_key AND c.admission_date = r.admission_date
                          AND c.status <> 'withdrawn'
                        OFFSET 0
                    ) c
                    CROSS JOIN LATERAL (SELECT w.id FROM ward w WHERE w.site_id = r.site_id AND w.code = r.ward_code OFFSET 0) w
                    ORDER BY c.id, s.snapshot_date DESC
                ), refreshed AS (
                    -- A replaced list: the form follows the current row.
                    -- Only when these sites already have forms this week (a
                    -- one-time check): a first opening would otherwise hash
                    -- the week's rows for no form. And only the columns it
                    -- takes, kept apart by OFFSET 0: an UPDATE keeps a copy
                    -- of each joined row (to re-check it if a form changes
                    -- under it), and copying whole week rows cost more than
                    -- the join.
                    UPDATE level1_form f SET ward_id = wr.ward_id, snapshot_date = wr.snapshot_date, source_import = wr.import_id,
                                             source_line = wr.line_no, los = wr.los
                    FROM (SELECT case_id, ward_id, snapshot_date, import_id, line_no, los FROM week_rows OFFSET 0) wr
                    WHERE f.case_id = wr.case_id AND f.week_start = \(week.monday)
                      AND (f.source_import, f.source_line, f.snapshot_date) IS DISTINCT FROM (wr.import_id, wr.line_no, wr.snapshot_date)
                      AND EXISTS (SELECT 1 FROM level1_form o
                                  WHERE o.week_start = \(week.monday)
                                    AND o.ward_id = ANY(ARRAY(SELECT w.id FROM ward w WHERE w.site_id = ANY(\(sites)::bigint[]))))
                    RETURNING f.id
                ), new_rows AS MATERIALIZED (
                    SELECT wr.* FROM week_rows wr
                    WHERE NOT EXISTS (SELECT 1 FROM level1_form f WHERE f.case_id = wr.case_id AND f.week_start = \(week.monday))
                ), written AS (
                    INSERT INTO level1_form (case_id, week_start, ward_id, snapshot_date, source_import, source_line, los, review)
                    SELECT wr.case_id, \(week.monday), wr.ward_id, wr.snapshot_date, wr.import_id, wr.line_no, wr.los,
                        -- The draft is written as JSON text and parsed once.
                        -- Nested jsonb_build_object calls took each jsonb
                        -- argument apart and built it again (twice over for the
                        -- outer object): a national week's drafts took 0.33 s
                        -- of the server's CPU that way, 0.12 s this way.
                        -- Every piece put in is itself JSON (a jsonb's text, a
                        -- to_jsonb string), and jsonb orders an object's keys
                        -- itself, so the stored value is the same.
                        ('{"q1": {"narrative": "", "reasons": ' || CASE
                            WHEN jsonb_array_length(COALESCE(prev.reasons, '[]'::jsonb)) > 0 THEN prev.reasons::text
                            ELSE COALESCE('[{"code": ' || ((SELECT \(codesByText)::jsonb) -> lower(btrim(wr.delay_reason)))::text || ', "isPrimary": true}]', '[]')
                            END
                        -- The actions not done are copied once. The saved
                        -- actions hold no nulls, as Level1Review encodes them;
                        -- the two scalars are left out when null (SQL or JSON).
                        || '}, "q2": {"actions": '
                        || COALESCE(jsonb_path_query_array(prev.q2->'actions', '$[*] ? (!(@.isDone == true))')::text, '[]')
                        -- A date's JSON is its ISO form, whatever the session's DateStyle.
                        || COALESCE(', "expectedDischargeDate": '
                                    || NULLIF(COALESCE(to_jsonb(wr.expected_discharge_date), prev.q2->'expectedDischargeDate'), 'null')::text, '')
                        || COALESCE(', "pathway": ' || NULLIF(COALESCE(to_jsonb(wr.discharge_pathway::int), prev.q2->'pathway'), 'null')::text, '')
                        || '}, "q3": {"narrative": ""}, "reviewers": {"health": "", "socialCare": ""}}')::jsonb
                    FROM new_rows wr
                    -- The parts the draft takes, each taken from the ~1 KB review once.
                    LEFT JOIN LATERAL (
                        SELECT p.review->'q1'->'reasons' AS reasons, p.review->'q2' AS q2 FROM level1_form p
                        WHERE p.case_id = wr.case_id AND p.week_start < \(week.monday)
                        ORDER BY p.week_start DESC LIMIT 1
                    ) prev ON true
                    RETURNING id
                )
                -- The refresh runs first (each count runs when first read, in
                -- this order): after the insert, its scan of the week's index
                -- entries would visit every new form's heap row to find each
                -- invisible to the statement, ~42,000 buffers for nothing.
                SELECT (SELECT count(*) FROM refreshed) AS refreshed, (SELECT count(*) FROM written) AS created
                """
            )
            var opening = WeekOpening()
            opening.created = try rows[0].decode("created")
            opening.refreshed = try rows[0].decode("refreshed")
            // A patient who left during a form's week (absent from a later
            // list dated up to the next Monday) keeps the form, marked
            // discharged: no review is due. This week's and last week's forms.
            // The cases are those that left in the two weeks (the discharge
            // index), not every discharged case there has ever been: the
            // cost follows the week, not the history. Still without nested
            // loops (the settings above last to the commit): the statistics
            // learn this week's forms only once every share has committed,
            // and a nested loop planned for "no form this week" over a
            // national week's forms and leavers took 11 s instead of 0.2.
            opening.discharged = try await connection.execute(
                """
                WITH leaving AS MATERIALIZED (
                    SELECT c.id, c.discharged_on FROM patient_case c
                    WHERE c.status = 'discharged'
                      AND c.discharged_on > \(week.previous.monday) AND c.discharged_on <= \(week.next.monday)
                      AND c.site_id = ANY(\(sites)::bigint[])
                )
                UPDATE level1_form f SET discharged = true, status = 'discharged'
                FROM leaving c
                WHERE c.id = f.case_id AND NOT f.discharged
                  AND f.week_start BETWEEN \(week.previous.monday) AND \(week.monday)
                  AND c.discharged_on > f.week_start AND c.discharged_on <= f.week_start + 7
                """
            )
            try await TrendStore.refreshAfterOpening(on: connection, week: week, opening: opening)
            return opening
        }
    }

    // MARK: Reading

    /// A prefill equal to the review (a draft nobody has saved yet, most
    /// forms early in the week) is read as NULL, which ``record(_:)`` reads as
    /// the review: the same record, with one JSON document to decode, not two.
    static let formColumns = """
        SELECT f.id, f.case_id, f.week_start, f.ward_id, f.snapshot_date, f.los, f.status, f.discharged, f.version,
               f.updated_at, f.updated_by, f.completed_at, f.created_at, f.review,
               CASE WHEN f.prefill <> f.review THEN f.prefill END AS prefill,
               r.patient_key, r.nhs_number, r.family_name, r.given_name, r.date_of_birth, r.age, r.admission_date,
               w.code AS ward_code, w.name AS ward_name, s.code AS site_code, s.name AS site_name,
               (SELECT max(p.completed_at) FROM level1_form p WHERE p.case_id = f.case_id AND p.week_start <= f.week_start) AS last_reviewed_at
        FROM level1_form f
        JOIN ward w ON w.id = f.ward_id
        JOIN site s ON s.id = w.site_id
        JOIN list_row r ON r.import_id = f.source_import AND r.site_id = w.site_id AND r.line_no = f.source_line
        """

    /// ``formColumns`` over a save's `updated` rows (the form as the update
    /// left it), for the save's own statement.
    static let savedFormColumns = """
        SELECT f.id, f.case_id, f.week_start, f.ward_id, f.snapshot_date, f.los, f.status, f.discharged, f.version,
               f.updated_at, f.updated_by, f.completed_at, f.created_at, f.review, f.prefill,
               r.patient_key, r.nhs_number, r.family_name, r.given_name, r.date_of_birth, r.age, r.admission_date,
               w.code AS ward_code, w.name AS ward_name, s.code AS site_code, s.name AS site_name,
               GREATEST(f.completed_at, (SELECT max(p.completed_at) FROM level1_form p
                                         WHERE p.case_id = f.case_id AND p.week_start <= f.week_start AND p.id <> f.id)) AS last_reviewed_at
        FROM updated f
        JOIN ward w ON w.id = f.ward_id
        JOIN site s ON s.id = w.site_id
        JOIN list_row r ON r.import_id = f.source_import AND r.site_id = w.site_id AND r.line_no = f.source_line
        """

    static func record(_ row: PostgresRow) throws -> Level1FormRecord {
        let weekStart: CalendarDate = try row.decode("week_start")
        guard let week = ReviewWeek(monday: weekStart) else {
            throw PostgresError(kind: .decoding, message: "level1_form.week_start \(weekStart.iso) is not a Monday")
        }
        let statusText: String = try row.decode("status")
        guard let status = FormStatus(rawValue: statusText) else {
            throw PostgresError(kind: .decoding, message: "level1_form.status \"\(statusText)\" is not a form status")
        }
        let review = try row.decode("review", as: PostgresJSON<Level1Review>.self).value
        return Level1FormRecord(
            id: try row.decode("id"),
            caseID: try row.decode("case_id"),
            week: week,
            wardID: try row.decode("ward_id"),
            wardCode: try row.decode("ward_code"),
            wardName: try row.decode("ward_name"),
            siteCode: try row.decode("site_code"),
            siteName: try row.decode("site_name"),
            snapshotDate: try row.decode("snapshot_date"),
            lengthOfStay: try row.decode("los"),
            patientKey: try row.decode("patient_key"),
            nhsNumber: try row.decode("nhs_number"),
            familyName: try row.decode("family_name"),
            givenName: try row.decode("given_name"),
            dateOfBirth: try row.decode("date_of_birth"),
            age: try row.decode("age"),
            admissionDate: try row.decode("admission_date"),
            review: review,
            prefill: try row.decode("prefill", as: PostgresJSON<Level1Review>?.self)?.value ?? review,
            status: status,
            discharged: try row.decode("discharged"),
            version: try row.decode("version"),
            updatedAt: try row.decode("updated_at"),
            updatedBy: try row.decode("updated_by"),
            completedAt: try row.decode("completed_at"),
            openedAt: try row.decode("created_at"),
            lastReviewedAt: try row.decode("last_reviewed_at")
        )
    }

    /// One form, if within `scope` (nil otherwise: out of scope reads as not found).
    public func form(id: Int64, scope: RecordScope = .all) async throws -> Level1FormRecord? {
        try await database.client.withConnection { try await Self.form(id: id, scope: scope, on: $0) }
    }

    static func form(id: Int64, scope: RecordScope = .all, on connection: PostgresConnection) async throws -> Level1FormRecord? {
        let query: PostgresQuery = """
            \(fragment: PostgresQuery(unsafeSQL: formColumns)) WHERE f.id = \(id) AND \(fragment: scope.condition())
            """
        // Every form page and a save that finds a newer version read it: these joins are planned once per connection.
        return try await connection.query(query.prepared).first.map(record)
    }

    /// A ward's forms for a week, longest stay first.
    public func wardWeek(wardID: Int64, week: ReviewWeek, scope: RecordScope = .all) async throws -> [Level1FormRecord] {
        try await database.client.query(
            """
            \(fragment: PostgresQuery(unsafeSQL: Self.formColumns))
            WHERE f.ward_id = \(wardID) AND f.week_start = \(week.monday) AND \(fragment: scope.condition())
            ORDER BY f.los DESC, r.family_name, f.id
            """
        ).map(Self.record)
    }

    /// A value that changes whenever any of a ward's forms for the week is
    /// saved, added, moved to another list row or marked discharged: a cheap
    /// check (one index range) for whether a rendered ward page is current.
    public func wardWeekStamp(wardID: Int64, week: ReviewWeek) async throws -> String {
        try await database.client.query(
            """
            SELECT count(*) || ':' || COALESCE(sum(version), 0) || ':' || COALESCE(sum(source_import), 0) || ':'
                   || count(*) FILTER (WHERE discharged) || ':' || COALESCE(max(updated_at)::text, '') AS stamp
            FROM level1_form WHERE ward_id = \(wardID) AND week_start = \(week.monday)
            """
        )[0].decode("stamp")
    }

    /// The ward and its site, if within `scope`.
    public func ward(id: Int64, scope: RecordScope = .all) async throws -> WardInfo? {
        try await database.client.query(
            """
            SELECT w.id, w.code, w.name, s.code AS site_code, s.name AS site_name
            FROM ward w JOIN site s ON s.id = w.site_id WHERE w.id = \(id) AND \(fragment: scope.condition())
            """
        ).first.map { row in
            WardInfo(
                id: try row.decode("id"),
                code: try row.decode("code"),
                name: try row.decode("name"),
                siteCode: try row.decode("site_code"),
                siteName: try row.decode("site_name")
            )
        }
    }

    /// Every ward with its form counts for `week`, by site then ward code.
    public func wards(week: ReviewWeek, scope: RecordScope = .all) async throws -> [WardWeekSummary] {
        try await database.client.query(
            """
            SELECT w.id, w.code, w.name, s.code AS site_code, s.name AS site_name,
                   count(f.id) AS forms,
                   count(f.id) FILTER (WHERE f.status = ANY(\(FormStatus.doneParameter)::text[])) AS done,
                   count(f.id) FILTER (WHERE f.status = 'discharged') AS discharged
            FROM ward w JOIN site s ON s.id = w.site_id
            LEFT JOIN level1_form f ON f.ward_id = w.id AND f.week_start = \(week.monday)
            WHERE \(fragment: scope.condition())
            GROUP BY w.id, s.id
            ORDER BY s.code, w.code
            """
        ).map { row in
            WardWeekSummary(
                wardID: try row.decode("id"),
                wardCode: try row.decode("code"),
                wardName: try row.decode("name"),
                siteCode: try row.decode("site_code"),
                siteName: try row.decode("site_name"),
                forms: try row.decode("forms"),
                done: try row.decode("done"),
                discharged: try row.decode("discharged")
            )
        }
    }

    /// The weeks that have forms, latest first.
    public func weeks(limit: Int = 20) async throws -> [ReviewWeek] {
        try await database.client.query(
            """
            SELECT DISTINCT week_start FROM level1_form ORDER BY week_start DESC LIMIT \(limit)
            """
        ).compactMap { ReviewWeek(monday: try $0.decode("week_start")) }
    }

    // MARK: Saving

    /// Saves `review` over version `expectedVersion`, in one transaction
    /// with its history row. The status follows the form's content
    /// (``FormStatus/of(_:untouchedDraft:discharged:taxonomy:)``); the
    /// completion time is kept from the first completion.
    /// Only forms within `scope` can be saved (others are not found); the
    /// save is recorded in the audit trail, attributed to `actor`.
    /// `settle` gives the review as saved from the one sent, the form's week
    /// and its case's board-round days (as ``RedDayStore/days(caseIDs:)``
    /// reads them), read with the form's lock rather than by a round trip of their own.
    public func save(
        id: Int64,
        expectedVersion: Int,
        review sent: Level1Review,
        by author: String?,
        scope: RecordScope = .all,
        actor: AuditActor = .currentOrSystem,
        settle: @Sendable (_ review: Level1Review, _ week: ReviewWeek, _ days: [RecordedDay]) -> Level1Review = { review, _, _ in review }
    ) async throws -> FormSaveResult {
        try await database.client.withTransaction { connection in
            let lockQuery: PostgresQuery = """
                SELECT f.version, COALESCE(f.prefill, f.review) AS prefill, f.review AS before, f.status, f.discharged, f.case_id,
                       (SELECT r.nhs_number FROM list_row r WHERE r.import_id = f.source_import AND r.site_id = w.site_id
                                                           AND r.line_no = f.source_line) AS nhs_number,
                       f.week_start, (\(fragment: Self.caseDaysSQL(caseID: "f.case_id"))) AS days
                FROM level1_form f JOIN ward w ON w.id = f.ward_id JOIN site s ON s.id = w.site_id
                WHERE f.id = \(id) AND \(fragment: scope.condition())
                FOR UPDATE OF f
                """
            // Every save runs these two: planned once per connection.
            let locked = try await connection.query(lockQuery.prepared)
            guard let row = locked.first else { return .notFound }
            let version: Int = try row.decode("version")
            guard version == expectedVersion else {
                guard let current = try await Self.form(id: id, on: connection) else { return .notFound }
                return .conflict(current: current)
            }
            let monday: CalendarDate = try row.decode("week_start")
            guard let week = ReviewWeek(monday: monday) else {
                throw PostgresError(kind: .decoding, message: "level1_form.week_start \(monday.iso) is not a Monday")
            }
            let review = settle(sent, week, try row.decode("days", as: PostgresJSON<[RecordedDay]>.self).value)
            let prefill = try row.decode("prefill", as: PostgresJSON<Level1Review>.self).value
            let status = FormStatus.of(review, untouchedDraft: prefill, discharged: try row.decode("discharged"), taxonomy: policy.delayReasons)
            let completed = status == .complete || status == .escalated
            let beforeStatus: String = try row.decode("status")
            let audit = AuditEntry(
                action: completed && beforeStatus != status.rawValue ? "complete" : "update",
                entityType: "level1_form",
                entityID: String(id),
                caseID: try row.decode("case_id"),
                nhsNumber: try row.decode("nhs_number"),
                before: AuditedForm(
                    version: version,
                    status: beforeStatus,
                    review: try row.decode("before", as: PostgresJSON<Level1Review>.self).value
                ),
                after: AuditedForm(version: version + 1, status: status.rawValue, review: review)
            )
            // The new version, its copy in the history, its audit entry, its
            // ward-week's trend figures marked stale and the saved form read
            // back: one statement (each round trip is paid by every save
            // under load). The statement's snapshot predates the update, so
            // the form is read from what the update returned, and the latest
            // completion counts this form's new one in place of its old.
            let saveQuery: PostgresQuery = """
                WITH updated AS (
                    UPDATE level1_form SET prefill = COALESCE(prefill, review), review = \(PostgresJSON(review)), status = \(status.rawValue),
                        version = version + 1, updated_at = now(), updated_by = \(author),
                        completed_at = CASE WHEN \(completed) THEN COALESCE(completed_at, now()) ELSE NULL END
                    WHERE id = \(id) AND version = \(expectedVersion)
                    RETURNING id, case_id, week_start, ward_id, snapshot_date, los, status, discharged, version, updated_at, updated_by,
                              completed_at, created_at, review, prefill, source_import, source_line
                ), versioned AS (
                    INSERT INTO level1_form_version (form_id, version, review, status, saved_by)
                    SELECT id, version, review, status, \(author)::text FROM updated
                ), audited AS (
                    \(fragment: AuditTrail.insert(audit, by: actor, forEachRowOf: "updated"))
                ), marked AS (
                    \(fragment: TrendStore.markStaleAfterSave(forEachRowOf: "updated"))
                )
                \(fragment: PostgresQuery(unsafeSQL: Self.savedFormColumns))
                """
            let rows = try await connection.query(saveQuery.prepared)
            guard let saved = try rows.first.map(Self.record) else { return .notFound }
            return .saved(saved)
        }
    }
}

/// A form's state as the audit trail records it.
struct AuditedForm: Encodable {
    let version: Int
    let status: String
    let review: Level1Review
}

extension WardListStore {
    /// The Level 1 forms in the same database, under `policy` (lets the
    /// importer open the review week of a list it has just accepted).
    public func reviews(policy: StrandedPolicy) -> ReviewStore { ReviewStore(database: database, policy: policy) }
}
