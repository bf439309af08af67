/// How the latest attempt at a job for a week ended.
///
/// The raw values are stored in `cycle_job_run.status` (its CHECK constraint
/// lists them), so they never change. A job that is running has no row yet:
/// its attempt is one transaction, written when it ends.
public enum CycleJobRunStatus: String, CaseIterable, Sendable, Codable {
    case succeeded
    /// Retried at `next_attempt_at` when there is one, else only by hand.
    case failed
}

/// What started a job run.
///
/// The raw values are stored in `cycle_job_run.trigger` (its CHECK constraint
/// lists them), so they never change.
public enum CycleJobRunTrigger: String, CaseIterable, Sendable, Codable {
    /// The scheduler, at the job's milestone (or on the next start after it).
    case schedule
    /// A person, with `stranded cycle run` or the page's button; audited.
    case manual
}
