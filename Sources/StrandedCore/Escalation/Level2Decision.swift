import Foundation

/// What the Level 2 meeting decided about a case: the three
/// choices on the meeting's form.
public enum Level2Decision: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Unblocked: the case leaves the Level 2 list.
    case resolved = "resolved-at-level2"
    /// Stays on next week's Level 2 agenda.
    case keep = "keep-at-level2"
    /// Goes to the chief executive call with an ask.
    case referToChiefExecutive = "refer-to-ce"

    public var label: String {
        switch self {
        case .resolved: return "Resolved at Level 2"
        case .keep: return "Keep at Level 2"
        case .referToChiefExecutive: return "Refer to the chief executive call"
        }
    }

    public var description: String { rawValue }

    /// How one week's meeting counts for the chief executive rules
    /// (`CE-REFERRED`, `CE-STUCK`), given what was recorded for the case.
    ///
    /// "Keep at Level 2" is a decision only when the meeting agreed at least
    /// one action: keeping a case on the list with nothing agreed is exactly
    /// the "open at Level 2 without a decision" that `CE-STUCK` exists to
    /// catch. A case on the agenda with nothing recorded had no decision.
    public static func meetingOutcome(decision: Level2Decision?, ask: String?, notes: String?, actionsAgreed: Int) -> Level2MeetingOutcome {
        switch decision {
        case .referToChiefExecutive?:
            return .referredToChiefExecutive(ask: ask ?? "")
        case .resolved?:
            return .decided(summary: notes.flatMap { FormProblem.isBlank($0) ? nil : $0 } ?? "Resolved at Level 2")
        case .keep?:
            guard actionsAgreed > 0 else { return .noDecision }
            return .decided(summary: "Kept at Level 2 with \(actionsAgreed) action\(actionsAgreed == 1 ? "" : "s") agreed")
        case nil:
            return actionsAgreed > 0 ? .decided(summary: "\(actionsAgreed) action\(actionsAgreed == 1 ? "" : "s") agreed") : .noDecision
        }
    }

    /// What is wrong with a decision as recorded, or nil: a referral needs an ask.
    public static func problem(decision: Level2Decision?, ask: String?) -> String? {
        if decision == .referToChiefExecutive, FormProblem.isBlank(ask ?? "") {
            return "A referral to the chief executive call needs an ask: say what Level 2 needs the chief executives to do."
        }
        return nil
    }
}

/// What the chief executive call decided about a referred case.
public enum ChiefExecutiveDecision: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Unblocked: the case de-escalates (its chief executive and Level 2
    /// escalations close as resolved).
    case resolved = "resolved"
    /// Stays on the chief executive list.
    case keep = "keep-at-ce"
    /// Back to Level 2 with the call's direction; the chief executive
    /// escalation closes, the Level 2 one stays open.
    case returnToLevel2 = "return-to-level2"

    public var label: String {
        switch self {
        case .resolved: return "Resolved"
        case .keep: return "Keep on the chief executive list"
        case .returnToLevel2: return "Return to Level 2"
        }
    }

    public var description: String { rawValue }
}
