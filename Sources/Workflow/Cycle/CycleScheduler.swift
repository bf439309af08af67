import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Store
import StrandedCore

/// The weekly scheduler: a service in the daemon that runs each
/// job of the ``WeeklyTimetable`` when it falls due.
///
/// - Exactly once across replicas: each attempt takes a PostgreSQL advisory
///   lock on (job, week) and checks the job-run record under it
///   (``CycleJobStore/attempt(job:week:runner:manual:force:now:retryDelay:_:)``).
/// - A job missed while every daemon was down is due on the next start:
///   ``WeeklyTimetable/dueJobs(now:lastRun:earliestWeek:)`` offers the latest
///   week of each job not yet done.
/// - A failing job is recorded with its error and retried with exponential
///   back-off (``SchedulerSettings``); the record is on `/cycle`.
///
/// The clock is injected (`now`) so tests can put the scheduler on any day;
/// they call ``tick()`` rather than ``run()``.
public struct CycleScheduler: Service {
    public struct Attempted: Sendable, Equatable, CustomStringConvertible {
        public let job: CycleJob
        public let week: ReviewWeek
        public let attempt: CycleJobAttempt
        public var description: String { "\(job.rawValue) \(week.monday.iso): \(attempt)" }
    }

    /// Runs one job for one week and says what it did (default: the ``CycleRunner``).
    public typealias Perform = @Sendable (CycleJob, ReviewWeek) async throws -> String

    let store: CycleJobStore
    public let configuration: CycleConfiguration
    public let runnerID: String
    let now: @Sendable () -> Date
    let perform: Perform
    let logger: Logger

    public init(
        database: Database,
        runner: CycleRunner,
        runnerID: String = CycleScheduler.defaultRunnerID,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "stranded.scheduler"),
        perform: Perform? = nil
    ) {
        store = CycleJobStore(database: database)
        configuration = runner.configuration
        self.runnerID = runnerID
        self.now = now
        self.logger = logger
        // The deadline job reads the forms as saved at the deadline, however
        // late it runs (a catch-up after downtime).
        let timetable = runner.policy.timetable
        self.perform =
            perform ?? { job, week in
                try await runner.run(
                    job,
                    week: week,
                    actor: "scheduler",
                    formsAsOf: job == .applyLevel1Deadline ? timetable.instant(of: .level1Deadline, in: week) : nil,
                    scheduled: true
                ).message
            }
    }

    /// `host:pid`, so the record says which replica ran a job.
    public static var defaultRunnerID: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Runs every job due now (oldest first) and returns what happened to each.
    @discardableResult
    public func tick() async throws -> [Attempted] {
        let now = now()
        let lastRun = try await store.lastSucceeded()
        let due = configuration.policy.timetable.dueJobs(
            now: now,
            lastRun: lastRun,
            earliestWeek: configuration.scheduler.earliestWeek.flatMap(ReviewWeek.init(monday:))
        )
        var attempted: [Attempted] = []
        let settings = configuration.scheduler
        // A week's jobs run in order: while one is running elsewhere, failing
        // or waiting to retry, the later jobs of that week wait for the next
        // look (a deadline applied before its week is open would escalate on
        // missing forms). Other weeks' jobs are not held up.
        var held: Set<ReviewWeek> = []
        for item in due where !held.contains(item.week) {
            let perform = perform
            let attempt = try await store.attempt(
                job: item.job,
                week: item.week,
                runner: runnerID,
                manual: false,
                force: false,
                now: now,
                retryDelay: { settings.retryDelay(afterAttempts: $0) }
            ) {
                try await perform(item.job, item.week)
            }
            switch attempt {
            case let .succeeded(result):
                Counter(label: "stranded_cycle_job_runs_total", dimensions: [("job", item.job.rawValue)]).increment()
                logger.info("cycle job done", metadata: ["job": "\(item.job)", "week": "\(item.week)", "result": "\(result)"])
            case let .failed(error, attempts, next):
                // For alerting (hazard H04): `increase(stranded_cycle_job_failures_total[1h]) > 0`.
                Counter(label: "stranded_cycle_job_failures_total", dimensions: [("job", item.job.rawValue)]).increment()
                logger.error(
                    "cycle job failed",
                    metadata: [
                        "job": "\(item.job)", "week": "\(item.week)", "error": "\(error)", "attempts": "\(attempts)",
                        "retry": "\(next.map { "\($0)" } ?? "no more automatic retries: run it by hand from /cycle")",
                    ]
                )
            case .busy, .alreadyDone, .waitingToRetry:
                logger.debug("cycle job skipped", metadata: ["job": "\(item.job)", "week": "\(item.week)", "why": "\(attempt)"])
            }
            switch attempt {
            case .busy, .failed, .waitingToRetry: held.insert(item.week)
            case .succeeded, .alreadyDone: break
            }
            attempted.append(Attempted(job: item.job, week: item.week, attempt: attempt))
        }
        return attempted
    }

    /// Seconds until the scheduler should look again.
    func secondsToNextCheck() async -> TimeInterval {
        let now = now()
        var next = configuration.policy.timetable.nextDue(after: now).at
        // Only retries still to come: one whose time has passed either ran in
        // the tick just done or is for a week no longer due (kept for /cycle).
        if let retry = try? await store.pendingRetries().first(where: { $0.at > now })?.at, retry < next { next = retry }
        return min(max(next.timeIntervalSince(now), 1), TimeInterval(configuration.scheduler.pollSeconds))
    }

    public func run() async throws {
        logger.info("weekly scheduler started", metadata: ["runner": "\(runnerID)", "configuration": "\(configuration.source)"])
        // A tick in progress finishes its current job's transaction or is
        // rolled back with it; either way the job record stays true.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await tick()
                } catch is CancellationError {
                    return
                } catch {
                    // The database may be briefly away; the next look retries.
                    logger.error("scheduler could not check for due jobs", metadata: ["error": "\(error)"])
                }
                let wait = await secondsToNextCheck()
                do {
                    try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
                } catch {
                    return  // cancelled: the service is shutting down
                }
            }
        }
        logger.info("weekly scheduler stopped", metadata: ["runner": "\(runnerID)"])
    }
}
