import Foundation
import Postgres
import StrandedCore

/// The list-based figures of one summary week, as read from the database.
public struct SummaryListFigures: Sendable, Equatable {
    public struct Site: Sendable, Equatable {
        public let code: String
        public let name: String
        public let organisationCode: String
        public let organisationName: String
    }

    /// One site's latest current list dated in one week.
    public struct SiteWeek: Sendable, Equatable {
        public let week: ReviewWeek
        public let siteCode: String
        public let stranded: Int
        public let superStranded: Int
    }

    public let sites: [Site]
    public let siteWeeks: [SiteWeek]
    /// Level 1 forms of the week for patients still in hospital.
    public let level1Due: Int
    public let level1OnTime: Int
    public let level1Late: Int
    /// Primary delay-reason code → forms of the week giving it.
    public let primaryReasons: [String: Int]
}

/// One frozen version of a week's summary.
public struct StoredSummary: Sendable, Equatable {
    public let id: Int64
    public let week: ReviewWeek
    public let version: Int
    public let builtAt: Date
    public let builtBy: String
    /// The model as JSON (Reports' `EscalationSummary`).
    public let modelJSON: String
    public let html: String
    public let markdown: String
}

/// What a build renders from the figures; stored as it is.
public struct RenderedSummary: Sendable {
    public let modelJSON: String
    public let html: String
    public let markdown: String

    public init(modelJSON: String, html: String, markdown: String) {
        self.modelJSON = modelJSON
        self.html = html
        self.markdown = markdown
    }
}

public enum SummaryDeliveryChannel: String, Sendable, Codable, CaseIterable {
    case outbox
    case webhook
}

public enum SummaryDeliveryStatus: String, Sendable, Codable {
    case pending, delivered, failed
}

/// One destination of one summary version and how delivering it has gone.
public struct SummaryDeliveryRecord: Sendable, Equatable {
    public let id: Int64
    public let summaryID: Int64
    public let week: ReviewWeek
    public let version: Int
    public let channel: SummaryDeliveryChannel
    public let target: String
    public let status: SummaryDeliveryStatus
    public let attempts: Int
    public let lastError: String?
    public let nextAttemptAt: Date
    public let deliveredAt: Date?
}

/// A week's versions for the index page, latest version first.
public struct SummaryVersionListing: Sendable, Equatable {
    public let summaryID: Int64
    public let week: ReviewWeek
    public let version: Int
    public let builtAt: Date
    public let builtBy: String
    public let deliveries: [SummaryDeliveryRecord]
}

