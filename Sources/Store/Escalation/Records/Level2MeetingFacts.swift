import Foundation
import StrandedCore

/// One week a case was on a Level 2 agenda, with what was recorded.
public struct Level2MeetingFacts: Sendable, Equatable {
    public let caseID: Int64
    public let week: ReviewWeek
    public let decision: Level2Decision?
    public let ask: String?
    public let notes: String?
    public let actionsAgreed: Int
}
