import Foundation
import StrandedCore

/// What the Level 1 deadline needs to know about one open case in a week:
/// the raw facts a `CaseSnapshot` is assembled from.
public struct DeadlineCaseFacts: Sendable {
    public let caseID: Int64
    public let formStatus: FormStatus
    public let review: Level1Review
    public let admissionDate: CalendarDate
    public let listedExpectedDischargeDate: CalendarDate?
    /// Completed reviews of earlier weeks (week, review).
    public let priorReviews: [(week: ReviewWeek, review: Level1Review)]
    /// When the form was opened (its week's list came in).
    public let openedAt: Date
}
