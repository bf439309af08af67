import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport

@testable import Workflow

@Suite("Board-round days: recording, corrections and the audit, the escalation")
struct RedDayServiceTests {
    /// Ward W1 on 16 Nov: Adams (LoS 15, a case), Brown (LoS 6, not yet). Cole on W2.
    static let list = ReviewCycleTests.week1
    static let week = ReviewCycleTests.monday1
    /// Wednesday 18 Nov 2026, midday: the week's Level 1 deadline day.
    static let now = ISO8601DateFormatter().date(from: "2026-11-18T12:00:00Z")!
    static let wednesday = CalendarDate(iso: "2026-11-18")!

    struct Setup {
        let database: Database
        let service: RedDayService
        let ward: BoardRoundWard
        let adams: BoardRoundPatient
        let brown: BoardRoundPatient
    }

    static func setUp(_ database: Database) async throws -> Setup {
        let fixture = try await ImportFixture(database: database)
        #expect(try await fixture.importText(list, snapshotDate: "2026-11-16").verdict == .accepted)
        let service = RedDayService(database: database, policy: .standard)
        let wardID: Int64 = try await database.client.query("SELECT id FROM ward WHERE code = 'W1'")[0].decode("id")
        let ward = try #require(try await service.ward(id: wardID, scope: .all))
        let patients = try await service.patients(ward: ward, date: wednesday)
        #expect(patients.map(\.familyName) == ["Adams", "Brown"])
        #expect(patients[0].caseID != nil && patients[1].caseID == nil)
        #expect(patients[0].lengthOfStay == 17)
        return Setup(database: database, service: service, ward: ward, adams: patients[0], brown: patients[1])
    }

    static func stay(_ p: BoardRoundPatient) -> DayTarget { .stay(patientKey: p.patientKey, admissionDate: p.admissionDate) }

    @Test func aBoardRoundIsRecordedSentAgainUnchangedAndCorrectedWithTheAudit() async throws {
        try await TestCluster.withDatabase { database in
            let s = try await Self.setUp(database)
            let first = try await s.service.record(
                ward: s.ward,
                date: Self.wednesday,
                entries: [
                    DayEntryInput(target: Self.stay(s.adams), status: "red", reason: "awaiting-placement"),
                    DayEntryInput(target: Self.stay(s.brown), status: "green", reason: nil),
                ],
                source: .page,
                by: "Sister Jones",
                now: Self.now
            )
            #expect(first == .recorded(DayRecording(recorded: 2)))
            let again = try await s.service.record(
                ward: s.ward,
                date: Self.wednesday,
                entries: [DayEntryInput(target: Self.stay(s.adams), status: "red", reason: "awaiting-placement")],
                source: .page,
                by: "Sister Jones",
                now: Self.now
            )
            #expect(again == .recorded(DayRecording(unchanged: 1)))
            // Monday, two days back: within the window, so a correction.
            let corrected = try await s.service.record(
                ward: s.ward,
                date: Self.wednesday,
                entries: [DayEntryInput(target: .caseReference(CaseReference(caseID: s.adams.caseID!)), status: "green", reason: "")],
                source: .api,
                by: "Whiteboard",
                now: Self.now.addingTimeInterval(86_400 * 2)
            )
            #expect(corrected == .recorded(DayRecording(corrected: 1)))
            let audit = try await AuditTrail(database: database).search(AuditQuery(entityType: "board_round_day"))
            #expect(audit.count == 1)
            #expect(audit[0].action == "correct")
            #expect(audit[0].caseID == s.adams.caseID)
            #expect(audit[0].before?.contains("awaiting-placement") == true)
            #expect(audit[0].after?.contains("green") == true)
            #expect(try await AuditTrail(database: database).search(AuditQuery(entityType: "board_round")).count == 3)
            let days = try await s.service.days(caseIDs: [s.adams.caseID!])
            #expect(days[s.adams.caseID!] == [RecordedDay(date: Self.wednesday, status: .green)])
        }
    }

