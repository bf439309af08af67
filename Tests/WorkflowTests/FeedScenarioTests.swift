import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport
import Workflow

/// A fortnight of synthetic ADT (admissions, an acute → community transfer
/// inside one spell and another as discharge + admission from a second
/// sender, discharges, a cancelled discharge, a cancelled admission, a
/// duplicate, messages out of order) makes the same cases, journeys and
/// stranded counts as the equivalent CSV ward lists; the fed sites go through
/// the weekly cycle with no file.
@Suite("Hospital feeds: the weekly list from ADT equals the CSV list")
struct FeedScenarioTests {
    static func at(_ text: String) -> Date { HL7Time.date(text)! }

    /// In the order they arrive (not their event order).
    static var messages: [String] {
        let p1 = nhs(1), p2 = nhs(2), p3 = nhs(3), p4 = nhs(4), p5 = nhs(5), p7 = nhs(7)
        func m(
            _ trigger: ADTTrigger, _ id: String, _ time: String, _ nhsNumber: String?, _ visit: String, ward: String? = nil, facility: String = "ACU1",
            local: String? = nil, disposition: String? = nil, version: String = "2.4"
        ) -> String {
            var text = ADTMessageText.make(
                trigger, controlID: id, facility: facility, at: at(time), nhsNumber: nhsNumber, localID: local, visit: visit, ward: ward, bed: "B1",
                disposition: disposition, version: version, separator: version == "2.3" ? "\n" : "\r")
            if facility == "COM1", trigger == .transfer {
                // One PAS for both sites: the sender is the acute trust, the new bed names the community hospital.
                text = text.replacingOccurrences(of: "|PAS|COM1|", with: "|PAS|ACU1|")
            }
            return text
        }
        return [
            m(.admit, "1", "202610250900", p1, "V1", ward: "AMU"),
            m(.transfer, "2", "202610270900", p1, "V1", ward: "W1"),
            m(.admit, "3", "202610201000", p2, "V2", ward: "W1", version: "2.3"),
            // Out of order: P5's transfer arrives before its admission.
            m(.transfer, "5b", "202611101000", p5, "V5", ward: "W2"),
            m(.admit, "5a", "202610100800", p5, "V5", ward: "W1"),
            m(.admit, "6", "202611031100", nil, "V6", ward: "W2", local: "L6"),
            m(.admit, "7", "202611010900", p3, "V3", ward: "W2"),
            m(.admit, "8", "202611050900", p7, "V7", ward: "W1"),
            m(.cancelAdmit, "9", "202611051000", p7, "V7"),
            m(.transfer, "10", "202611120900", p1, "V1", ward: "REHAB", facility: "COM1"),
            m(.discharge, "11", "202611121000", p3, "V3", disposition: "19"),
            m(.cancelDischarge, "12", "202611121100", p3, "V3"),
            m(.discharge, "13", "202611131000", p2, "V2", disposition: "51", version: "2.3"),
            m(.admit, "C1", "202611131500", p2, "C2", ward: "REHAB", facility: "COM1", version: "2.3"),
            m(.admit, "14", "202611140900", p4, "V4", ward: "AMU"),
            m(.admit, "14", "202611140900", p4, "V4", ward: "AMU"),  // the same message again
            m(.discharge, "15", "202611151000", p4, "V4", disposition: "19"),
        ]
    }

    static func csvLists() -> [(date: String, text: String)] {
        let header = "site_code,ward_code,nhs_number,local_patient_id,spell_id,admission_date,family_name,given_name,date_of_birth\n"
        func row(_ site: String, _ ward: String, _ nhsNumber: String, _ local: String, _ spell: String, _ admitted: String) -> String {
            "\(site),\(ward),\(nhsNumber),\(local),\(spell),\(admitted),TESTPATIENT,ALEX,1940-01-01\n"
        }
        return [
            (
                "2026-11-09",
                header + row("ACU1", "W1", nhs(1), "", "V1", "2026-10-25") + row("ACU1", "W1", nhs(2), "", "V2", "2026-10-20")
                    + row("ACU1", "W1", nhs(5), "", "V5", "2026-10-10") + row("ACU1", "W2", nhs(3), "", "V3", "2026-11-01")
                    + row("ACU1", "W2", "", "L6", "V6", "2026-11-03")
            ),
            (
                "2026-11-16",
                header + row("ACU1", "W2", nhs(3), "", "V3", "2026-11-01") + row("ACU1", "W2", nhs(5), "", "V5", "2026-10-10")
                    + row("ACU1", "W2", "", "L6", "V6", "2026-11-03") + row("COM1", "REHAB", nhs(1), "", "V1", "2026-11-12")
                    + row("COM1", "REHAB", nhs(2), "", "C2", "2026-11-13")
            ),
        ]
    }

