import Foundation

/// The ADT trigger events a feed may send. A01–A03, A08 and the cancels
/// change the bed state; A04 (register an outpatient) and A05 (pre-admit)
/// are acknowledged and ignored, since neither puts anyone in a bed.
public enum ADTTrigger: String, Hashable, Sendable, Codable, CaseIterable {
    case admit = "A01"
    case transfer = "A02"
    case discharge = "A03"
    case register = "A04"
    case preAdmit = "A05"
    case update = "A08"
    case cancelAdmit = "A11"
    case cancelTransfer = "A12"
    case cancelDischarge = "A13"

    /// Whether the event changes the bed state (the others are acknowledged only).
    public var isApplied: Bool { self != .register && self != .preAdmit }
}

/// Where a patient is: PV1-3 (or PV1-6, the prior location). The facility
/// (component 4) names the site through the feed's facility mapping.
public struct BedLocation: Hashable, Sendable, Codable {
    public var ward: String
    public var room: String?
    public var bed: String?
    public var facility: String?

    public init(ward: String, room: String? = nil, bed: String? = nil, facility: String? = nil) {
        self.ward = ward
        self.room = room
        self.bed = bed
        self.facility = facility
    }
}

/// One ADT message as the bed state needs it: what happened, to whom, where
/// and when. Built by ``ADTEvent/init(message:)`` from a parsed message, or
/// from a FHIR Encounter; stored beside the message so the bed state can be
/// folded again from the stored events in event-time order.
public struct ADTEvent: Hashable, Sendable, Codable {
    public var trigger: ADTTrigger
    /// MSH-10: with the sending facility, what makes a message a duplicate.
    public var controlID: String
    /// MSH-4 (its first component).
    public var sendingFacility: String
    /// EVN-6 (when it happened), else EVN-2 (when it was recorded), else MSH-7.
    public var eventTime: Date
    public var nhsNumber: NHSNumber?
    public var localPatientID: String?
    public var familyName: String?
    public var givenName: String?
    public var dateOfBirth: CalendarDate?
    /// PV1-2: `I` inpatient; other classes (outpatient, emergency…) never take a bed here.
    public var patientClass: String?
    public var location: BedLocation?
    public var priorLocation: BedLocation?
    /// PV1-19: the hospital spell the events belong to.
    public var visitNumber: String
    /// PV1-36.
    public var dischargeDisposition: String?
    public var admitTime: Date?
    public var dischargeTime: Date?

    public init(
        trigger: ADTTrigger,
        controlID: String,
        sendingFacility: String,
        eventTime: Date,
        nhsNumber: NHSNumber? = nil,
        localPatientID: String? = nil,
        familyName: String? = nil,
        givenName: String? = nil,
        dateOfBirth: CalendarDate? = nil,
        patientClass: String? = "I",
        location: BedLocation? = nil,
        priorLocation: BedLocation? = nil,
        visitNumber: String,
        dischargeDisposition: String? = nil,
        admitTime: Date? = nil,
        dischargeTime: Date? = nil
    ) {
        self.trigger = trigger
        self.controlID = controlID
        self.sendingFacility = sendingFacility
        self.eventTime = eventTime
        self.nhsNumber = nhsNumber
        self.localPatientID = localPatientID
        self.familyName = familyName
        self.givenName = givenName
        self.dateOfBirth = dateOfBirth
        self.patientClass = patientClass
        self.location = location
        self.priorLocation = priorLocation
        self.visitNumber = visitNumber
        self.dischargeDisposition = dischargeDisposition
        self.admitTime = admitTime
        self.dischargeTime = dischargeTime
    }

    /// The patient as every other table keys them: the NHS number when sent, else the local id.
    public var patientKey: PatientKey? { PatientKey(nhsNumber: nhsNumber, localPatientID: localPatientID) }

    /// Inpatients only take beds; a class that is not sent is taken as inpatient.
    public var isInpatient: Bool { patientClass.map { $0.uppercased() == "I" } ?? true }
}

/// Why a message cannot be used, with the HL7 field at fault: the ACK's
/// `ERR` segment names it. `reject` answers `AR` (the message is not one this
/// service takes at all), otherwise `AE`.
public struct ADTProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public let field: String
    public let reason: String
    public let reject: Bool

    public init(field: String, reason: String, reject: Bool = false) {
        self.field = field
        self.reason = reason
        self.reject = reject
    }

    public var description: String { "\(field): \(reason)" }
}

extension ADTEvent {
    /// The assigning authorities (PID-3.4) whose identifier is the NHS number.
    public static let nhsAuthorities: Set<String> = ["NHS", "NHSNUMBER", "NHS NUMBER", "2.16.840.1.113883.2.1.4.1"]
    /// HL7 versions this service reads.
    public static let versions: Set<String> = ["2.3", "2.3.1", "2.4", "2.5", "2.5.1"]

