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

    @Test func withoutAPlanNothingIsFed() async throws {
        try await TestCluster.withDatabase { database in
            let feed = try await MetricFeed(database: database, policy: .standard, framework: .standard).feed(week: R.monday1, actor: "test")
            #expect(feed == nil)
        }
    }
}
