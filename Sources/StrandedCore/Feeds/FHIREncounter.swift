import Foundation

/// The part of a FHIR R4 `Encounter` (UK Core) the bed state reads: status,
/// class, period, subject's NHS number, the ward stays in `location[]`,
/// discharge disposition and the service provider (the facility). Everything
/// else in the resource is kept as sent, not read.
public struct FHIREncounter: Decodable, Sendable {
    public struct Coding: Decodable, Sendable {
        public var system: String?
        public var code: String?
    }
    public struct CodeableConcept: Decodable, Sendable {
        public var coding: [Coding]?
        public var text: String?
    }
    public struct Identifier: Decodable, Sendable {
        public var system: String?
        public var value: String?
    }
    public struct Reference: Decodable, Sendable {
        public var reference: String?
        public var identifier: Identifier?
        public var display: String?
    }
    public struct Period: Decodable, Sendable {
        public var start: String?
        public var end: String?
    }
    public struct Location: Decodable, Sendable {
        public var location: Reference
        public var status: String?
        public var period: Period?
    }
    public struct Hospitalization: Decodable, Sendable {
        public var dischargeDisposition: CodeableConcept?
    }

    public var resourceType: String
    public var id: String?
    public var status: String?
    public var `class`: Coding?
    public var period: Period?
    public var subject: Reference?
    public var location: [Location]?
    public var hospitalization: Hospitalization?
    public var serviceProvider: Reference?

    public static let nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number"

    /// A problem with the resource: the FHIRPath of the element and what to send instead.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public let expression: String
        public let reason: String
        public var description: String { "\(expression): \(reason)" }
    }

    /// The spell the Encounter describes, keyed by `id`. A FHIR Encounter is
    /// sent whole each time, so it replaces the spell's state rather than
    /// adding an event.
    public func spell(id: String) throws(Problem) -> FeedEncounter {
        guard resourceType == "Encounter" else { throw Problem(expression: "resourceType", reason: "must be Encounter") }
        guard let status else { throw Problem(expression: "Encounter.status", reason: "is required") }
        let state: FeedEncounter.Status
        switch status {
        case "in-progress", "onleave": state = .inHospital
        case "finished": state = .discharged
        case "cancelled", "entered-in-error", "planned", "arrived", "triaged": state = .cancelled
        default: throw Problem(expression: "Encounter.status", reason: "\(status) is not an R4 Encounter status")
        }
        guard let code = self.class?.code, ["IMP", "ACUTE", "NONAC"].contains(code.uppercased()) else {
            throw Problem(expression: "Encounter.class", reason: "only inpatient encounters (v3 ActCode IMP) take a bed here")
        }
        guard let identifier = subject?.identifier, identifier.system == Self.nhsNumberSystem, let value = identifier.value else {
            throw Problem(expression: "Encounter.subject.identifier", reason: "the patient's NHS number with system \(Self.nhsNumberSystem) is required")
        }
        let nhsNumber: NHSNumber
        do {
            nhsNumber = try NHSNumber(parsing: value)
        } catch {
            throw Problem(expression: "Encounter.subject.identifier.value", reason: "the NHS number is not valid (\(error.kindDescription))")
        }
        guard let facility = serviceProvider?.identifier?.value ?? serviceProvider?.reference?.split(separator: "/").last.map(String.init) else {
            throw Problem(expression: "Encounter.serviceProvider", reason: "the site (an identifier, e.g. its ODS site code) is required")
        }
        guard let admittedText = period?.start, let admitted = FHIRTime.date(admittedText) else {
            throw Problem(expression: "Encounter.period.start", reason: "the admission date-time is required (FHIR dateTime with a time zone)")
        }
        var ended: Date?
        if let end = period?.end {
            guard let date = FHIRTime.date(end), date >= admitted else {
                throw Problem(expression: "Encounter.period.end", reason: "must be a dateTime not before period.start")
            }
            ended = date
        }
        if state == .discharged, ended == nil { throw Problem(expression: "Encounter.period.end", reason: "a finished encounter needs its end") }
        var wardStays: [FeedEncounter.WardStay] = []
        for (index, entry) in (location ?? []).enumerated() {
            guard entry.status != "planned" else { continue }
            let ward = entry.location.identifier?.value ?? entry.location.display
            guard let ward, !ward.isEmpty else {
                throw Problem(expression: "Encounter.location[\(index)].location", reason: "the ward's code (identifier.value) is required")
            }
            guard let start = entry.period?.start.flatMap(FHIRTime.date) ?? (index == 0 ? admitted : nil) else {
                throw Problem(expression: "Encounter.location[\(index)].period.start", reason: "when the patient arrived on the ward is required")
            }
            wardStays.append(
                FeedEncounter.WardStay(location: BedLocation(ward: ward, facility: facility), from: start, to: entry.period?.end.flatMap(FHIRTime.date))
            )
        }
        wardStays.sort { $0.from < $1.from }
        if state != .cancelled, wardStays.isEmpty {
            throw Problem(expression: "Encounter.location", reason: "at least one ward (location with period) is required")
        }
        // Each ward stay ends where the next begins; the last ends with the encounter.
        for index in wardStays.indices {
            if index + 1 < wardStays.count { wardStays[index].to = wardStays[index + 1].from } else { wardStays[index].to = state == .discharged ? ended : nil }
        }
        return FeedEncounter(
            visitNumber: id,
            status: state,
            nhsNumber: nhsNumber,
            admittedAt: state == .cancelled ? nil : admitted,
            dischargedAt: state == .discharged ? ended : nil,
            dischargeDisposition: hospitalization?.dischargeDisposition?.coding?.first?.code,
            wardStays: state == .cancelled ? [] : wardStays,
            lastEventAt: nil
        )
    }
}

/// FHIR `dateTime`: a date, or a date-time with seconds and a zone.
public enum FHIRTime {
    public static func date(_ text: String) -> Date? {
        if text.count == 10, let day = CalendarDate(iso: text) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .london
            return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

extension FeedEncounter {
    public init(
        visitNumber: String,
        status: Status,
        nhsNumber: NHSNumber?,
        admittedAt: Date?,
        dischargedAt: Date?,
        dischargeDisposition: String?,
        wardStays: [WardStay],
        lastEventAt: Date?
    ) {
        self.init(visitNumber: visitNumber, status: status, wardStays: wardStays)
        self.nhsNumber = nhsNumber
        self.admittedAt = admittedAt
        self.dischargedAt = dischargedAt
        self.dischargeDisposition = dischargeDisposition
        self.lastEventAt = lastEventAt
    }
}