    struct Outcome: Equatable {
        var cases: [String]
        var journeys: Int
        var stranded: [String]
        var forms: Int
        var stays: [String]
    }

    static func outcome(_ database: Database, reports: [ImportReport]) async throws -> Outcome {
        let cases = try await database.client.query(
            """
            SELECT s.code || ' ' || c.patient_key || ' ' || c.admission_date || ' ' || c.status || ' ' || c.last_los
                   || ' ' || COALESCE(c.discharged_on::text, '-') || ' ' || (c.journey_id IS NOT NULL) AS line
            FROM patient_case c JOIN site s ON s.id = c.site_id ORDER BY line
            """
        ).map { try $0.decode("line", as: String.self) }
        let journeys: Int = try await database.client.query("SELECT count(*) AS n FROM journey")[0].decode("n")
        let forms: Int = try await database.client.query("SELECT count(*) AS n FROM level1_form")[0].decode("n")
        let stays = try await database.client.query(
            "SELECT s.code || ' ' || t.patient_key || ' ' || t.admission_date || ' ' || COALESCE(t.ended_on::text, 'open') || ' ' || COALESCE(t.destination, '-') AS line FROM stay t JOIN site s ON s.id = t.site_id ORDER BY line"
        ).map { try $0.decode("line", as: String.self) }
        let stranded = reports.flatMap { report in report.sites.map { "\(report.snapshotDate ?? "?") \($0.site) \($0.rows) \($0.stranded) \($0.superStranded)" } }
        return Outcome(cases: cases, journeys: journeys, stranded: stranded, forms: forms, stays: stays)
    }

    static func register(_ database: Database) async throws {
        try await SiteReferenceImporter(database: database).importCSV(
            """
            organisation_code,organisation_name,site_code,site_name,setting
            R9A,Northshire Hospitals,ACU1,Northshire General,acute
            R9B,Northshire Community,COM1,Riverside Community Hospital,community
            """
        )
    }

