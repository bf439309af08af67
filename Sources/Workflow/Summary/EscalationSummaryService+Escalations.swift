import Reports
import Store
import StrandedCore

extension EscalationSummaryService {
    /// The escalation engine's part of a week's summary: activity
    /// at each level and the cases referred to the call, as synopses with
    /// the patient's identifiers scrubbed out.
    public static func escalationInputs(from database: Database, policy: StrandedPolicy) -> SummaryEscalationInputs {
        let meetings = MeetingService(database: database, policy: policy)
        return { week in try await meetings.summaryInputs(week: week) }
    }

    /// Builds the next version of `week`'s summary with the escalation
    /// engine's figures: what the scheduler, the pages and the command line use.
    public func buildWithEscalations(week: ReviewWeek, from database: Database, builtBy: String) async throws -> FrozenSummary {
        let escalation = try await Self.escalationInputs(from: database, policy: policy)(week)
        return try await build(week: week, activity: escalation.activity, referredCases: escalation.referredCases, builtBy: builtBy)
    }

    /// The `ce-summary` job's builder (``CycleRunner/SummaryBuilder``): the
    /// week's summary with the escalation engine's figures, frozen as a new
    /// version and handed to `delivery`.
    public static func cycleBuilder(
        database: Database,
        policy: StrandedPolicy,
        delivery: SummaryDeliveryConfiguration
    ) -> CycleRunner.SummaryBuilder {
        EscalationSummaryService(database: database, policy: policy, delivery: delivery)
            .scheduledBuild(inputs: escalationInputs(from: database, policy: policy))
    }
}
