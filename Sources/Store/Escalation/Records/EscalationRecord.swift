import Foundation
import StrandedCore

/// An escalation with every rule hit it has collected.
public struct EscalationRecord: Sendable, Codable, Equatable {
    public let id: Int64
    public let caseID: Int64
    public let level: EscalationLevel
    public let openedWeek: CalendarDate
    public let openedAt: Date
    public let status: EscalationStatus
    public let closedWeek: CalendarDate?
    public let closedAt: Date?
    public let outcome: String?
    public var hits: [RuleHit]

    public struct RuleHit: Sendable, Codable, Equatable {
        public let rule: String
        public let week: CalendarDate
        public let reason: String
        public let firedAt: Date
        /// Fired after the Level 1 deadline, by a ward asking late.
        public var late: Bool = false
    }
}
