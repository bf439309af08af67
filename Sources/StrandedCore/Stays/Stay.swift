/// One hospital stay at a site: from admission to discharge or transfer out
/// of the site. Stays, not weekly census lists, are what the aim is measured
/// on, because a census never sees a patient admitted and gone between two lists.
public struct Stay: Hashable, Sendable, Codable {
    public var siteID: Int64
    /// The ward the stay is recorded against (at admission in an extract);
    /// kept as the site's code, since admissions wards often send no list.
    public var wardCode: String
    public var patientKey: String
    public var admissionDate: CalendarDate
    /// When the stay ended (discharge or transfer out of the site); nil while in hospital.
    public var endedOn: CalendarDate?
    public var destination: StayDestination?

    public init(
        siteID: Int64,
        wardCode: String,
        patientKey: String,
        admissionDate: CalendarDate,
        endedOn: CalendarDate?,
        destination: StayDestination?
    ) {
        self.siteID = siteID
        self.wardCode = wardCode
        self.patientKey = patientKey
        self.admissionDate = admissionDate
        self.endedOn = endedOn
        self.destination = destination
    }

    /// Whole days from admission to the end (a same-day discharge is 0); nil while open.
    public var lengthOfStay: Int? { endedOn.map { admissionDate.days(until: $0) } }

    /// Moved on out of acute care within `days` days: ended in time, and not
    /// by a transfer to another acute hospital, which only moves the stay.
    public func movedOn(withinDays days: Int) -> Bool {
        guard let lengthOfStay, destination != .otherAcute else { return false }
        return lengthOfStay < days
    }
}

/// Where a stay went when it ended, as a stays extract or a feed says.
public enum StayDestination: String, Hashable, Sendable, Codable, CaseIterable {
    case usualResidence = "usual-residence"
    case careHome = "care-home"
    case communityBed = "community-bed"
    case hospice
    /// Another acute hospital: the patient is still in acute care.
    case otherAcute = "other-acute"
    case died
    case other
}

/// Who wrote a stay: a stays extract now, a hospital feed (HL7 v2 or FHIR) later.
public enum StaySource: String, Hashable, Sendable, Codable, CaseIterable {
    case `import`
    case feed
    case demo
}
