import Postgres
import StrandedCore

extension FormStatus {
    /// The statuses that count as done (``FormStatus/isDone``), as a
    /// parameter for `status = ANY(…)`: the rule stays in StrandedCore and
    /// the queries that count done forms read it from there.
    static var doneParameter: PostgresArray { PostgresArray(doneStatuses.map(\.rawValue)) }
}
