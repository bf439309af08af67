/// What escalating one case did.
public enum EscalateOutcome: Sendable, Equatable {
    /// A new escalation was opened with the rules as its first hits.
    case opened(Int64)
    /// The case was already open at that level; this week's rules were added.
    case appended(Int64)
    /// This week's rules for the case and level were already recorded (a
    /// re-run), or the case is no longer open: nothing changed.
    case unchanged
}
