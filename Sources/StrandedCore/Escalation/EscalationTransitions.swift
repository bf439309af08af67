import Foundation

/// A case's escalations as the state machine sees them: the latest
/// escalation at each level, or nil when the case was never escalated there.
///
/// The latest is enough: a case has at most one open escalation per level,
/// and a new one is opened only after the previous one closed, so an open
/// escalation is always the latest at its level.
public struct CaseEscalations: Hashable, Sendable {
    public var level2: EscalationState?
    public var chiefExecutive: EscalationState?

    public init(level2: EscalationState? = nil, chiefExecutive: EscalationState? = nil) {
        self.level2 = level2
        self.chiefExecutive = chiefExecutive
    }

    public subscript(level: EscalationLevel) -> EscalationState? {
        get { level == .level2 ? level2 : chiefExecutive }
        set { if level == .level2 { level2 = newValue } else { chiefExecutive = newValue } }
    }

    /// The states after `changes`.
    public func applying(_ changes: [EscalationChange]) -> CaseEscalations {
        var result = self
        for change in changes { result[change.level] = change.to }
        return result
    }
}

/// One escalation moving from one state to another.
public struct EscalationChange: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// A new escalation at the level (the previous one, if any, is closed).
        case open
        /// Closed by a decision.
        case resolve
        /// A resolution undone by the same week's meeting.
        case reopen
        /// Closed because the case closed.
        case closeOnDischarge = "close-discharged"
    }

    public var kind: Kind
    public var level: EscalationLevel
    /// The state of the escalation it changes; nil when it opens a new one.
    public var from: EscalationState?
    public var to: EscalationState
    /// The outcome to record with it (nil clears it: an open escalation has none).
    public var outcome: String?

    public var description: String {
        "\(kind.rawValue) \(level): \(from.map(String.init(describing:)) ?? "none") → \(to)"
    }
}

/// What an event does to a case's escalations.
public enum EscalationTransition: Hashable, Sendable {
    /// Apply these changes (none: the states stay as they are; for
    /// `rulesFired` that means the rules join the open escalation).
    case apply([EscalationChange])
    case refused(EscalationRefusal)

    public var changes: [EscalationChange] {
        if case let .apply(changes) = self { return changes }
        return []
    }
}

extension CaseEscalations {
    /// The escalation state machine: every way an escalation opens, closes
    /// or reopens, in one place. The stores read the current states, ask
    /// this, and write what it answers in the same transaction.
    public func transition(_ event: EscalationEvent) -> EscalationTransition {
        switch event {
        case let .rulesFired(level):
            if self[level]?.isOpen == true { return .apply([]) }
            return .apply([EscalationChange(kind: .open, level: level, from: nil, to: .open, outcome: nil)])

        case let .level2Decision(decision, week, notes):
            switch level2 {
            case .open?:
                guard decision == .resolved else { return .apply([]) }
                return .apply([resolve(.level2, in: week, outcome: Self.outcome("Resolved at Level 2", notes))])
            case .resolved(let closed)? where closed == week:
                // Changing the week's decision away from "resolved" reopens it.
                guard decision != .resolved else { return .apply([]) }
                return .apply([EscalationChange(kind: .reopen, level: .level2, from: level2, to: .open, outcome: nil)])
            case .resolved?, .closedOnDischarge?, nil:
                return .refused(.notEscalated(.level2))
            }

        case let .level2ActionAgreed(week):
            switch level2 {
            case .open?: return .apply([])
            case let closed? where closed.closedWeek == week: return .apply([])
            case _?, nil: return .refused(.notEscalated(.level2))
            }

        case let .chiefExecutiveDecision(decision, week, notes):
            guard chiefExecutive == .open else { return .refused(.notEscalated(.chiefExecutive)) }
            switch decision {
            case .keep:
                return .apply([])
            case .returnToLevel2:
                // Only the call's escalation closes: Level 2 carries on with the call's direction.
                return .apply([
                    resolve(
                        .chiefExecutive,
                        in: week,
                        outcome: Self.outcome("Returned to Level 2 by the chief executive call", notes)
                    )
                ])
            case .resolved:
                // The case de-escalates: everything open closes.
                let outcome = Self.outcome("Resolved at the chief executive call", notes)
                return .apply(EscalationLevel.allCases.filter { self[$0] == .open }.map { resolve($0, in: week, outcome: outcome) })
            }

        case let .caseClosed(closure):
            let week = ReviewWeek.containing(closure.date)
            return .apply(
                EscalationLevel.allCases.filter { self[$0] == .open }.map {
                    EscalationChange(kind: .closeOnDischarge, level: $0, from: .open, to: .closedOnDischarge(in: week), outcome: closure.outcome)
                }
            )
        }
    }

    private func resolve(_ level: EscalationLevel, in week: ReviewWeek, outcome: String) -> EscalationChange {
        EscalationChange(kind: .resolve, level: level, from: self[level], to: .resolved(in: week), outcome: outcome)
    }

    /// "What happened", followed by the meeting's notes when it wrote any.
    static func outcome(_ what: String, _ notes: String?) -> String {
        guard let notes = notes?.trimmingCharacters(in: .whitespacesAndNewlines), !notes.isEmpty else { return what }
        return "\(what): \(notes)"
    }
}
