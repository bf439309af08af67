import Foundation
import StrandedCore

/// A ward and the site it belongs to, as the board round needs it.
public struct BoardRoundWard: Sendable, Equatable {
    public let id: Int64
    public let code: String
    public let name: String?
    public let siteID: Int64
    public let siteCode: String
    public let siteName: String
}

/// One patient of a ward's board round on a date: who, from the latest list,
/// and the days recorded for the stay so far.
public struct BoardRoundPatient: Sendable, Equatable {
    /// The stay's case, when it has reached the stranded threshold.
    public let caseID: Int64?
    /// The stored patient key (it carries an NHS number: never for logs).
    public let patientKey: String
    public let nhsNumber: String?
    public let localPatientID: String?
    public let familyName: String?
    public let givenName: String?
    public let age: Int?
    public let admissionDate: CalendarDate
    /// Days from admission to the board round's date.
    public let lengthOfStay: Int
    /// Every day recorded for the stay, earliest first (the date's own included).
    public let days: [RecordedDay]

    /// What the date's board round recorded, if anything.
    public func day(on date: CalendarDate) -> RecordedDay? { days.first { $0.date == date } }

    /// "Family, Given" or a neutral label when the list gave no name.
    public var displayName: String {
        switch (familyName, givenName) {
        case let (family?, given?): return "\(family.uppercased()), \(given)"
        case let (family?, nil): return family.uppercased()
        case let (nil, given?): return given
        default: return "Patient admitted \(admissionDate.uk)"
        }
    }
}

/// One day to record for one stay.
public struct DayToRecord: Sendable, Equatable {
    public let patientKey: String
    public let admissionDate: CalendarDate
    public let caseID: Int64?
    public let day: RecordedDay

    public init(patientKey: String, admissionDate: CalendarDate, caseID: Int64?, day: RecordedDay) {
        self.patientKey = patientKey
        self.admissionDate = admissionDate
        self.caseID = caseID
        self.day = day
    }
}

/// Where a board round's days came from.
public enum DaySource: String, Sendable, Codable, CaseIterable {
    case page, api, `import`, demo
}

/// What recording a set of days changed.
public struct DayRecording: Sendable, Codable, Equatable {
    /// Days not recorded before.
    public var recorded = 0
    /// Days recorded before and now different (each audited before → after).
    public var corrected = 0
    /// Days sent again as they were.
    public var unchanged = 0

    public init(recorded: Int = 0, corrected: Int = 0, unchanged: Int = 0) {
        self.recorded = recorded
        self.corrected = corrected
        self.unchanged = unchanged
    }
}

/// One site's board-round days in one week (see ``RedDayStore/weeklyCounts(from:to:strandedDays:)``).
public struct RedDaySiteWeekCounts: Sendable, Equatable {
    public let week: CalendarDate
    public let siteCode: String
    public let organisationCode: String
    public let red: Int
    public let recorded: Int
    public let strandedRecorded: Int
    public let strandedRed: Int
}

/// Red days with one reason at one site in one week.
public struct RedReasonSiteWeekCounts: Sendable, Equatable {
    public let week: CalendarDate
    public let siteCode: String
    public let organisationCode: String
    public let reason: String
    public let red: Int
}
