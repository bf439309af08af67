import Foundation

/// Where one escalation stands. The raw values are the database's and the
/// JSON API's spelling.
public enum EscalationStatus: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// On the level's list: the meeting or call still has to act.
    case open = "open"
    /// Closed by a decision: resolved at Level 2 or at the chief executive
    /// call, or returned to Level 2 by the call.
    case resolved = "resolved"
    /// Closed because the patient left (absent from the next list) or a
    /// corrected list withdrew the stay.
    case closedOnDischarge = "closed-discharged"

    public var description: String { rawValue }
}

/// One escalation's place in its life: open, or closed in a week and how.
/// The week it closed matters: a Level 2 decision changed in the same week
/// can reopen it, and the week's meeting still shows it.
public enum EscalationState: Hashable, Sendable, CustomStringConvertible {
    case open
    case resolved(in: ReviewWeek)
    case closedOnDischarge(in: ReviewWeek)

    /// A state from its stored parts; nil when a closed status has no week
    /// (which the writers never leave behind).
    public init?(status: EscalationStatus, closedWeek: ReviewWeek?) {
        switch (status, closedWeek) {
        case (.open, _): self = .open
        case let (.resolved, week?): self = .resolved(in: week)
        case let (.closedOnDischarge, week?): self = .closedOnDischarge(in: week)
        case (.resolved, nil), (.closedOnDischarge, nil): return nil
        }
    }

    public var status: EscalationStatus {
        switch self {
        case .open: return .open
        case .resolved: return .resolved
        case .closedOnDischarge: return .closedOnDischarge
        }
    }

    /// The week it closed; nil while open.
    public var closedWeek: ReviewWeek? {
        switch self {
        case .open: return nil
        case let .resolved(week), let .closedOnDischarge(week): return week
        }
    }

    public var isOpen: Bool { self == .open }

    public var description: String {
        closedWeek.map { "\(status) in \($0)" } ?? status.rawValue
    }
}
