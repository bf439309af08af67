import Foundation
import Postgres
import StrandedCore

/// The service's own figures for one review week, as the evaluation
/// framework's fed metrics take them.
public struct ServiceWeekFigures: Sendable, Hashable {
    /// Level 1 forms due that week (patients still in hospital) and those done by the deadline.
    public let level1Due: Int
    public let level1OnTime: Int
    /// Cases escalated to Level 2 that week, and Level 2 escalations resolved or closed that week.
    public let escalationsOpened: Int
    public let escalationsResolved: Int
}

/// Reads the weekly figures the service produces itself.
public struct ServiceFigureStore: Sendable {
    let database: Database
    /// The Level 1 deadline "on time" is judged by.
    let policy: StrandedPolicy

    public init(database: Database, policy: StrandedPolicy) {
        self.database = database
        self.policy = policy
    }

    public func figures(week: ReviewWeek) async throws -> ServiceWeekFigures {
        // The review figures of a week are brought up to date before they are read.
        try await TrendStore(database: database, policy: policy).refreshStaleReviews()
        let row = try await database.client.query(
            """
            SELECT
              (SELECT COALESCE(sum(forms_due), 0) FROM trend_review_week WHERE week_start = \(week.monday))::bigint AS due,
              (SELECT COALESCE(sum(on_time), 0) FROM trend_review_week WHERE week_start = \(week.monday))::bigint AS on_time,
              (SELECT count(*) FROM escalation WHERE level = 'level2' AND opened_week = \(week.monday))::bigint AS opened,
              (SELECT count(*) FROM escalation WHERE level = 'level2' AND status <> 'open' AND closed_week = \(week.monday))::bigint AS resolved
            """
        )[0]
        return ServiceWeekFigures(
            level1Due: Int(try row.decode("due", as: Int64.self)),
            level1OnTime: Int(try row.decode("on_time", as: Int64.self)),
            escalationsOpened: Int(try row.decode("opened", as: Int64.self)),
            escalationsResolved: Int(try row.decode("resolved", as: Int64.self))
        )
    }
}
