import Foundation
import Postgres
import Reports
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport

@testable import Workflow

/// Three weekly lists (Mondays 2, 9 and 16 Nov 2026) for ACU1 (R9A) and COM1 (R9B).
///
/// | week  | ACU1 LoS        | 7+/21+ | COM1 LoS | 7+/21+ |
/// |-------|-----------------|--------|----------|--------|
/// | 2 Nov | 8, 25, 3        | 2 / 1  | 10       | 1 / 0  |
/// | 9 Nov | 15, 32, 10      | 3 / 1  | no list  |        |
/// | 16 Nov| 22, 17, 7       | 3 / 1  | 24, 21   | 2 / 2  |
enum SummaryLists {
    static let header = "site_code,ward_code,nhs_number,admission_date,family_name,given_name,age\n"
    static let week1 =
        header + """
            ACU1,W1,\(nhs(11)),2026-10-25,Adams,Ann,81
            ACU1,W1,\(nhs(12)),2026-10-08,Brown,Bob,90
            ACU1,W2,\(nhs(13)),2026-10-30,Cole,Cath,70
            COM1,C1,\(nhs(15)),2026-10-23,Evans,Eve,77
            """
    static let week2 =
        header + """
            ACU1,W1,\(nhs(11)),2026-10-25,Adams,Ann,81
            ACU1,W1,\(nhs(12)),2026-10-08,Brown,Bob,90
            ACU1,W2,\(nhs(13)),2026-10-30,Cole,Cath,70
            """
    static let week3 =
        header + """
            ACU1,W1,\(nhs(11)),2026-10-25,Adams,Ann,81
            ACU1,W2,\(nhs(13)),2026-10-30,Cole,Cath,70
            ACU1,W2,\(nhs(14)),2026-11-09,Dale,Dan,66
            COM1,C1,\(nhs(15)),2026-10-23,Evans,Eve,77
            COM1,C1,\(nhs(16)),2026-10-26,Ford,Fay,88
            """
    static let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!

    static func load(_ fixture: ImportFixture) async throws {
        for (text, date) in [(week1, "2026-11-02"), (week2, "2026-11-09"), (week3, "2026-11-16")] {
            #expect(try await fixture.importText(text, snapshotDate: date).verdict == .accepted)
        }
    }
}

@Suite("Chief executive summary: building, freezing, delivering")
struct SummaryServiceTests {
    /// Completes three of the week's five forms (two care package, one nursing
    /// home) and moves one completion before the Wednesday deadline.
    func completeForms(_ database: Database) async throws {
        let store = ReviewStore(database: database, policy: .standard)
        let ids = try await database.client.query(
            """
            SELECT f.id, f.version FROM level1_form f JOIN list_row r ON r.import_id = f.source_import AND r.line_no = f.source_line
            WHERE f.week_start = '2026-11-16' ORDER BY r.family_name
            """
        ).map { (try $0.decode("id", as: Int64.self), try $0.decode("version", as: Int.self)) }
        try #require(ids.count == 5)  // Adams, Cole, Dale, Evans, Ford
        for (index, reason) in [(0, DelayReasonCode.carePackageHome), (1, .carePackageHome), (3, .nursingHome)] {
            let result = try await store.save(id: ids[index].0, expectedVersion: ids[index].1, review: completeReview(reason: reason), by: "test")
            guard case .saved(let form) = result, form.status == .complete else {
                Issue.record("form not completed: \(result)")
                return
            }
        }
        // Adams's review was done on Tuesday (on time); the others after the deadline.
        try await database.client.execute("UPDATE level1_form SET completed_at = '2026-11-17 15:00+00' WHERE id = \(ids[0].0)")
        try await database.client.execute("UPDATE level1_form SET completed_at = '2026-11-19 10:00+00' WHERE id IN (\(ids[1].0), \(ids[3].0))")
    }

    @Test func headlineCountsAndChangesMatchTheLists() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await SummaryLists.load(fixture)
            try await completeForms(database)
            let service = EscalationSummaryService(database: database, policy: .standard, delivery: .none)
            let frozen = try await service.build(week: SummaryLists.week, builtBy: "Test Builder")
            let summary = frozen.summary
            // No stays held: the headline says the aim is not measured, not a census proxy.
            #expect(summary.aim == "Aim: 85–90% of acute admissions moved on within 0–6 days: not measured: needs admissions data.")
            #expect(frozen.html.contains("not measured: needs admissions data"))
            #expect(frozen.markdown.contains("not measured: needs admissions data"))
            // No board rounds held either: the summary says so rather than show 0 red days.
            #expect(summary.redDays == "Red bed-days, week of 2026-11-09: no board rounds recorded.")
            #expect(frozen.version == 1)

