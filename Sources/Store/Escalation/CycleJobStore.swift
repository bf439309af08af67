import Foundation
import Postgres
import StrandedCore

/// One row of the scheduler's record: a job for a week.
public struct CycleJobRunRecord: Sendable, Codable, Equatable {
    public let job: CycleJob
    public let week: CalendarDate
    public let status: CycleJobRunStatus
    public let attempts: Int
    public let lastError: String?
    public let result: String?
    public let firstStartedAt: Date
    public let lastStartedAt: Date
    public let finishedAt: Date?
    public let nextAttemptAt: Date?
    public let runner: String
    public let trigger: CycleJobRunTrigger
}

/// What an attempt to run a job came to.
public enum CycleJobAttempt: Sendable, Equatable {
    /// Another process holds the job's lock: it is running it now.
    case busy
    /// Already succeeded for the week (and not forced).
    case alreadyDone
    /// Failed before and its retry time has not come yet.
    case waitingToRetry(until: Date)
    case succeeded(result: String)
    case failed(error: String, attempts: Int, nextAttemptAt: Date?)
}

/// The scheduler's job runs in PostgreSQL, and the lock that makes each run
/// exactly once across replicas.
public struct CycleJobStore: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// Runs `body` for (job, week) unless it is running elsewhere, done, or
    /// waiting to retry, and records what happened.
    ///
    /// The whole attempt happens inside one transaction holding a
    /// transaction-level advisory lock on (job, week): a second replica asking
    /// at the same moment gets `.busy` and moves on, and if this process dies
    /// mid-job the transaction and the lock go with it, leaving no "running"
    /// row behind, so the next start runs the job again (jobs are idempotent).
    /// `body` works on its own connections; the record is written with the
    /// lock still held, so a replica that gets the lock next sees it.
    ///
    /// - Parameters:
    ///   - force: run even if it already succeeded or is waiting to retry (a
    ///     person running it by hand).
    ///   - retryDelay: seconds to wait before the next attempt, given the
    ///     attempts so far; nil means do not retry automatically.
    public func attempt(
        job: CycleJob,
        week: ReviewWeek,
        runner: String,
        manual: Bool,
        force: Bool,
        now: Date,
        retryDelay: @Sendable (Int) -> TimeInterval?,
        _ body: @Sendable () async throws -> String
    ) async throws -> CycleJobAttempt {
        try await database.client.withTransaction { connection in
            guard try await connection.tryAdvisoryTransactionLock("cycle-job:\(job.rawValue):\(week.monday.iso)") else { return .busy }
            let existing = try await connection.query(
                """
                SELECT status, attempts, next_attempt_at FROM cycle_job_run WHERE job = \(job.rawValue) AND week = \(week.monday)
                """
            ).first
            let previousAttempts: Int = try existing?.decode("attempts") ?? 0
            if let existing, !force {
                if try existing.decodeRawValue("status", as: CycleJobRunStatus.self) == .succeeded { return .alreadyDone }
                let next: Date? = try existing.decode("next_attempt_at")
                guard let next else { return .waitingToRetry(until: .distantFuture) }
                if next > now { return .waitingToRetry(until: next) }
            }
            let attempts = previousAttempts + 1
            let trigger: CycleJobRunTrigger = manual ? .manual : .schedule
            let ran: Result<String, any Error>
            do {
                ran = .success(try await body())
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                ran = .failure(error)
            }
            // The job's result when it succeeded, its error when it failed.
            let outcome: (status: CycleJobRunStatus, message: String, nextAttemptAt: Date?)
            switch ran {
            case let .success(result): outcome = (.succeeded, result, nil)
            case let .failure(error): outcome = (.failed, "\(error)", retryDelay(attempts).map { now.addingTimeInterval($0) })
            }
            let result = outcome.status == .succeeded ? outcome.message : nil
            let lastError = outcome.status == .failed ? outcome.message : nil
            // A failure keeps the last success's result for the record; a success clears the error and the retry.
            try await connection.execute(
                """
                INSERT INTO cycle_job_run (job, week, status, attempts, result, last_error, first_started_at, last_started_at, finished_at,
                                           next_attempt_at, runner, trigger)
                VALUES (\(job.rawValue), \(week.monday), \(outcome.status.rawValue), \(attempts), \(result), \(lastError),
                        \(now), \(now), now(), \(outcome.nextAttemptAt), \(runner), \(trigger.rawValue))
                ON CONFLICT (job, week) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts,
                    result = COALESCE(EXCLUDED.result, cycle_job_run.result), last_error = EXCLUDED.last_error,
                    last_started_at = EXCLUDED.last_started_at, finished_at = now(), next_attempt_at = EXCLUDED.next_attempt_at,
                    runner = EXCLUDED.runner, trigger = EXCLUDED.trigger
                """
            )
            if manual { try await Self.auditManualRun(job: job, week: week, status: outcome.status, message: outcome.message, on: connection) }
            switch outcome.status {
            case .succeeded: return .succeeded(result: outcome.message)
            case .failed: return .failed(error: outcome.message, attempts: attempts, nextAttemptAt: outcome.nextAttemptAt)
            }
        }
    }

    /// A run started by hand is a person's action, so it is audited, with the
    /// job-run record and in its transaction.
    static func auditManualRun(
        job: CycleJob,
        week: ReviewWeek,
        status: CycleJobRunStatus,
        message: String,
        on connection: PostgresConnection
    ) async throws {
        struct Run: Encodable {
            let job: String
            let week: String
            let status: String
            let message: String
        }
        try await AuditTrail.record(
            AuditEntry(
                action: "run",
                entityType: "cycle_job_run",
                entityID: "\(job.rawValue)/\(week.monday.iso)",
                after: Run(job: job.rawValue, week: week.monday.iso, status: status.rawValue, message: message)
            ),
            on: connection
        )
    }

    /// The latest version `builtBy` froze for the week, for the jobs that
    /// freeze one (the Level 2 agenda, the chief executive summary); nil for
    /// the others, or when there is none.
    public func versionFrozen(by job: CycleJob, week: ReviewWeek, builtBy: String) async throws -> Int? {
        let rows: PostgresRows
        switch job {
        case .buildLevel2Agenda:
            rows = try await database.client.query(
                "SELECT max(version) AS version FROM level2_agenda WHERE week = \(week.monday) AND built_by = \(builtBy)"
            )
        case .buildChiefExecutiveSummary:
            rows = try await database.client.query(
                "SELECT max(version) AS version FROM ce_summary WHERE week_start = \(week.monday) AND built_by = \(builtBy)"
            )
        case .openWeek, .applyLevel1Deadline:
            return nil
        }
        guard let row = rows.first else { return nil }
        let version: Int? = try row.decode("version")
        return version
    }

    /// For each job, the latest week it has succeeded for.
    public func lastSucceeded() async throws -> [CycleJob: ReviewWeek] {
        var result: [CycleJob: ReviewWeek] = [:]
        for row in try await database.client.query(
            """
            SELECT job, max(week) AS week FROM cycle_job_run WHERE status = 'succeeded' GROUP BY job
            """
        ) {
            if let week = ReviewWeek(monday: try row.decode("week")) {
                result[try row.decodeRawValue("job", as: CycleJob.self)] = week
            }
        }
        return result
    }

    /// Failed runs still waiting for a retry, earliest first.
    public func pendingRetries() async throws -> [(job: CycleJob, week: ReviewWeek, at: Date)] {
        try await database.client.query(
            """
            SELECT job, week, next_attempt_at FROM cycle_job_run WHERE status = 'failed' AND next_attempt_at IS NOT NULL
            ORDER BY next_attempt_at
            """
        ).compactMap { row in
            guard let week = ReviewWeek(monday: try row.decode("week")) else { return nil }
            return (try row.decodeRawValue("job", as: CycleJob.self), week, try row.decode("next_attempt_at"))
        }
    }

    /// The latest runs, newest week first.
    public func runs(limit: Int = 60) async throws -> [CycleJobRunRecord] {
        try await database.client.query(
            """
            SELECT job, week, status, attempts, last_error, result, first_started_at, last_started_at, finished_at, next_attempt_at, runner, trigger
            FROM cycle_job_run ORDER BY week DESC, array_position(ARRAY['open-week','level1-deadline','level2-agenda','ce-summary'], job)
            LIMIT \(limit)
            """
        ).map { row in
            CycleJobRunRecord(
                job: try row.decodeRawValue("job", as: CycleJob.self),
                week: try row.decode("week"),
                status: try row.decodeRawValue("status", as: CycleJobRunStatus.self),
                attempts: try row.decode("attempts"),
                lastError: try row.decode("last_error"),
                result: try row.decode("result"),
                firstStartedAt: try row.decode("first_started_at"),
                lastStartedAt: try row.decode("last_started_at"),
                finishedAt: try row.decode("finished_at"),
                nextAttemptAt: try row.decode("next_attempt_at"),
                runner: try row.decode("runner"),
                trigger: try row.decodeRawValue("trigger", as: CycleJobRunTrigger.self)
            )
        }
    }
}
