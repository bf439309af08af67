import Foundation
import Testing

@testable import StrandedCore

/// A FHIR R4 Encounter read into the spell the bed state keeps.
@Suite("FHIR R4 Encounter to a spell")
struct FHIREncounterTests {
    static let nhsNumber = "9990000018"

    static func encounter(_ changes: (inout [String: Any]) -> Void = { _ in }) throws -> FHIREncounter {
        var resource: [String: Any] = [
            "resourceType": "Encounter",
            "status": "in-progress",
            "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"],
            "subject": ["identifier": ["system": FHIREncounter.nhsNumberSystem, "value": nhsNumber]],
            "period": ["start": "2026-11-20T09:00:00+00:00"],
            "location": [
                ["location": ["identifier": ["value": "W2"]], "period": ["start": "2026-11-22T10:00:00+00:00"]],
                ["location": ["identifier": ["value": "AMU"]], "period": ["start": "2026-11-20T09:00:00+00:00"]],
            ],
            "serviceProvider": ["identifier": ["system": "https://fhir.nhs.uk/Id/ods-site-code", "value": "ACU1"]],
        ]
        changes(&resource)
        return try JSONDecoder().decode(FHIREncounter.self, from: JSONSerialization.data(withJSONObject: resource))
    }

    static func problem(_ encounter: FHIREncounter) -> FHIREncounter.Problem? {
        do {
            _ = try encounter.spell(id: "e1")
            return nil
        } catch {
            return error
        }
    }

    @Test func wardStaysAreOrderedAndEachEndsWhereTheNextBegins() throws {
        let spell = try Self.encounter().spell(id: "e1")
        #expect(spell.status == .inHospital)
        #expect(spell.nhsNumber?.digits == Self.nhsNumber)
        #expect(spell.wardStays.map(\.location.ward) == ["AMU", "W2"])
        #expect(spell.wardStays.map(\.location.facility) == ["ACU1", "ACU1"])
        #expect(spell.wardStays[0].to == spell.wardStays[1].from)
        #expect(spell.wardStays[1].to == nil)
    }

    @Test func aFinishedEncounterEndsItsLastWardStayAndNeedsAnEnd() throws {
        let finished = try Self.encounter {
            $0["status"] = "finished"
            $0["period"] = ["start": "2026-11-20T09:00:00+00:00", "end": "2026-11-24T12:00:00Z"]
        }.spell(id: "e1")
        #expect(finished.status == .discharged)
        #expect(finished.dischargedAt == FHIRTime.date("2026-11-24T12:00:00Z"))
        #expect(finished.wardStays.last?.to == finished.dischargedAt)
        #expect(Self.problem(try Self.encounter { $0["status"] = "finished" })?.expression == "Encounter.period.end")
    }

    @Test func aCancelledEncounterHoldsNoBed() throws {
        let cancelled = try Self.encounter { $0["status"] = "entered-in-error" }.spell(id: "e1")
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.wardStays.isEmpty && cancelled.admittedAt == nil)
    }

    @Test func eachRefusalNamesTheElementToFix() throws {
        #expect(Self.problem(try Self.encounter { $0["class"] = ["code": "AMB"] })?.expression == "Encounter.class")
        #expect(Self.problem(try Self.encounter { $0["status"] = "sleeping" })?.expression == "Encounter.status")
        #expect(
            Self.problem(try Self.encounter { $0["subject"] = ["identifier": ["system": FHIREncounter.nhsNumberSystem, "value": "9990000017"]] })?
                .expression == "Encounter.subject.identifier.value")
        #expect(Self.problem(try Self.encounter { $0["serviceProvider"] = nil })?.expression == "Encounter.serviceProvider")
        #expect(Self.problem(try Self.encounter { $0["period"] = ["start": "yesterday"] })?.expression == "Encounter.period.start")
        #expect(Self.problem(try Self.encounter { $0["location"] = [] })?.expression == "Encounter.location")
        // The reason never quotes the number it refuses.
        let badNumber = Self.problem(try Self.encounter { $0["subject"] = ["identifier": ["system": FHIREncounter.nhsNumberSystem, "value": "9990000017"]] })
        #expect(badNumber?.reason.contains("9990000017") == false)
    }
}
