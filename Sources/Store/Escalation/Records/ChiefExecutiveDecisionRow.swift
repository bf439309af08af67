import Foundation
import StrandedCore

/// A decision of the chief executive call about a case.
public struct ChiefExecutiveDecisionRow: Sendable, Codable, Equatable {
    public let caseID: Int64
    public let week: CalendarDate
    public let decision: ChiefExecutiveDecision
    public let notes: String
    public let recordedBy: String
    public let recordedAt: Date
}