    @Test func aSavedFormTakesItsStatusFromTheWeeksDays() async throws {
        try await TestCluster.withDatabase { database in
            let s = try await Self.setUp(database)
            let caseID = try #require(s.adams.caseID)
            #expect(
                try await s.service.record(
                    ward: s.ward,
                    date: Self.wednesday,
                    entries: [DayEntryInput(target: Self.stay(s.adams), status: "red", reason: "awaiting-placement")],
                    source: .page,
                    by: "Sister Jones",
                    now: Self.now
                ) == .recorded(DayRecording(recorded: 1))
            )
            let expected = WeekOfDays(days: try await s.service.days(caseIDs: [caseID])[caseID] ?? [], week: Self.week, upTo: Self.week.sunday).status
            #expect(expected == .red)
            let row = try await database.client.query("SELECT id, version, review::text AS review FROM level1_form WHERE case_id = \(caseID)")[0]
            var review = try JSONDecoder().decode(Level1Review.self, from: Data(try row.decode("review", as: String.self).utf8))
            review.status = .green
            // The client's status gives way to the board round's days.
            guard case let .saved(saved) = try await ReviewService(database: database, policy: .standard)
                .saveDraft(id: try row.decode("id"), version: try row.decode("version"), review: review, by: "Nurse")
            else {
                Issue.record("the draft saves")
                return
            }
            #expect(saved.review.status == .red)
        }
    }

    @Test func outsideTheWindowOrWrongEntriesRecordNothing() async throws {
        try await TestCluster.withDatabase { database in
            let s = try await Self.setUp(database)
            let late = try await s.service.record(
                ward: s.ward,
                date: Self.wednesday,
                entries: [DayEntryInput(target: Self.stay(s.adams), status: "green", reason: nil)],
                source: .page,
                by: "Nurse",
                now: Self.now.addingTimeInterval(86_400 * 8)
            )
            guard case let .refused(date?, []) = late else {
                Issue.record("expected the date refused, got \(late)")
                return
            }
            #expect(date.field == "date")
            let wrong = try await s.service.record(
                ward: s.ward,
                date: Self.wednesday,
                entries: [
                    DayEntryInput(target: .nhsNumber(nhs(1)), status: "red", reason: nil),
                    DayEntryInput(target: .nhsNumber(nhs(3)), status: "green", reason: nil),  // Cole is on W2
                    DayEntryInput(target: Self.stay(s.brown), status: "green", reason: nil),
                ],
                source: .api,
                by: "Whiteboard",
                now: Self.now
            )
            guard case let .refused(nil, rows) = wrong else {
                Issue.record("expected rows refused, got \(wrong)")
                return
            }
            #expect(rows.map(\.index) == [0, 1])
            #expect(rows.map(\.field) == ["reason", "patient"])
            #expect(try await database.client.query("SELECT count(*) AS n FROM board_round_day")[0].decode("n", as: Int.self) == 0)
        }
    }

    @Test func threeRedDaysInARowBringTheCaseToLevel2WithTheReasons() async throws {
        try await TestCluster.withDatabase { database in
            let s = try await Self.setUp(database)
            for (offset, reason) in [(0, "awaiting-social-care-assessment"), (1, "awaiting-package-of-care")] {
                _ = try await s.service.record(
                    ward: s.ward,
                    date: Self.week.day(offset),
                    entries: [DayEntryInput(target: Self.stay(s.adams), status: "red", reason: reason)],
                    source: .page,
                    by: "Nurse",
                    now: Self.now
                )
            }
            // Two red days: the snapshot the deadline would see does not fire (the run of 2 vs 3 is in the unit tests).
            let two = try await s.service.days(caseIDs: [s.adams.caseID!])[s.adams.caseID!] ?? []
            #expect(RedDayCounts(days: two, week: Self.week).longestRun == 2)
            let applier = EscalationApplier(database: database, policy: .standard)
            _ = try await s.service.record(
                ward: s.ward,
                date: Self.wednesday,
                entries: [DayEntryInput(target: Self.stay(s.adams), status: "red", reason: "awaiting-package-of-care")],
                source: .page,
                by: "Nurse",
                now: Self.now
            )
            let three = try await applier.applyLevel1Deadline(week: Self.week, actor: "test")
            let adams = try #require(three.escalated.first { $0.caseID == s.adams.caseID })
            #expect(adams.rules.contains(.l2RedDays))
            let hits = try await database.client.query("SELECT rule_id, reason AS why FROM escalation_rule_hit ORDER BY id")
            let reason = try hits.first { try $0.decode("rule_id", as: String.self) == "L2-RED-DAYS" }?.decode("why", as: String.self)
            #expect(
                reason
                    == "3 consecutive red days, 2026-11-16 to 2026-11-18 (3 or more): Awaiting social care assessment; Awaiting package of care."
            )
            // The agenda carries the counts for the meeting.
            let agenda = try await Level2AgendaBuilder(database: database, policy: .standard).assemble(week: Self.week)
            let onAgenda = try #require(agenda.cases.first { $0.caseID == s.adams.caseID })
            #expect(onAgenda.redDays == RedDayCounts(thisWeek: 3, total: 3, longestRun: 3, recordedDays: 3))
        }
    }
}
