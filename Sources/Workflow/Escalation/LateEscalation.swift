import Foundation
import Store
import StrandedCore

/// A ward's request for Level 2 made after the Level 1 deadline.
///
/// The deadline job has already read the week's forms by then, so without
/// this the form would say "Escalated to Level 2" while no meeting ever saw
/// the case. The request goes to the first meeting still to be held: this
/// week's if it has not started (its agenda, if already frozen, gains a new
/// version with the case marked as a late escalation), otherwise next week's.
public struct LateEscalation: Sendable {
    let database: Database
    let escalations: EscalationStore
    let level2: Level2Store
    let policy: StrandedPolicy
    let now: @Sendable () -> Date

    public init(database: Database, policy: StrandedPolicy, now: @escaping @Sendable () -> Date = { Date() }) {
        escalations = EscalationStore(database: database)
        level2 = Level2Store(database: database)
        self.policy = policy
        self.now = now
        self.database = database
    }

    /// The week whose Level 2 meeting a request made at `instant` for
    /// `formWeek`'s form reaches: that week's if its meeting has not started,
    /// else the first later week whose meeting has not.
    public static func meetingWeek(for formWeek: ReviewWeek, at instant: Date, timetable: WeeklyTimetable) -> ReviewWeek {
        var week = formWeek
        while timetable.instant(of: .level2Meeting, in: week) <= instant { week = week.next }
        return week
    }

    /// After a form is saved: if it asks for Level 2 and the week's deadline
    /// has passed, escalates the case to the next meeting still to be held
    /// and refreezes that meeting's agenda if it was already built. Returns
    /// the meeting's week, or nil when nothing was needed.
    @discardableResult
    public func saved(_ form: Level1FormRecord, actor: String) async throws -> ReviewWeek? {
        guard case let .escalateToLevel2(ask)? = form.review.outcome, !form.discharged else { return nil }
        let at = now()
        guard at > policy.timetable.instant(of: .level1Deadline, in: form.week) else { return nil }
        let meetingWeek = Self.meetingWeek(for: form.week, at: at, timetable: policy.timetable)
        let trimmed = ask.trimmingCharacters(in: .whitespacesAndNewlines)
        let asked = trimmed.isEmpty ? "(no ask given)" : trimmed
        let rule = FiredRule(
            rule: .l2WardAsked,
            reason: "Late escalation: the ward asked for Level 2 help after the Level 1 deadline of \(form.week.label): \(asked)"
        )
        switch try await escalations.escalateLate(caseID: form.caseID, formWeek: form.week, meetingWeek: meetingWeek, rule: rule, by: actor) {
        case .unchanged: return nil
        case .opened, .appended: break
        }
        // A frozen agenda stays as it was shown; the meeting gets a new version with the case on it.
        if try await !level2.agendaVersions(week: meetingWeek).isEmpty {
            _ = try await Level2AgendaBuilder(database: database, policy: policy, now: now).build(week: meetingWeek, actor: actor)
        }
        return meetingWeek
    }
}
