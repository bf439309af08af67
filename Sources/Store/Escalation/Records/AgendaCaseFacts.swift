import StrandedCore

/// Who and where a case is, with its weekly forms up to a week.
public struct AgendaCaseFacts: Sendable, Codable, Equatable {
    public let caseID: Int64
    public let organisationID: Int64
    public let organisationName: String
    public let siteCode: String
    public let siteName: String
    public let patientKey: String
    public let nhsNumber: String?
    public let familyName: String?
    public let givenName: String?
    public let age: Int?
    public let admissionDate: CalendarDate
    /// Oldest first; the last is the latest week up to the one asked for.
    public let weeks: [CaseWeekFacts]
}
