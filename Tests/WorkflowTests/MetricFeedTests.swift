import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing

@testable import Workflow

@Suite("The service's weekly figures feed their evaluation metrics")
struct MetricFeedTests {
    typealias R = ReviewCycleTests

    func value(_ database: Database, _ key: String, _ week: String) async throws -> Double? {
        try await database.client.query(
            """
            SELECT v.value FROM metric_value v JOIN evaluation_metric m ON m.id = v.metric_id
            WHERE m.key = \(key) AND v.period = \(CalendarDate(iso: week)!)
            """
        ).first?.decode("value", as: Double.self)
    }

    @Test func theChiefExecutiveJobFeedsOnTimeReviewsAndEscalationsOnceAWeek() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(R.week1, snapshotDate: "2026-11-16")
            try await PlanService(database: database, policy: .standard).loadSeedPlanIfMissing()
            // One of the two forms completed, after the deadline (the clock is today's).
            let forms = try await R().forms(database, week: R.monday1)
            _ = try await ReviewService(database: database, policy: .standard).complete(
                id: forms[0].id,
                version: forms[0].version,
                review: completeReview(),
                by: "Nurse"
            )
            let runner = CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil)
            _ = try await runner.run(.applyLevel1Deadline, week: R.monday1, actor: "test")
            let opened = Int(
                try await database.client.query(
                    "SELECT count(*) AS n FROM escalation WHERE level = 'level2' AND opened_week = \(R.monday1.monday)"
                )[0].decode("n", as: Int64.self)
            )
            #expect(opened >= 1)
            let result = try await runner.run(.buildChiefExecutiveSummary, week: R.monday1, actor: "test")
            #expect(result.message.contains("Evaluation metrics fed: 3 new"))
            #expect(try await value(database, "escalations-opened", "2026-11-16") == Double(opened))
            #expect(try await value(database, "escalations-resolved", "2026-11-16") == 0)
            #expect(try await value(database, "level1-reviews-on-time", "2026-11-16") == 0)
            let sources = try await database.client.query(
                "SELECT DISTINCT source FROM metric_value"
            ).map { try $0.decode("source", as: String.self) }
            #expect(sources == [MetricFeed.source])
            // Running it again records nothing new.
            let again = try await MetricFeed(database: database, policy: .standard, framework: .standard).feed(week: R.monday1, actor: "test")
            #expect(again?.unchanged == 3 && again?.added == 0 && again?.changed == 0)
        }
    }

    /// Red bed-days are fed once the week has board-round days: red ones counted, green ones not.
    @Test func theWeeksRedBedDaysFeedTheirMetric() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(R.week1, snapshotDate: "2026-11-16")
            try await PlanService(database: database, policy: .standard).loadSeedPlanIfMissing()
            let feed = MetricFeed(database: database, policy: .standard, framework: .standard)
            #expect(try await feed.values(week: R.monday1).contains { $0.metric == "red-bed-days" } == false)
            try await database.client.execute(
                """
                INSERT INTO board_round_day (site_id, ward_id, patient_key, admission_date, day, status, reason, source, recorded_by)
                SELECT w.site_id, w.id, 'K1', DATE '2026-10-01', d.day, d.status, d.reason, 'import', 'test'
                FROM (SELECT id, site_id FROM ward LIMIT 1) w,
                     (VALUES (DATE '2026-11-16', 'red', 'awaiting-test'), (DATE '2026-11-17', 'red', 'awaiting-test'),
                             (DATE '2026-11-18', 'green', NULL), (DATE '2026-11-23', 'red', 'awaiting-test')) AS d(day, status, reason)
                """
            )
            _ = try await feed.feed(week: R.monday1, actor: "test")
            #expect(try await value(database, "red-bed-days", "2026-11-16") == 2)
        }
    }

    /// The aim is fed for the week two weeks back, whose admissions have all had their six days.
    @Test func theAimIsFedFromStaysForTheWeekWhoseAdmissionsHaveHadTheirDays() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(R.week1, snapshotDate: "2026-11-16")
            try await PlanService(database: database, policy: .standard).loadSeedPlanIfMissing()
            let feed = MetricFeed(database: database, policy: .standard, framework: .standard)
            let metric = "acute-admissions-moved-on-within-7-days"
            // No stays: not measured, so nothing fed (never a census proxy).
            #expect(try await feed.values(week: R.monday1).contains { $0.metric == metric } == false)
            try await database.client.execute(
                """
                INSERT INTO stay (site_id, ward_code, patient_key, admission_date, ended_on, source, recorded_by)
                SELECT s.id, 'AMU', t.patient, t.admitted, t.ended, 'import', 'test'
                FROM (SELECT id FROM site WHERE setting = 'acute' ORDER BY id LIMIT 1) s,
                     (VALUES ('L:1', DATE '2026-11-02', DATE '2026-11-02'), ('L:2', DATE '2026-11-08', DATE '2026-11-14'),
                             ('L:3', DATE '2026-11-04', DATE '2026-11-06'), ('L:4', DATE '2026-11-05', DATE '2026-11-13'),
                             ('L:5', DATE '2026-11-09', NULL)) AS t(patient, admitted, ended)
                """
            )
            _ = try await feed.feed(week: R.monday1, actor: "test")
            #expect(try await value(database, metric, "2026-11-02") == 75)
            #expect(try await value(database, metric, "2026-11-16") == nil)
        }
    }

    @Test func withoutAPlanNothingIsFed() async throws {
        try await TestCluster.withDatabase { database in
            let feed = try await MetricFeed(database: database, policy: .standard, framework: .standard).feed(week: R.monday1, actor: "test")
            #expect(feed == nil)
        }
    }
}
