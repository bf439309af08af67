import Foundation

/// The scheduled jobs of the weekly cycle, each started by one milestone of
/// the ``WeeklyTimetable``.
///
/// The raw values are stable ids: the scheduler records "job X ran for week W"
/// under them (and takes a PostgreSQL advisory lock per job and week), so they
/// must never change once deployed.
public enum CycleJob: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Open the week once the lists are in: open and close cases, generate the
    /// Level 1 forms pre-filled from last week.
    case openWeek = "open-week"
    /// At the Level 1 deadline, apply the escalation rules and put the cases
    /// they fire on the Level 2 list.
    case applyLevel1Deadline = "level1-deadline"
    /// Build and freeze the Level 2 agenda.
    case buildLevel2Agenda = "level2-agenda"
    /// Build and freeze the chief executive summary.
    case buildChiefExecutiveSummary = "ce-summary"

    /// The stable id (the raw value).
    public var id: String { rawValue }

    /// The milestone whose instant makes the job due.
    public var trigger: Milestone {
        switch self {
        case .openWeek: return .listsDue
        case .applyLevel1Deadline: return .level1Deadline
        case .buildLevel2Agenda: return .level2AgendaBuilt
        case .buildChiefExecutiveSummary: return .chiefExecutiveSummaryBuilt
        }
    }

    public var label: String {
        switch self {
        case .openWeek: return "Open the review week"
        case .applyLevel1Deadline: return "Apply the Level 1 deadline"
        case .buildLevel2Agenda: return "Build the Level 2 agenda"
        case .buildChiefExecutiveSummary: return "Build the chief executive summary"
        }
    }

    public var description: String { rawValue }
}

/// One job that should run now, for one week.
public struct DueJob: Hashable, Sendable, Codable, CustomStringConvertible {
    public var week: ReviewWeek
    public var job: CycleJob
    /// When it became due (its milestone's instant in that week).
    public var dueAt: Date

    public init(week: ReviewWeek, job: CycleJob, dueAt: Date) {
        self.week = week
        self.job = job
        self.dueAt = dueAt
    }

    /// `"level1-deadline 2025-01-06"`.
    public var description: String { "\(job.rawValue) \(week)" }
}

extension WeeklyTimetable {
    /// The latest week whose `milestone` instant is at or before `now`.
    public func latestOccurrence(of milestone: Milestone, atOrBefore now: Date) -> ReviewWeek {
        let week = ReviewWeek.containing(now, timeZone: timeZone)
        return instant(of: milestone, in: week) <= now ? week : week.previous
    }

    /// Which (week, job) pairs should run now; a pure function so the
    /// scheduler's decisions can be tested without a clock or a database.
    ///
    /// For each job, the latest week whose trigger instant is at or before
    /// `now` is due unless `lastRun` already records that week (or a later
    /// one) for the job. Only that latest week is ever offered: when the daemon
    /// was down across a deadline, the missed job runs once on the next start,
    /// for the most recent week, and older weeks are not replayed, because
    /// escalating or building papers for a week whose meetings are over would
    /// put stale cases in front of people.
    ///
    /// - Parameters:
    ///   - now: the current instant.
    ///   - lastRun: for each job, the latest week it has completed for; a job
    ///     missing here has never run.
    ///   - earliestWeek: weeks before this are never due (set it to the week
    ///     the service went live, so a first start mid-week does not run last
    ///     week's deadline over an empty database).
    /// - Returns: the due jobs ordered by when they fell due, oldest first, so
    ///   a week is opened before its deadline is applied.
    public func dueJobs(now: Date, lastRun: [CycleJob: ReviewWeek], earliestWeek: ReviewWeek? = nil) -> [DueJob] {
        var due: [DueJob] = []
        for job in CycleJob.allCases {
            let week = latestOccurrence(of: job.trigger, atOrBefore: now)
            if let earliestWeek, week < earliestWeek { continue }
            if let done = lastRun[job], done >= week { continue }
            due.append(DueJob(week: week, job: job, dueAt: instant(of: job.trigger, in: week)))
        }
        return due.sorted { ($0.dueAt, CycleJob.allCases.firstIndex(of: $0.job)!) < ($1.dueAt, CycleJob.allCases.firstIndex(of: $1.job)!) }
    }

    /// The next instant after `now` at which some job falls due, with the
    /// jobs due then; the scheduler sleeps until it (and re-checks on wake,
    /// since a sleeping machine can oversleep).
    public func nextDue(after now: Date) -> (at: Date, jobs: [DueJob]) {
        let thisWeek = ReviewWeek.containing(now, timeZone: timeZone)
        var upcoming: [DueJob] = []
        for week in [thisWeek, thisWeek.next] {
            for job in CycleJob.allCases {
                let at = instant(of: job.trigger, in: week)
                if at > now { upcoming.append(DueJob(week: week, job: job, dueAt: at)) }
            }
        }
        let earliest = upcoming.map(\.dueAt).min()!
        return (earliest, upcoming.filter { $0.dueAt == earliest })
    }
}
