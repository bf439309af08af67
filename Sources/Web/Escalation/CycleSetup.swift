import StrandedCore
import Workflow

/// What the escalation pages and the job-run API need from the executable:
/// the running cycle configuration (shown on `/config`) and the chief
/// executive summary builder (nil until wired; the `ce-summary` job then
/// says so in its result).
public struct CycleSetup: Sendable {
    public var configuration: CycleConfiguration
    public var summaryBuilder: CycleRunner.SummaryBuilder?

    public init(configuration: CycleConfiguration = .standard, summaryBuilder: CycleRunner.SummaryBuilder? = nil) {
        self.configuration = configuration
        self.summaryBuilder = summaryBuilder
    }
}