    @Test func theFeedMakesTheSameCasesJourneysAndCountsAsTheFiles() async throws {
        let fromFeed = try await TestCluster.withDatabase { database in
            try await Self.register(database)
            let store = FeedStore(database: database)
            try await store.mapFacility("ACU1", toSite: "ACU1")
            try await store.mapFacility("COM1", toSite: "COM1")
            let receiver = FeedReceiver(database: database)
            for message in Self.messages {
                let ack = try HL7Message(parsing: try await receiver.receiveHL7(message))
                #expect(ack.value("MSA", 1) == "AA", "\(ack.value("MSA", 3) ?? "")")
            }
            // Replaying the whole feed changes nothing.
            try await store.settle()
            let before = try await database.client.query("SELECT state::text AS s FROM feed_encounter ORDER BY encounter_key").map { try $0.decode("s", as: String.self) }
            for message in Self.messages { _ = try await receiver.receiveHL7(message) }
            try await store.settle()
            let after = try await database.client.query("SELECT state::text AS s FROM feed_encounter ORDER BY encounter_key").map { try $0.decode("s", as: String.self) }
            #expect(before == after)
            #expect(try await database.client.query("SELECT count(*) AS n FROM feed_message")[0].decode("n", as: Int.self) == Self.messages.count - 1)

            // The weekly cycle, with no file: the open-week job makes each week's list from the feed.
            var reports: [ImportReport] = []
            for monday in ["2026-11-09", "2026-11-16"] {
                let week = ReviewWeek(monday: CalendarDate(iso: monday)!)!
                let listTime = WeeklyTimetable.standard.instant(of: .listsDue, in: week)
                let runner = CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil, now: { listTime })
                let result = try await runner.run(.openWeek, week: week, actor: "test")
                #expect(result.message.contains("List from the feed: accepted"), "\(result.message)")
                let report: PostgresJSON<ImportReport> = try await database.client.query(
                    "SELECT report FROM import_file WHERE source = 'feed' AND snapshot_date = \(week.monday) AND verdict = 'accepted'"
                )[0].decode("report")
                reports.append(report.value)
            }
            return try await Self.outcome(database, reports: reports)
        }
        let fromFiles = try await TestCluster.withDatabase { database in
            try await Self.register(database)
            let fixture = try await ImportFixture(database: database)
            var reports: [ImportReport] = []
            for list in Self.csvLists() {
                let report = try await fixture.importText(list.text, snapshotDate: list.date)
                #expect(report.verdict == .accepted, "\(report.rowErrors)")
                reports.append(report)
            }
            // The same stays, as a stays extract would give them, so both sides hold the aim's data.
            return try await Self.outcome(database, reports: reports)
        }
        #expect(fromFeed.cases == fromFiles.cases)
        #expect(fromFeed.journeys == fromFiles.journeys)
        #expect(fromFeed.stranded == fromFiles.stranded)
        #expect(fromFeed.forms == fromFiles.forms)
        #expect(fromFeed.forms > 0)
        // Stays from the feed: every admission, the short one no list saw, no cancelled one.
        #expect(
            fromFeed.stays == [
                "ACU1 N:\(nhs(1)) 2026-10-25 2026-11-12 community-bed",
                "ACU1 N:\(nhs(2)) 2026-10-20 2026-11-13 other-acute",
                "ACU1 N:\(nhs(3)) 2026-11-01 open -",
                "ACU1 N:\(nhs(4)) 2026-11-14 2026-11-15 usual-residence",
                "ACU1 N:\(nhs(5)) 2026-10-10 open -",
                "ACU1 L:L6 2026-11-03 open -",
                "COM1 N:\(nhs(1)) 2026-11-12 open -",
                "COM1 N:\(nhs(2)) 2026-11-13 open -",
            ].sorted()
        )
    }

    @Test func unusableMessagesAreRefusedNamingTheFieldAndCounted() async throws {
        try await TestCluster.withDatabase { database in
            try await Self.register(database)
            let store = FeedStore(database: database)
            try await store.mapFacility("ACU1", toSite: "ACU1")
            let receiver = FeedReceiver(database: database)
            let good = ADTMessageText.make(.admit, controlID: "X1", facility: "ACU1", at: Self.at("202611101000"), nhsNumber: nhs(1), visit: "V1", ward: "W1")
            let unmapped = good.replacingOccurrences(of: "ACU1", with: "ZZZ9")
            var ack = try HL7Message(parsing: try await receiver.receiveHL7(unmapped))
            #expect(ack.value("MSA", 1) == "AE")
            #expect(ack.value("ERR", 1) == "PV1")
            #expect(ack.value("MSA", 3)?.contains("facility ZZZ9 is not mapped") == true)
            ack = try HL7Message(parsing: try await receiver.receiveHL7(good.replacingOccurrences(of: "|V1", with: "|")))
            #expect(ack.value("MSA", 1) == "AE")
            ack = try HL7Message(parsing: try await receiver.receiveHL7(good.replacingOccurrences(of: "|2.4", with: "|2.7")))
            #expect(ack.value("MSA", 1) == "AR")
            ack = try HL7Message(parsing: try await receiver.receiveHL7("not hl7 at all"))
            #expect(ack.value("MSA", 1) == "AR")
            ack = try HL7Message(parsing: try await receiver.receiveHL7(good))
            #expect(ack.value("MSA", 1) == "AA")
            // A04 is acknowledged and changes no bed.
            let register = ADTMessageText.make(.register, controlID: "X2", at: Self.at("202611101100"), nhsNumber: nhs(2), visit: "V2", ward: "OPD")
            ack = try HL7Message(parsing: try await receiver.receiveHL7(register))
            #expect(ack.value("MSA", 1) == "AA")
            try await store.settle()
            #expect(try await database.client.query("SELECT count(*) AS n FROM feed_encounter")[0].decode("n", as: Int.self) == 1)
            let errors: [String] = try await database.client.query("SELECT ack_code || ' ' || field AS e FROM feed_error ORDER BY id").map { try $0.decode("e") }
            #expect(errors == ["AE PV1-3", "AE PV1-19", "AR MSH-12", "AR MSH"])
            let health = try await store.health(since: Self.at("202601010000"))
            #expect(health.map(\.siteCode) == ["ACU1"])
            #expect(health.first?.errorsToday == 1)  // the missing visit number, at a mapped site
            #expect(health.first?.rejectsToday == 1)
            #expect(health.first?.messagesToday == 2)  // the admission and the A04, stored though it moves no one
            #expect(health.first?.inHospital == 1)
            // Nothing of the message body is kept for a refused message.
            let reasons: [String] = try await database.client.query("SELECT reason FROM feed_error").map { try $0.decode("reason") }
            #expect(!reasons.contains { $0.contains(nhs(1)) || $0.contains("TESTPATIENT") })
        }
    }
}
