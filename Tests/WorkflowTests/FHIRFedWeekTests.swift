import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport
import Workflow

/// A site whose patient administration system sends only FHIR Encounters
/// gets its weekly list, cases and Level 1 forms with no file.
@Suite("Hospital feeds: a site fed only by FHIR")
struct FHIRFedWeekTests {
    static func encounter(_ id: String, nhsNumber: String, admitted: String, ward: String, finished: String? = nil) throws -> FHIREncounterWrite {
        var resource: [String: Any] = [
            "resourceType": "Encounter", "id": id,
            "status": finished == nil ? "in-progress" : "finished",
            "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"],
            "subject": ["identifier": ["system": FHIREncounter.nhsNumberSystem, "value": nhsNumber]],
            "period": ["start": admitted].merging(finished.map { ["end": $0] } ?? [:]) { $1 },
            "location": [["location": ["identifier": ["value": ward]], "period": ["start": admitted]]],
            "serviceProvider": ["identifier": ["system": "https://fhir.nhs.uk/Id/ods-site-code", "value": "ACU1"]],
        ]
        let data = try JSONSerialization.data(withJSONObject: resource, options: [.sortedKeys])
        resource.removeAll()
        let spell = try JSONDecoder().decode(FHIREncounter.self, from: data).spell(id: id)
        return FHIREncounterWrite(id: id, spell: spell, resource: String(decoding: data, as: UTF8.self))
    }

    @Test func theWeeklyListComesFromTheEncountersAndOpensTheWeek() async throws {
        try await TestCluster.withDatabase { database in
            try await FeedScenarioTests.register(database)
            let store = FeedStore(database: database)
            try await store.mapFacility("ACU1", toSite: "ACU1")
            let mapping = try await store.mapping()
            _ = try await store.writeFHIR(
                [
                    try Self.encounter("e1", nhsNumber: nhs(1), admitted: "2026-10-25T09:00:00Z", ward: "W1"),  // 22 days by the list
                    try Self.encounter("e2", nhsNumber: nhs(2), admitted: "2026-11-10T09:00:00Z", ward: "W2"),  // 6 days
                    try Self.encounter("e3", nhsNumber: nhs(3), admitted: "2026-11-01T09:00:00Z", ward: "W2"),  // 15 days
                    try Self.encounter("e4", nhsNumber: nhs(4), admitted: "2026-10-01T09:00:00Z", ward: "W1", finished: "2026-11-12T10:00:00Z"),
                ],
                mapping: mapping
            )

            let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!
            let listTime = WeeklyTimetable.standard.instant(of: .listsDue, in: week)
            let runner = CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil, now: { listTime })
            let result = try await runner.run(.openWeek, week: week, actor: "test")
            #expect(result.message.contains("List from the feed: accepted"), "\(result.message)")

            let files: [String] = try await database.client.query(
                "SELECT source || ' ' || verdict AS line FROM import_file ORDER BY id"
            ).map { try $0.decode("line") }
            #expect(files == ["feed accepted"])
            // Everyone in a bed is on the list; the discharged patient is not.
            let report: PostgresJSON<ImportReport> = try await database.client.query(
                "SELECT report FROM import_file WHERE source = 'feed'"
            )[0].decode("report")
            #expect(report.value.sites.map { "\($0.site) \($0.rows) \($0.stranded) \($0.superStranded)" } == ["ACU1 3 2 1"])
            let cases: Int = try await database.client.query("SELECT count(*) AS n FROM patient_case")[0].decode("n")
            #expect(cases == 2)
            // The two stranded patients (7 days or more) have the week's Level 1 form.
            let forms: Int = try await database.client.query("SELECT count(*) AS n FROM level1_form")[0].decode("n")
            #expect(forms == 2)
        }
    }
}
