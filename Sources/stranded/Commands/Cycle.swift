import ArgumentParser
import Foundation
import Store
import StrandedCore
import Workflow

/// `stranded cycle …`: the weekly cycle's jobs by hand.
struct Cycle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the weekly cycle's jobs by hand, see what the scheduler has done, or walk the cycle through past weeks.",
        subcommands: [Run.self, Status.self, Simulate.self]
    )

    /// Parses a week given as its Monday (any other day is refused with the Monday to use).
    static func week(_ text: String, option: String) throws -> ReviewWeek {
        guard let date = CalendarDate(isoOrUK: text) else { throw ValidationError("\(option) \(text) is not a date; give the Monday as yyyy-mm-dd") }
        guard let week = ReviewWeek(monday: date) else {
            throw ValidationError(
                "\(option) \(text) is a \(["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][date.isoWeekday]); weeks are named by their Monday (\(date.mondayOfWeek.iso))"
            )
        }
        return week
    }

    /// The chief executive summary builder for the `ce-summary` job: the
    /// week's summary with the escalation engine's figures, delivered to the
    /// outbox and webhook configured in the environment (STRANDED_OUTBOX,
    /// STRANDED_SUMMARY_WEBHOOK).
    static func summaryBuilder(for database: Database, configuration: CycleConfiguration) throws -> CycleRunner.SummaryBuilder {
        EscalationSummaryService.cycleBuilder(database: database, policy: configuration.policy, delivery: try summaryDelivery())
    }

    /// Where summaries go (STRANDED_OUTBOX, STRANDED_SUMMARY_WEBHOOK), or a usage error naming the setting.
    static func summaryDelivery() throws -> SummaryDeliveryConfiguration {
        do {
            return try SummaryDeliveryConfiguration.fromEnvironment()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    static func describe(_ attempt: CycleJobAttempt, _ result: CycleJobResult?) -> String {
        switch attempt {
        case .succeeded: return result?.message ?? "done"
        case .busy: return "another process is running this job for this week right now; try again in a minute"
        case .alreadyDone: return "already done"
        case let .waitingToRetry(until): return "waiting to retry at \(until)"
        case let .failed(error, attempts, _): return "FAILED (attempt \(attempts)): \(error)"
        }
    }

    static func details(_ result: CycleJobResult?) -> [String] {
        guard let run = result?.escalation, !run.escalated.isEmpty else { return [] }
        return run.escalated.map { "  case \($0.caseID): \($0.rules.map(\.rawValue).joined(separator: ", ")) (\($0.change))" }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one job for one week: open-week, level1-deadline, level2-agenda or ce-summary.",
            discussion: "Safe to repeat: a case is never escalated twice for the same week. level2-agenda builds a new frozen version each time."
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "open-week | level1-deadline | level2-agenda | ce-summary")
        var job: String

        @Option(help: "The week, as its Monday (yyyy-mm-dd).")
        var week: String

        @OptionGroup var config: ConfigurationOptions

        func validate() throws {
            guard CycleJob(rawValue: job) != nil else {
                throw ValidationError("unknown job \"\(job)\"; use one of: \(CycleJob.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            _ = try Cycle.week(week, option: "--week")
        }

        func run() async throws {
            let job = CycleJob(rawValue: job)!
            let week = try Cycle.week(week, option: "--week")
            let configuration = try config.load()
            let logger = LogSetup.logger(level: "warning")
            let user = ProcessInfo.processInfo.environment["USER"] ?? "cli"
            let (attempt, result) = try await DatabaseRuntime.with(database, logger: logger) { runtime in
                try await CycleRunner(
                    database: runtime.database,
                    configuration: configuration,
                    summaryBuilder: try Cycle.summaryBuilder(for: runtime.database, configuration: configuration),
                    logger: logger
                )
                .runRecorded(job, week: week, actor: "cli:\(user)", runnerID: CycleScheduler.defaultRunnerID)
            }
            print("\(job.rawValue) \(week.monday.iso): \(Cycle.describe(attempt, result))")
            Cycle.details(result).forEach { print($0) }
            if case .failed = attempt { throw ExitCode(1) }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What the scheduler has run, what failed, and what is due next.")

        @OptionGroup var database: DatabaseOptions

        @OptionGroup var config: ConfigurationOptions

        func run() async throws {
            let configuration = try config.load()
            let logger = LogSetup.logger(level: "warning")
            let runs = try await DatabaseRuntime.with(database, logger: logger) { runtime in
                try await CycleJobStore(database: runtime.database).runs(limit: 40)
            }
            let next = configuration.policy.timetable.nextDue(after: Date())
            print("Configuration: \(configuration.source)")
            print("Next due: \(next.jobs.map(\.description).joined(separator: ", ")) at \(next.at)")
            if runs.isEmpty { print("No job has run yet.") }
            for run in runs {
                var line =
                    "\(run.week.iso)  \(run.job.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(run.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) attempts \(run.attempts)  \(run.trigger.rawValue) by \(run.runner)"
                if let error = run.lastError, run.status == .failed {
                    line += "\n    error: \(error)" + (run.nextAttemptAt.map { "; next attempt \($0)" } ?? "; no more automatic retries")
                } else if let result = run.result {
                    line += "\n    \(result)"
                }
                print(line)
            }
        }
    }

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the cycle through weeks: every job of each week, in order, as if the clock had passed through them.",
            discussion:
                "For demonstrations and catching up: lists must already be imported for those weeks. Jobs already done for a week are run again (they are idempotent)."
        )

        @OptionGroup var database: DatabaseOptions

        @Option(help: "First week (a Monday, yyyy-mm-dd).")
        var from: String

        @Option(help: "Last week (a Monday, yyyy-mm-dd).")
        var to: String

        @OptionGroup var config: ConfigurationOptions

        func validate() throws {
            let first = try Cycle.week(from, option: "--from")
            let last = try Cycle.week(to, option: "--to")
            guard first <= last else { throw ValidationError("--from \(from) is after --to \(to)") }
            guard first.weeks(until: last) < 260 else { throw ValidationError("at most five years of weeks at once") }
        }

        func run() async throws {
            let first = try Cycle.week(from, option: "--from")
            let last = try Cycle.week(to, option: "--to")
            let configuration = try config.load()
            let logger = LogSetup.logger(level: "warning")
            var failed = false
            try await DatabaseRuntime.with(database, logger: logger) { runtime in
                let runner = CycleRunner(
                    database: runtime.database,
                    configuration: configuration,
                    summaryBuilder: try Cycle.summaryBuilder(for: runtime.database, configuration: configuration),
                    logger: logger
                )
                var week = first
                while week <= last {
                    for job in CycleJob.allCases {
                        let (attempt, result) = try await runner.runRecorded(
                            job,
                            week: week,
                            actor: "simulate",
                            runnerID: CycleScheduler.defaultRunnerID
                        )
                        print("\(week.monday.iso) \(job.rawValue): \(Cycle.describe(attempt, result))")
                        Cycle.details(result).forEach { print($0) }
                        if case .failed = attempt { failed = true }
                    }
                    week = week.next
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
