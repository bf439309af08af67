/// A registered hospital site, as the validator needs it.
public struct SiteReference: Sendable, Equatable {
    public let id: Int64
    public let code: String
    public let setting: String

    public init(id: Int64, code: String, setting: String) {
        self.id = id
        self.code = code
        self.setting = setting
    }
}

/// One valid row of a ward list, typed: what the import turns a line into
/// and what the store keeps.
public struct WardListRow: Sendable, Equatable {
    public init(
        line: Int,
        site: SiteReference,
        wardCode: String,
        wardName: String?,
        nhsNumber: NHSNumber?,
        localPatientID: String?,
        admissionDate: CalendarDate,
        lengthOfStay: Int,
        spellID: String?,
        familyName: String?,
        givenName: String?,
        dateOfBirth: CalendarDate?,
        age: Int?,
        admissionMethod: String?,
        specialty: String?,
        setting: String,
        dischargeReadyDate: CalendarDate?,
        expectedDischargeDate: CalendarDate?,
        dischargePathway: Int?,
        delayReason: String?
    ) {
        self.line = line
        self.site = site
        self.wardCode = wardCode
        self.wardName = wardName
        self.nhsNumber = nhsNumber
        self.localPatientID = localPatientID
        self.admissionDate = admissionDate
        self.lengthOfStay = lengthOfStay
        self.spellID = spellID
        self.familyName = familyName
        self.givenName = givenName
        self.dateOfBirth = dateOfBirth
        self.age = age
        self.admissionMethod = admissionMethod
        self.specialty = specialty
        self.setting = setting
        self.dischargeReadyDate = dischargeReadyDate
        self.expectedDischargeDate = expectedDischargeDate
        self.dischargePathway = dischargePathway
        self.delayReason = delayReason
    }

    public let line: Int
    public let site: SiteReference
    public let wardCode: String
    public let wardName: String?
    public let nhsNumber: NHSNumber?
    public let localPatientID: String?
    public let admissionDate: CalendarDate
    public let lengthOfStay: Int
    public let spellID: String?
    public let familyName: String?
    public let givenName: String?
    public let dateOfBirth: CalendarDate?
    public let age: Int?
    public let admissionMethod: String?
    public let specialty: String?
    public let setting: String
    public let dischargeReadyDate: CalendarDate?
    public let expectedDischargeDate: CalendarDate?
    public let dischargePathway: Int?
    public let delayReason: String?

    /// Identifies the patient at the site (see ``PatientKey``).
    public var patientKey: PatientKey {
        // The validator refuses a row with neither identifier, so the empty
        // local id is only a fallback for rows made by hand.
        PatientKey(nhsNumber: nhsNumber, localPatientID: localPatientID) ?? .localPatientID("")
    }
}