/// The chief executive summary in PostgreSQL: the figures it is built from,
/// its frozen versions (`ce_summary`, append-only) and its deliveries.
public struct SummaryStore: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// Weeks of counts read for a summary: its week and the 11 before.
    public static let weeksOfHistory = 12

    // MARK: Building

    /// Gathers the figures of `week`, renders them with `render` and stores
    /// the result as the week's next version, with a pending delivery per
    /// destination — all in one transaction, so a version exists only with
    /// its deliveries and what was rendered is exactly what is stored.
    ///
    /// - Parameters:
    ///   - timetable: when Level 1 reviews were due (on time = completed by the form's due time).
    ///   - render: the figures, the new version number and the build time → what to store.
    public func freeze(
        week: ReviewWeek,
        timetable: WeeklyTimetable,
        builtBy: String,
        deliveries: [(channel: SummaryDeliveryChannel, target: String)],
        render: (SummaryListFigures, _ version: Int, _ builtAt: Date) throws -> RenderedSummary
    ) async throws -> StoredSummary {
        try await database.client.withTransaction { connection in
            // Two builds of one week at once would both pick the same next
            // version; one waits for the other (UNIQUE(week_start, version) is the backstop).
            try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("ce-summary:\(week.monday.iso)"), 0))")
            let next = try await connection.query(
                """
                SELECT COALESCE(max(version), 0) + 1 AS version, now() AS now FROM ce_summary WHERE week_start = \(week.monday)
                """
            )[0]
            let version: Int = try next.decode("version")
            let builtAt: Date = try next.decode("now")
            let figures = try await Self.figures(week: week, timetable: timetable, on: connection)
            let rendered = try render(figures, version, builtAt)
            let id: Int64 = try await connection.query(
                """
                INSERT INTO ce_summary (week_start, version, built_at, built_by, model, html, markdown)
                VALUES (\(week.monday), \(version), \(builtAt), \(builtBy), \(rendered.modelJSON)::jsonb, \(rendered.html), \(rendered.markdown))
                RETURNING id
                """
            )[0].decode("id")
            for delivery in deliveries {
                try await connection.execute(
                    """
                    INSERT INTO ce_summary_delivery (summary_id, channel, target) VALUES (\(id), \(delivery.channel.rawValue), \(delivery.target))
                    ON CONFLICT DO NOTHING
                    """
                )
            }
            return StoredSummary(
                id: id,
                week: week,
                version: version,
                builtAt: builtAt,
                builtBy: builtBy,
                modelJSON: rendered.modelJSON,
                html: rendered.html,
                markdown: rendered.markdown
            )
        }
    }

    /// The figures of `week` without storing anything (previews, tests).
    public func figures(week: ReviewWeek, timetable: WeeklyTimetable) async throws -> SummaryListFigures {
        try await database.client.withConnection { try await Self.figures(week: week, timetable: timetable, on: $0) }
    }

    static func figures(week: ReviewWeek, timetable: WeeklyTimetable, on connection: PostgresConnection) async throws -> SummaryListFigures {
        let first = week.adding(weeks: -(weeksOfHistory - 1))
        let sites = try await connection.query(
            """
            SELECT s.code, s.name, o.code AS organisation_code, o.name AS organisation_name
            FROM site s JOIN organisation o ON o.id = s.organisation_id
            ORDER BY o.code, s.code
            """
        ).map { row in
            SummaryListFigures.Site(
                code: try row.decode("code"),
                name: try row.decode("name"),
                organisationCode: try row.decode("organisation_code"),
                organisationName: try row.decode("organisation_name")
            )
        }
        // Each site's latest current list of each week (the view `site_week_list`):
        // a site sending two lists in a week counts once.
        let siteWeeks = try await connection.query(
            """
            SELECT l.week_start, s.code AS site_code, l.stranded, l.super_stranded
            FROM site_week_list l JOIN site s ON s.id = l.site_id
            WHERE l.week_start BETWEEN \(first.monday) AND \(week.monday)
            ORDER BY l.site_id, l.week_start
            """
        ).compactMap { row -> SummaryListFigures.SiteWeek? in
            guard let w = ReviewWeek(monday: try row.decode("week_start")) else { return nil }
            return SummaryListFigures.SiteWeek(
                week: w,
                siteCode: try row.decode("site_code"),
                stranded: try row.decode("stranded"),
                superStranded: try row.decode("super_stranded")
            )
        }
        // On time: completed (or escalated by the ward with an ask) by the
        // form's due time (the deadline, later for a late list's forms). A
        // form a rule escalated at the deadline has no completion time and
        // counts as not completed.
        let due = FormDueSQL.dueAt(
            form: "f",
            deadline: "\(timetable.instant(of: .level1Deadline, in: week))::timestamptz",
            graceHours: timetable.lateListGraceHours
        )
        let level1 = try await connection.query(
            """
            SELECT count(*) AS due,
                   count(*) FILTER (WHERE status = ANY(\(FormStatus.doneParameter)::text[]) AND completed_at <= \(fragment: due)) AS on_time,
                   count(*) FILTER (WHERE status = ANY(\(FormStatus.doneParameter)::text[]) AND completed_at > \(fragment: due)) AS late
            FROM level1_form f WHERE week_start = \(week.monday) AND NOT discharged
            """
        )[0]
        // The primary reason as Level1Review.Q1.primaryReason defines it: the
        // one marked primary, or the only reason when just one is given.
        // Reviews the ward has worked on (an untouched carried-forward draft
        // is last week's view, not this week's).
        let reasons = try await connection.query(
            """
            SELECT code, count(*) AS n FROM (
                SELECT CASE WHEN m.marked = 1 THEN m.marked_code WHEN m.marked = 0 AND m.total = 1 THEN m.any_code END AS code
                FROM level1_form f
                CROSS JOIN LATERAL (
                    SELECT count(*) FILTER (WHERE (e->>'isPrimary')::boolean) AS marked,
                           min(e->>'code') FILTER (WHERE (e->>'isPrimary')::boolean) AS marked_code,
                           count(*) AS total, min(e->>'code') AS any_code
                    FROM jsonb_array_elements(COALESCE(f.review->'q1'->'reasons', '[]'::jsonb)) AS e
                ) m
                WHERE f.week_start = \(week.monday) AND NOT f.discharged AND f.status IN ('in-progress', 'complete', 'escalated')
            ) primary_reasons
            WHERE code IS NOT NULL
            GROUP BY code
            """
        )
        var primary: [String: Int] = [:]
        for row in reasons { primary[try row.decode("code")] = try row.decode("n") }
        return SummaryListFigures(
            sites: sites,
            siteWeeks: siteWeeks,
            level1Due: try level1.decode("due"),
            level1OnTime: try level1.decode("on_time"),
            level1Late: try level1.decode("late"),
            primaryReasons: primary
        )
    }

    // MARK: Reading

    static let summaryColumns = "SELECT id, week_start, version, built_at, built_by, model::text AS model, html, markdown FROM ce_summary"

    static func summary(_ row: PostgresRow) throws -> StoredSummary {
        let monday: CalendarDate = try row.decode("week_start")
        guard let week = ReviewWeek(monday: monday) else {
            throw PostgresError(kind: .decoding, message: "ce_summary.week_start \(monday.iso) is not a Monday")
        }
        return StoredSummary(
            id: try row.decode("id"),
            week: week,
            version: try row.decode("version"),
            builtAt: try row.decode("built_at"),
            builtBy: try row.decode("built_by"),
            modelJSON: try row.decode("model"),
            html: try row.decode("html"),
            markdown: try row.decode("markdown")
        )
    }

    /// A week's summary: `version`, or the latest when nil.
    public func summary(week: ReviewWeek, version: Int? = nil) async throws -> StoredSummary? {
        // Versions are PostgreSQL integers: a larger number asked for cannot
        // exist, and binding it would fail the query instead of finding nothing.
        if let version, Int32(exactly: version) == nil { return nil }
        if let version {
            return try await database.client.query(
                """
                \(fragment: PostgresQuery(unsafeSQL: Self.summaryColumns)) WHERE week_start = \(week.monday) AND version = \(version)
                """
            ).first.map(Self.summary)
        }
        return try await database.client.query(
            """
            \(fragment: PostgresQuery(unsafeSQL: Self.summaryColumns)) WHERE week_start = \(week.monday) ORDER BY version DESC LIMIT 1
            """
        ).first.map(Self.summary)
    }

    /// Every version of the latest `weeks` weeks with summaries, latest week
    /// and version first, each with its deliveries.
    public func versions(weeks: Int = 26) async throws -> [SummaryVersionListing] {
        let rows = try await database.client.query(
            """
            SELECT id, week_start, version, built_at, built_by FROM ce_summary
            WHERE week_start IN (SELECT DISTINCT week_start FROM ce_summary ORDER BY week_start DESC LIMIT \(weeks))
            ORDER BY week_start DESC, version DESC
            """
        )
        let deliveries = Dictionary(
            grouping: try await self.deliveries(summaryIDs: try rows.map { try $0.decode("id", as: Int64.self) }),
            by: \.summaryID
        )
        return try rows.compactMap { row in
            guard let week = ReviewWeek(monday: try row.decode("week_start")) else { return nil }
            let id: Int64 = try row.decode("id")
            return SummaryVersionListing(
                summaryID: id,
                week: week,
                version: try row.decode("version"),
                builtAt: try row.decode("built_at"),
                builtBy: try row.decode("built_by"),
                deliveries: deliveries[id] ?? []
            )
        }
    }

    // MARK: Deliveries

    static let deliveryColumns = """
        SELECT d.id, d.summary_id, s.week_start, s.version, d.channel, d.target, d.status, d.attempts, d.last_error,
               d.next_attempt_at, d.delivered_at
        FROM ce_summary_delivery d JOIN ce_summary s ON s.id = d.summary_id
        """

    static func delivery(_ row: PostgresRow) throws -> SummaryDeliveryRecord {
        let monday: CalendarDate = try row.decode("week_start")
        let channel: String = try row.decode("channel")
        let status: String = try row.decode("status")
        guard let week = ReviewWeek(monday: monday), let channelValue = SummaryDeliveryChannel(rawValue: channel),
            let statusValue = SummaryDeliveryStatus(rawValue: status)
        else {
            throw PostgresError(kind: .decoding, message: "ce_summary_delivery row has week \(monday.iso), channel \(channel), status \(status)")
        }
        return SummaryDeliveryRecord(
            id: try row.decode("id"),
            summaryID: try row.decode("summary_id"),
            week: week,
            version: try row.decode("version"),
            channel: channelValue,
            target: try row.decode("target"),
            status: statusValue,
            attempts: try row.decode("attempts"),
            lastError: try row.decode("last_error"),
            nextAttemptAt: try row.decode("next_attempt_at"),
            deliveredAt: try row.decode("delivered_at")
        )
    }

    public func deliveries(summaryIDs: [Int64]) async throws -> [SummaryDeliveryRecord] {
        guard !summaryIDs.isEmpty else { return [] }
        return try await database.client.query(
            """
            \(fragment: PostgresQuery(unsafeSQL: Self.deliveryColumns))
            WHERE d.summary_id = ANY(\(PostgresArray(summaryIDs))::bigint[]) ORDER BY d.summary_id, d.channel, d.target
            """
        ).map(Self.delivery)
    }

    /// Claims up to `limit` pending deliveries that are due: each is pushed
    /// `lease` into the future first, so another replica (or a second loop)
    /// does not take it while this one is sending. Counts the attempt.
    public func claimDueDeliveries(limit: Int = 20, lease: Duration = .seconds(120)) async throws -> [SummaryDeliveryRecord] {
        let leaseSeconds = Double(lease.components.seconds)
        let ids = try await database.client.query(
            """
            UPDATE ce_summary_delivery SET next_attempt_at = now() + make_interval(secs => \(leaseSeconds)), attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM ce_summary_delivery WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """
        ).map { try $0.decode("id", as: Int64.self) }
        guard !ids.isEmpty else { return [] }
        return try await database.client.query(
            """
            \(fragment: PostgresQuery(unsafeSQL: Self.deliveryColumns)) WHERE d.id = ANY(\(PostgresArray(ids))::bigint[]) ORDER BY d.id
            """
        ).map(Self.delivery)
    }

    public func recordDelivered(id: Int64) async throws {
        try await database.client.execute(
            """
            UPDATE ce_summary_delivery SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE id = \(id)
            """
        )
    }

    /// Records a failed attempt: retried after `retryAfter`, or given up
    /// ('failed') when nil. The error stays visible either way.
    public func recordFailure(id: Int64, error: String, retryAfter: Duration?) async throws {
        if let retryAfter {
            try await database.client.execute(
                """
                UPDATE ce_summary_delivery SET last_error = \(error),
                    next_attempt_at = now() + make_interval(secs => \(Double(retryAfter.components.seconds)))
                WHERE id = \(id)
                """
            )
        } else {
            try await database.client.execute(
                """
                UPDATE ce_summary_delivery SET status = 'failed', last_error = \(error) WHERE id = \(id)
                """
            )
        }
    }

    /// Puts a delivery back in the queue now (an operator's "retry").
    public func retryNow(id: Int64) async throws -> Bool {
        try await database.client.execute(
            """
            UPDATE ce_summary_delivery SET status = 'pending', next_attempt_at = now() WHERE id = \(id) AND status <> 'delivered'
            """
        ) > 0
    }
}
