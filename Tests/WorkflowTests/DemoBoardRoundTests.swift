import Foundation
import Logging
import Postgres
import Reports
import StrandedCore
import TestSupport
import Testing

@testable import Store
@testable import Workflow

@Suite("Demo data: board rounds")
struct DemoBoardRoundTests {
    @Test func theDemoMarksEveryDayMostlyGreenWithRedRunsThatEscalate() async throws {
        try await TestCluster.withDatabase { database in
            let today = CalendarDate(iso: "2026-11-26")!  // a Thursday: the week's deadline has passed
            _ = try await DemoData(database: database, logger: Logger(label: "test")).loadIfEmpty(weeks: 2, today: today, configuration: .builtIn)
            let row = try await database.client.query(
                """
                SELECT count(*) AS days, count(*) FILTER (WHERE status = 'red') AS red, max(day)::text AS latest,
                       (SELECT count(*) FROM escalation_rule_hit WHERE rule_id = 'L2-RED-DAYS') AS escalated
                FROM board_round_day
                """
            )[0]
            let days: Int = try row.decode("days")
            let red: Int = try row.decode("red")
            #expect(days > 1000)
            #expect(red * 100 / days >= 5 && red * 100 / days <= 30)
            #expect(try row.decode("latest", as: String.self) == today.iso)
            #expect(try row.decode("escalated", as: Int.self) > 0)
        }
    }

    @Test func theDemoHasStaysForTheAcuteSitesSoTheAimIsMeasured() async throws {
        try await TestCluster.withDatabase { database in
            let today = CalendarDate(iso: "2026-11-26")!
            _ = try await DemoData(database: database, logger: Logger(label: "test")).loadIfEmpty(weeks: 3, today: today, configuration: .builtIn)
            let week = CalendarDate(iso: "2026-11-09")!  // the demo's first list week, complete by the 26th
            let aim = try await AimFigures(database: database, thresholds: .standard)
                .weeks(scope: .system, code: nil, from: week, to: week, today: today)
            let figure = try #require(aim?.first)
            #expect(figure.admissions > 100)
            let share = try #require(figure.share)
            #expect(share >= 0.80 && share <= 0.95)
            // Only acute sites have stays.
            let community = try await database.client.query(
                "SELECT count(*) AS n FROM stay t JOIN site s ON s.id = t.site_id WHERE s.setting <> 'acute'"
            )[0].decode("n", as: Int.self)
            #expect(community == 0)
        }
    }

    @Test func aDelayedPatientHasRunsAndTheSameDayAlwaysReadsTheSame() {
        let patient = BoardRoundPatient(
            caseID: 1,
            patientKey: "N:9990000018",
            nhsNumber: "9990000018",
            localPatientID: nil,
            familyName: nil,
            givenName: nil,
            age: nil,
            admissionDate: CalendarDate(iso: "2026-10-01")!,
            lengthOfStay: 40,
            days: []
        )
        let dates = (0..<28).map { CalendarDate(iso: "2026-11-01")!.adding(days: $0) }
        let first = dates.map { DemoBoardRounds.day(for: patient, on: $0, reasons: .standard) }
        #expect(first == dates.map { DemoBoardRounds.day(for: patient, on: $0, reasons: .standard) })
        #expect(first.allSatisfy { $0.status == .green ? $0.reason == nil : RedDayPolicy.standard.reason($0.reason ?? "") != nil })
    }
}