            let system = summary.headline.system
            #expect(system.stranded.current == 5)
            #expect(system.stranded.lastWeek == 3 && system.stranded.changeOnLastWeek == 2)
            #expect(system.stranded.fourWeekAverage == 3 && system.stranded.changeOnAverage == 2)  // (3 + 3) / 2
            #expect(system.superStranded.current == 3 && system.superStranded.changeOnLastWeek == 2)
            #expect(system.superStranded.fourWeekAverage == 1)

            let acu1 = try #require(summary.headline.sites.first { $0.code == "ACU1" })
            #expect(acu1.stranded.current == 3 && acu1.stranded.changeOnLastWeek == 0)
            #expect(acu1.stranded.fourWeekAverage == 2.5 && acu1.stranded.changeOnAverage == 0.5)
            let com1 = try #require(summary.headline.sites.first { $0.code == "COM1" })
            #expect(com1.stranded.current == 2 && com1.stranded.lastWeek == nil && com1.stranded.fourWeekAverage == 1)
            #expect(com1.superStranded.current == 2 && com1.superStranded.changeOnAverage == 2)
            #expect(summary.headline.organisations.map(\.code) == ["R9A", "R9B"])
            #expect(summary.headline.organisations.map(\.stranded.current) == [3, 2])

            #expect(summary.trend.count == 12)
            #expect(summary.trend.suffix(3).map { [$0.stranded, $0.superStranded] } == [[3, 1], [3, 1], [5, 3]])
            #expect(summary.trend.prefix(9).allSatisfy { !$0.reported })

            #expect(summary.level1.due == 5 && summary.level1.onTime == 1 && summary.level1.late == 2 && summary.level1.notCompleted == 2)
            #expect(summary.level1.onTimePercent == 20)
            #expect(summary.level1.deadline == "Wed 18 Nov 17:00")

            #expect(summary.delayReasons.map(\.agency) == [.socialCare, .both])
            #expect(summary.delayReasons[0].reasons.map(\.count) == [2])
            #expect(!summary.escalations.connected)
            #expect(frozen.html.contains("Escalation data not connected"))

            // No name or NHS number from the lists reaches any format.
            let outputs = [frozen.html, frozen.markdown, String(decoding: try frozen.json(), as: UTF8.self)]
            for output in outputs {
                for name in ["Adams", "Brown", "Cole", "Dale", "Evans", "Ford"] { #expect(!output.contains(name)) }
                for index in 11...16 { #expect(!output.contains(nhs(index))) }
            }
        }
    }

