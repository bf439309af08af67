import Postgres
import StrandedCore

/// Which escalations belong to a week's meeting: the one definition the
/// Level 2 agenda's records, the chief executive call's list and its
/// records share.
enum MeetingEscalations {
    /// A condition on `escalation e`: at `level`, opened in or before `week`,
    /// and open at the meeting, given a rule hit that week (referred or
    /// escalated again), or closed in that week (so a decision just recorded
    /// stays in view).
    static func condition(level: EscalationLevel, week: ReviewWeek) -> PostgresQuery {
        """
        e.level = \(level) AND e.opened_week <= \(week.monday)
          AND (e.status = 'open' OR e.closed_week = \(week.monday)
               OR EXISTS (SELECT 1 FROM escalation_rule_hit h WHERE h.escalation_id = e.id AND h.week = \(week.monday)))
        """
    }
}
