import Foundation
import Logging
import Store
import StrandedCore
import WardListImport

/// What running one job for one week did, in words for a person.
public struct CycleJobResult: Sendable, Codable, Equatable {
    public let job: CycleJob
    public let week: ReviewWeek
    public let message: String
    /// The escalations made, for the jobs that apply rules.
    public let escalation: EscalationRun?
    /// The agenda version built, for `level2-agenda`.
    public let agendaVersion: Int?
}

/// Runs one job of the weekly cycle for one week. Every job is
/// idempotent: running it again for the same week opens no second form and
/// escalates no case twice (the agenda job builds a new frozen version, on
/// purpose: a rebuild is a new version and the old one is kept).
public struct CycleRunner: Sendable {
    /// Builds, freezes and delivers the chief executive summary
    /// (``EscalationSummaryService/cycleBuilder(database:policy:delivery:)``, wired by the executable).
    public typealias SummaryBuilder = @Sendable (ReviewWeek) async throws -> Void

    public let database: Database
    public var configuration: CycleConfiguration
    public var summaryBuilder: SummaryBuilder?
    public var logger: Logger
    var now: @Sendable () -> Date

    public init(
        database: Database,
        configuration: CycleConfiguration,
        summaryBuilder: SummaryBuilder?,
        logger: Logger = Logger(label: "stranded.cycle"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.configuration = configuration
        self.summaryBuilder = summaryBuilder
        self.logger = logger
        self.now = now
    }

    /// The rules every job runs with.
    public var policy: StrandedPolicy { configuration.policy }

    /// The latest job runs with their results and failures, newest first (the `/cycle` page and API).
    public func runs(limit: Int = 60) async throws -> [CycleJobRunRecord] {
        try await CycleJobStore(database: database).runs(limit: limit)
    }

    var applier: EscalationApplier {
        EscalationApplier(database: database, policy: policy)
    }

    /// Runs the job now, without the scheduler's record or lock.
    ///
    /// - Parameter formsAsOf: for `level1-deadline`, read the forms as saved
    ///   at this instant (the scheduler passes the deadline); nil: as they stand.
    /// - Parameter scheduled: the scheduler's own run. Its record commits
    ///   after the job's work (which runs on other connections), so a process
    ///   killed between the two leaves work done and no record, and the next
    ///   start runs the job again. The jobs that freeze a new version on every
    ///   run (the agenda, the summary) then keep the version the scheduler
    ///   already froze for the week instead of freezing a second one.
    public func run(
        _ job: CycleJob,
        week: ReviewWeek,
        actor: String,
        formsAsOf: Date? = nil,
        scheduled: Bool = false
    ) async throws -> CycleJobResult {
        let frozen = scheduled ? try await CycleJobStore(database: database).versionFrozen(by: job, week: week, builtBy: actor) : nil
        switch job {
        case .openWeek:
            // Fed sites' lists first: at the list time their census is the week's list.
            let listTime = policy.timetable.instant(of: .listsDue, in: week)
            let fromFeed = try await FeedWardLists(database: database, policy: policy, logger: logger)
                .importCensus(week: week, at: listTime, today: CalendarDate.today(now: now()))
            let opening = try await WeekOpener(database: database, policy: policy).open(week: week)
            let feedNote = fromFeed.map { " List from the feed: \($0.verdict.rawValue), \($0.importedRows) patient\($0.importedRows == 1 ? "" : "s")." } ?? ""
            return CycleJobResult(
                job: job,
                week: week,
                message:
                    "Opened \(week.label): \(opening.created) Level 1 form\(opening.created == 1 ? "" : "s") created, \(opening.refreshed) refreshed, \(opening.discharged) marked discharged."
                    + feedNote,
                escalation: nil,
                agendaVersion: nil
            )
        case .applyLevel1Deadline:
            let run = try await applier.applyLevel1Deadline(week: week, actor: actor, formsAsOf: formsAsOf)
            return CycleJobResult(
                job: job,
                week: week,
                message: "Level 1 deadline \(week.label): \(run.summary)",
                escalation: run,
                agendaVersion: nil
            )
        case .buildLevel2Agenda:
            if let frozen {
                return CycleJobResult(
                    job: job,
                    week: week,
                    message: "Level 2 agenda \(week.label) version \(frozen) was already built by this job; kept.",
                    escalation: nil,
                    agendaVersion: frozen
                )
            }
            let built = try await Level2AgendaBuilder(database: database, policy: policy, now: now)
                .build(week: week, actor: actor)
            return CycleJobResult(
                job: job,
                week: week,
                message:
                    "Level 2 agenda \(week.label) version \(built.version): \(built.agenda.cases.count) case\(built.agenda.cases.count == 1 ? "" : "s") (\(built.agenda.newCases) new, \(built.agenda.carriedOver) carried over).",
                escalation: nil,
                agendaVersion: built.version
            )
        case .buildChiefExecutiveSummary:
            let run = try await applier.applyChiefExecutiveRules(week: week, actor: actor)
            let list = try await MeetingService(database: database, policy: policy).chiefExecutiveList(week: week)
            var message = "Chief executive call \(week.label): \(run.summary) \(list.count) case\(list.count == 1 ? "" : "s") on the call's list."
            if let frozen {
                message += " Summary version \(frozen) was already built by this job; kept."
            } else if let summaryBuilder {
                try await summaryBuilder(week)
                message += " Summary built."
            } else {
                message += " No summary builder is configured, so no chief executive summary was built."
            }
            message += await feedMetrics(week: week, actor: actor)
            return CycleJobResult(job: job, week: week, message: message, escalation: run, agendaVersion: nil)
        }
    }

    /// Feeds the week's own figures into the evaluation metrics; a failure
    /// is reported in the job's message rather than failing the job, since
    /// the summary it follows has been built and delivered.
    func feedMetrics(week: ReviewWeek, actor: String) async -> String {
        do {
            guard let counts = try await MetricFeed(database: database, policy: policy, framework: .standard).feed(week: week, actor: actor) else {
                return " No action plan is loaded, so no evaluation metric was fed."
            }
            return " Evaluation metrics fed: \(counts.added) new, \(counts.changed) updated, \(counts.unchanged) unchanged."
        } catch {
            logger.error("feeding the evaluation metrics failed", metadata: ["week": "\(week)", "error": "\(String(describing: type(of: error)))"])
            return " Feeding the evaluation metrics failed; it is tried again when the job is next run."
        }
    }

    /// Runs the job by hand, with the scheduler's lock and record (so the
    /// `/cycle` page shows it and a replica does not run it at the same time).
    /// The result is nil unless the job ran and succeeded (`.busy`: another process is running it now).
    public func runRecorded(
        _ job: CycleJob,
        week: ReviewWeek,
        actor: String,
        runnerID: String
    ) async throws -> (attempt: CycleJobAttempt, result: CycleJobResult?) {
        let box = ResultBox()
        // A failed run by hand is retried by the scheduler like any other.
        let settings = configuration.scheduler
        let attempt = try await CycleJobStore(database: database).attempt(
            job: job,
            week: week,
            runner: "\(runnerID) (\(actor))",
            manual: true,
            force: true,
            now: now(),
            retryDelay: { settings.retryDelay(afterAttempts: $0) }
        ) {
            let result = try await run(job, week: week, actor: actor)
            box.set(result)
            return result.message
        }
        return (attempt, box.value)
    }
}

/// Carries a result out of a `@Sendable` closure.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: CycleJobResult?
    func set(_ value: CycleJobResult) { lock.withLock { stored = value } }
    var value: CycleJobResult? { lock.withLock { stored } }
}
