import Foundation
import StrandedCore

/// What Level 2 recorded for a case in a week.
public struct Level2CaseRecordRow: Sendable, Codable, Equatable {
    public let caseID: Int64
    public let week: CalendarDate
    public let decision: Level2Decision?
    public let ask: String?
    public let notes: String?
    public let recordedBy: String
    public let recordedAt: Date
}