    /// Reads an ADT message. Throws ``ADTProblem`` naming the field that
    /// makes it unusable; never quotes patient values in the reason.
    public init(message: HL7Message) throws(ADTProblem) {
        guard let type = message.value("MSH", 9), type == "ADT" else {
            throw ADTProblem(field: "MSH-9", reason: "only ADT messages are taken", reject: true)
        }
        // 2.3 sends the trigger in MSH-9.2; later versions too (EVN-1 is the fallback).
        guard let code = message.value("MSH", 9, component: 2) ?? message.value("EVN", 1), let trigger = ADTTrigger(rawValue: code.uppercased()) else {
            throw ADTProblem(field: "MSH-9", reason: "trigger event must be one of A01, A02, A03, A04, A05, A08, A11, A12, A13", reject: true)
        }
        guard let version = message.value("MSH", 12), Self.versions.contains(version) else {
            throw ADTProblem(field: "MSH-12", reason: "version must be one of 2.3, 2.3.1, 2.4, 2.5, 2.5.1", reject: true)
        }
        guard let controlID = message.value("MSH", 10) else {
            throw ADTProblem(field: "MSH-10", reason: "the message control id is required")
        }
        guard let facility = message.value("MSH", 4) else {
            throw ADTProblem(field: "MSH-4", reason: "the sending facility is required")
        }
        let eventTime = HL7Time.date(message.value("EVN", 6)) ?? HL7Time.date(message.value("EVN", 2)) ?? HL7Time.date(message.value("MSH", 7))
        guard let eventTime else {
            throw ADTProblem(field: "EVN-2", reason: "an event time is required (EVN-6, EVN-2 or MSH-7 as YYYYMMDDHHMM[SS])")
        }
        guard let pid = message.segment("PID") else { throw ADTProblem(field: "PID", reason: "the PID segment is required") }
        guard let pv1 = message.segment("PV1") else { throw ADTProblem(field: "PV1", reason: "the PV1 segment is required") }

        var nhsNumber: NHSNumber?
        var localID: String?
        for identifier in message.repetitions(in: pid, 3) {
            guard let id = identifier.first ?? nil else { continue }
            let authority = identifier.count > 3 ? (identifier[3] ?? "").uppercased() : ""
            let type = identifier.count > 4 ? (identifier[4] ?? "").uppercased() : ""
            if Self.nhsAuthorities.contains(authority) || type == "NH" {
                do {
                    nhsNumber = try NHSNumber(parsing: id)
                } catch {
                    throw ADTProblem(field: "PID-3", reason: "the NHS number is not valid (\(error.kindDescription))")
                }
            } else if localID == nil {
                localID = id
            }
        }
        // 2.3 feeds often still send the NHS number in PID-2 (external id) or PID-19 (SSN).
        if nhsNumber == nil, localID == nil, let external = message.value(in: pid, 2) {
            localID = external
        }
        guard nhsNumber != nil || localID != nil else {
            throw ADTProblem(field: "PID-3", reason: "a patient identifier is required (NHS number with assigning authority NHS, or a local id)")
        }
        guard let visit = message.value(in: pv1, 19) else {
            throw ADTProblem(field: "PV1-19", reason: "the visit number (hospital spell) is required")
        }
        func bedLocation(_ field: Int) -> BedLocation? {
            guard let ward = message.value(in: pv1, field) else { return nil }
            return BedLocation(
                ward: ward,
                room: message.value(in: pv1, field, component: 2),
                bed: message.value(in: pv1, field, component: 3),
                // Without PV1-3.4 the sender is the place: a single-site PAS often leaves it out.
                facility: message.value(in: pv1, field, component: 4) ?? facility
            )
        }
        let location = bedLocation(3)
        if trigger == .admit || trigger == .transfer, location == nil {
            throw ADTProblem(field: "PV1-3", reason: "the assigned location (ward^room^bed^facility) is required for \(trigger.rawValue)")
        }
        var dateOfBirth: CalendarDate?
        if let text = message.value(in: pid, 7) {
            guard let born = HL7Time.date(String(text.prefix(8))) else {
                throw ADTProblem(field: "PID-7", reason: "the date of birth must be YYYYMMDD")
            }
            dateOfBirth = HL7Time.calendarDate(born)
        }
        func time(_ field: Int, _ name: String) throws(ADTProblem) -> Date? {
            guard let text = message.value(in: pv1, field) else { return nil }
            guard let date = HL7Time.date(text) else { throw ADTProblem(field: name, reason: "must be a date-time YYYYMMDDHHMM[SS]") }
            return date
        }
        self.init(
            trigger: trigger,
            controlID: controlID,
            sendingFacility: facility,
            eventTime: eventTime,
            nhsNumber: nhsNumber,
            localPatientID: localID,
            familyName: message.value(in: pid, 5),
            givenName: message.value(in: pid, 5, component: 2),
            dateOfBirth: dateOfBirth,
            patientClass: message.value(in: pv1, 2),
            location: location,
            priorLocation: bedLocation(6),
            visitNumber: visit,
            dischargeDisposition: message.value(in: pv1, 36),
            admitTime: try time(44, "PV1-44"),
            dischargeTime: try time(45, "PV1-45")
        )
    }
}

extension NHSNumberError {
    /// What was wrong, without the digits (the reason goes back to the sender and into the store).
    var kindDescription: String {
        switch self {
        case .nonDigit: return "a character that is not a digit"
        case .wrongLength: return "not ten digits"
        case .badCheckDigit: return "wrong check digit"
        }
    }
}
