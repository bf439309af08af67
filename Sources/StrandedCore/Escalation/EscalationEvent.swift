import Foundation

/// Something that happens to a case's escalations.
public enum EscalationEvent: Hashable, Sendable {
    /// Escalation rules for `level` fired in `week` (the Level 1 deadline for
    /// Level 2; the chief executive summary job for the call, which is how a
    /// Level 2 referral reaches the call).
    case rulesFired(level: EscalationLevel)
    /// The Level 2 meeting recorded (or changed) its decision for the week;
    /// nil when it recorded only an ask or notes.
    case level2Decision(Level2Decision?, week: ReviewWeek, notes: String?)
    /// The Level 2 meeting agreed an action for the case in the week.
    case level2ActionAgreed(week: ReviewWeek)
    /// The chief executive call recorded a decision in the week.
    case chiefExecutiveDecision(ChiefExecutiveDecision, week: ReviewWeek, notes: String?)
    /// The case closed: the patient left, or a corrected list withdrew the stay.
    case caseClosed(CaseClosure)
}

/// Why a case closed, with the date its escalations close on.
public enum CaseClosure: Hashable, Sendable {
    /// Absent from the site's next list, or a discharge date arrived.
    case discharged(on: CalendarDate)
    /// A corrected list no longer shows the stay; `on` is the discharge date
    /// if one was recorded, else the day it was withdrawn.
    case withdrawn(on: CalendarDate)

    public var date: CalendarDate {
        switch self {
        case let .discharged(date), let .withdrawn(date): return date
        }
    }

    /// The outcome written on each escalation it closes.
    public var outcome: String {
        switch self {
        case let .discharged(date): return "Patient discharged on \(date.iso) (absent from the ward list)"
        case .withdrawn: return "Case withdrawn: a corrected ward list no longer shows the stay"
        }
    }
}

/// Why an event cannot happen to the case's escalations, in words for the
/// person who tried.
public enum EscalationRefusal: Error, Hashable, Sendable {
    /// The meeting or call at `level` can only record cases escalated to it:
    /// open there, or (for Level 2) closed in the meeting's week.
    case notEscalated(EscalationLevel)

    public func message(caseID: Int64) -> String {
        switch self {
        case let .notEscalated(level):
            let name = level == .level2 ? "Level 2" : "chief executive call"
            return "case \(CaseReference(caseID: caseID)) has no open \(name) escalation; only escalated cases can be recorded at that meeting"
        }
    }
}
