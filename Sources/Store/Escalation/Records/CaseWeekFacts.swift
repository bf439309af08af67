import StrandedCore

/// One week's Level 1 form of a case, as the Level 2 agenda shows it.
public struct CaseWeekFacts: Sendable, Codable, Equatable {
    public let week: CalendarDate
    public let lengthOfStay: Int
    public let status: FormStatus
    public let review: Level1Review
    public let wardCode: String
    public let wardName: String?
}
