import Postgres
import StrandedCore

/// The SQL twin of ``WeeklyTimetable/formDue(week:openedAt:)``, for counts
/// made over many forms at once ("reviewed on time"): a form is due at its
/// week's Level 1 deadline or, when its list came in after that deadline,
/// the timetable's grace period after the form was opened (`created_at`).
/// Keep the two in step; `FormDueTests` checks they agree.
enum FormDueSQL {
    /// `CASE WHEN f.created_at > deadline THEN f.created_at + grace ELSE deadline END`,
    /// for a form table aliased `form` and a deadline expression (a column or a parameter).
    static func dueAt(form: String, deadline: PostgresQuery, graceHours: Int) -> PostgresQuery {
        let createdAt = PostgresQuery(unsafeSQL: "\(form).created_at")
        return """
            (CASE WHEN \(fragment: createdAt) > \(fragment: deadline)
                  THEN \(fragment: createdAt) + make_interval(hours => \(graceHours)::int)
                  ELSE \(fragment: deadline) END)
            """
    }
}