    @Test func rebuildingMakesANewVersionAndLeavesTheOldOneAsItWas() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await SummaryLists.load(fixture)
            let service = EscalationSummaryService(database: database, policy: .standard, delivery: .none)
            let first = try await service.build(week: SummaryLists.week, builtBy: "First")
            let activity = EscalationActivity(
                level2Opened: 3,
                level2Resolved: 1,
                level2Open: 2,
                chiefExecutiveOpened: 1,
                chiefExecutiveResolved: 0,
                chiefExecutiveOpen: 1
            )
            let synopsis = ReferredCaseSynopsis(
                caseID: 42,
                site: "Northshire General",
                ward: "W1",
                lengthOfStay: 22,
                age: 81,
                mainBarrier: "Awaiting care package",
                agency: .socialCare,
                actionsTried: ["Brokerage chased"],
                ask: "Fund a package this week"
            )
            let second = try await service.build(week: SummaryLists.week, activity: activity, referredCases: [synopsis], builtBy: "Second")
            #expect(second.version == 2)
            #expect(second.summary.referredCases.map(\.caseReference) == ["C-000042"])
            let stored = try #require(try await service.summary(week: SummaryLists.week, version: 1))
            #expect(stored == first)
            #expect(!stored.html.contains("C-000042"))
            #expect(try await service.summary(week: SummaryLists.week)?.version == 2)
            // The database refuses to rewrite a frozen version.
            await #expect(throws: PostgresError.self) {
                try await database.client.execute("UPDATE ce_summary SET html = 'changed' WHERE version = 1")
            }
            await #expect(throws: SummaryBuildError.blankBuilder) {
                try await service.build(week: SummaryLists.week, builtBy: "  ")
            }
            let listing = try await service.versions()
            #expect(listing.map(\.version) == [2, 1])
        }
    }

    @Test func twoBuildsAtOnceGetTwoVersions() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await SummaryLists.load(fixture)
            let service = EscalationSummaryService(database: database, policy: .standard, delivery: .none)
            async let a = service.build(week: SummaryLists.week, builtBy: "A", deliverNow: false)
            async let b = service.build(week: SummaryLists.week, builtBy: "B", deliverNow: false)
            let versions = try await [a.version, b.version].sorted()
            #expect(versions == [1, 2])
        }
    }

    @Test func outboxGetsThreeFilesPerVersionWrittenWhole() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await SummaryLists.load(fixture)
            let outbox = URL(fileURLWithPath: try makeScratchDirectory("summary-outbox")).appendingPathComponent("outbox")
            let service = EscalationSummaryService(database: database, policy: .standard, delivery: .init(outbox: outbox, initialBackoff: .zero))
            let frozen = try await service.build(week: SummaryLists.week, builtBy: "Outbox Test")
            let names = try FileManager.default.contentsOfDirectory(atPath: outbox.path).sorted()
            #expect(names == ["ce-summary-2026-11-16-v1.html", "ce-summary-2026-11-16-v1.json", "ce-summary-2026-11-16-v1.md"])
            #expect(try String(contentsOf: outbox.appendingPathComponent(names[0]), encoding: .utf8) == frozen.html)
            #expect(try String(contentsOf: outbox.appendingPathComponent(names[2]), encoding: .utf8) == frozen.markdown)
            let decoded = try SummaryJSON.decode(try Data(contentsOf: outbox.appendingPathComponent(names[1])))
            #expect(decoded == frozen.summary)
            let deliveries = try await service.store.deliveries(summaryIDs: [frozen.id])
            #expect(deliveries.map(\.status) == [.delivered])
        }
    }

    @Test func anUnwritableOutboxIsRetriedAndItsErrorKept() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await SummaryLists.load(fixture)
            // A file where the outbox directory should be: writing fails.
            let blocked = URL(fileURLWithPath: try makeScratchDirectory("summary-outbox-blocked")).appendingPathComponent("outbox")
            try Data("not a directory".utf8).write(to: blocked)
            let service = EscalationSummaryService(
                database: database,
                policy: .standard,
                delivery: .init(outbox: blocked, maxAttempts: 3, initialBackoff: .zero)
            )
            let frozen = try await service.build(week: SummaryLists.week, builtBy: "Outbox Test")
            var delivery = try #require(try await service.store.deliveries(summaryIDs: [frozen.id]).first)
            #expect(delivery.status == .pending && delivery.attempts == 1)
            #expect(delivery.lastError?.contains("outbox") == true)
            // Fixed by the operator; the next round delivers.
            try FileManager.default.removeItem(at: blocked)
            #expect(try await service.deliverDue() == 1)
            delivery = try #require(try await service.store.deliveries(summaryIDs: [frozen.id]).first)
            #expect(delivery.status == .delivered && delivery.attempts == 2 && delivery.lastError == nil)
        }
    }

    @Test func backoffDoublesUpToTheLimit() {
        let configuration = SummaryDeliveryConfiguration(initialBackoff: .seconds(30), maximumBackoff: .seconds(100))
        #expect(configuration.backoff(afterAttempts: 1) == .seconds(30))
        #expect(configuration.backoff(afterAttempts: 2) == .seconds(60))
        #expect(configuration.backoff(afterAttempts: 3) == .seconds(100))
        #expect(throws: SummaryDeliveryConfiguration.Problem.self) {
            try SummaryDeliveryConfiguration.fromEnvironment(environment: ["STRANDED_SUMMARY_WEBHOOK": "ftp://example.org/x"])
        }
        let configured = try? SummaryDeliveryConfiguration.fromEnvironment(
            outbox: nil,
            environment: ["STRANDED_OUTBOX": "/tmp/o", "STRANDED_SUMMARY_WEBHOOK": "https://example.org/hook"]
        )
        #expect(configured?.outbox?.path == "/tmp/o" && configured?.webhook?.host == "example.org")
    }
}
