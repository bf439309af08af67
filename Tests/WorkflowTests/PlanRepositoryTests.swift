import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Workflow

/// The plan tracker against a real database: the seed's round trip, edits
/// and their audit rows, the append-only history, metrics.
@Suite("Plan repository")
struct PlanRepositoryTests {
    static let seed = try! PlanService.validated(try! PlanService.seedPlanData())

    @Test func seedRoundTripsWithTheDocumentedCounts() async throws {
        try await TestCluster.withDatabase { database in
            let service = PlanService(database: database, policy: .standard)
            let id = try await service.loadSeedPlanIfMissing()
            let loaded = try await service.repository.load(planID: id)
            #expect(loaded.priorities.count == 15)
            #expect(loaded.allActions.count == 46)
            #expect(loaded.allSubActions.count == 34)
            #expect(loaded.people.count == 13)
            #expect(loaded.allOutstandingTasks.count == 6)
            #expect(loaded.evaluationMetrics.count == 14)
            #expect(loaded.priorities.flatMap(\.delivered).count == 39)
            #expect(loaded.allActions.flatMap(\.progress).count == 54)
            #expect(loaded.allSubActions.flatMap(\.progress).count == 12)
            #expect(loaded.action("A4")?.due?.date == CalendarDate(iso: "2018-05-31"))
            #expect(loaded.action("H2")?.responsible == [.body("System Flow Executive")])
            #expect(loaded.validate().isEmpty)
            // Everything that went in comes back, in order.
            #expect(loaded == Self.seed)
            // Loading the seed again finds it rather than duplicating it.
            #expect(try await service.loadSeedPlanIfMissing() == id)
        }
    }

    @Test func importingTheSameTitleAgainIsRefused() async throws {
        try await TestCluster.withDatabase { database in
            let repository = PlanRepository(database: database)
            try await repository.importPlan(Self.seed, by: "test")
            await #expect(throws: PlanStoreError.alreadyImported(title: Self.seed.plan.title)) {
                try await repository.importPlan(Self.seed, by: "test")
            }
            #expect(try await repository.plans().count == 1)
        }
    }

    @Test func invalidPlanFileReportsEveryProblemWithItsPath() async throws {
        var broken = Self.seed
        broken.priorities[0].actions[0].accountable = [.person(initials: "ZZ")]
        let data = try broken.encoded()
        #expect {
            try PlanService.validated(data)
        } throws: { error in
            guard let error = error as? PlanImportError else { return false }
            return error.problems.contains { $0.path.contains("(A1).accountable") && $0.message.contains("ZZ") }
        }
    }

    @Test func editsWritePlanChangeRows() async throws {
        try await TestCluster.withDatabase { database in
            let service = PlanService(database: database, policy: .standard, today: { CalendarDate(iso: "2019-01-10")! })
            let id = try await service.loadSeedPlanIfMissing()
            try await service.setStatus(.inProgress, of: "H2", planID: id, by: "Ann Officer")
            try await service.setDue(text: "31/03/19 (HWB)", of: ActionReference(code: "H2"), planID: id, by: "Ann Officer")
            try await service.setOwners([.responsible: "BH; Chief Executives"], of: ActionReference(code: "H2"), planID: id, by: "Ann Officer")
            try await service.addNote("Pathway review started", by: "Ann Officer", to: ActionReference(code: "E3", numeral: "iv"), planID: id)

            let changes = try await service.repository.changes(planID: id)
            #expect(changes.map(\.field) == ["status", "due", "responsible", "progress"])
            let status = try #require(changes.first)
            #expect(status.changedBy == "Ann Officer")
            #expect(status.entity == "key_action" && status.entityKey == "H2")
            #expect(status.before == "\"handedOver\"" && status.after == "\"inProgress\"")
            #expect(changes[1].after?.contains("2019-03-31") == true)
            #expect(changes[3].entityKey == "E3.iv")

            let loaded = try await service.repository.load(planID: id)
            let h2 = try #require(loaded.action("H2"))
            #expect(h2.status == .inProgress)
            #expect(h2.due?.text == "31/03/19 (HWB)")
            #expect(h2.responsible == [.person(initials: "BH"), .body("Chief Executives")])
            #expect(loaded.action("E3")?.subAction("iv")?.progress.last?.author == "Ann Officer")

            // An unchanged value writes no audit row.
            try await service.setStatus(.inProgress, of: "H2", planID: id, by: "Ann Officer")
            #expect(try await service.repository.changes(planID: id).count == 4)
        }
    }

    @Test func editsAreRefusedWithHelpfulErrors() async throws {
        try await TestCluster.withDatabase { database in
            let service = PlanService(database: database, policy: .standard, today: { CalendarDate(iso: "2019-01-10")! })
            let id = try await service.loadSeedPlanIfMissing()
            await #expect(throws: PlanStoreError.unknownAction(code: "Z9")) {
                try await service.setStatus(.complete, of: "Z9", planID: id, by: "x")
            }
            await #expect(throws: PlanStoreError.unknownPerson(initials: "QQ")) {
                try await service.setOwners([.accountable: "QQ"], of: ActionReference(code: "A1"), planID: id, by: "x")
            }
            await #expect(throws: PlanEditError.unreadableDue(text: "31/31/19")) {
                try await service.setDue(text: "31/31/19", of: ActionReference(code: "A1"), planID: id, by: "x")
            }
            await #expect(throws: PlanStoreError.blankAuthor) {
                try await service.addNote("text", by: "  ", to: ActionReference(code: "A1"), planID: id)
            }
            try await service.addNote("first", by: "x", on: CalendarDate(iso: "2019-01-09"), to: ActionReference(code: "A1"), planID: id)
            await #expect(throws: PlanStoreError.self) {
                try await service.addNote("earlier", by: "x", on: CalendarDate(iso: "2019-01-01"), to: ActionReference(code: "A1"), planID: id)
            }
            await #expect(throws: PlanEditError.self) {
                try await service.addNote("future", by: "x", on: CalendarDate(iso: "2019-02-01"), to: ActionReference(code: "A1"), planID: id)
            }
        }
    }

    @Test func progressHistoryAndAuditTrailAreAppendOnlyInTheDatabase() async throws {
        try await TestCluster.withDatabase { database in
            let service = PlanService(database: database, policy: .standard, today: { CalendarDate(iso: "2019-01-10")! })
            let id = try await service.loadSeedPlanIfMissing()
            try await service.setStatus(.inProgress, of: "A1", planID: id, by: "x")
            await #expect(throws: PostgresError.self) {
                try await database.client.execute("UPDATE progress_note SET text = 'rewritten'")
            }
            await #expect(throws: PostgresError.self) {
                try await database.client.execute("DELETE FROM progress_note")
            }
            await #expect(throws: PostgresError.self) {
                try await database.client.execute("DELETE FROM plan_change")
            }
        }
    }

    @Test func progressNoteChangesRAGAsTheDateMoves() async throws {
        try await TestCluster.withDatabase { database in
            let setup = PlanService(database: database, policy: .standard, today: { CalendarDate(iso: "2019-03-01")! })
            let id = try await setup.loadSeedPlanIfMissing()
            // Reopen H2 with a due date, as an officer would before tracking it again.
            try await setup.setStatus(.inProgress, of: "H2", planID: id, by: "Ann")
            try await setup.setDue(text: "31/03/19", of: ActionReference(code: "H2"), planID: id, by: "Ann")
            func rag(on day: String) async throws -> RAGRating {
                try await setup.repository.load(planID: id).action("H2")!.rag(on: CalendarDate(iso: day)!, policy: .standard).rating
            }
            // Due within 30 days, no recent progress: amber.
            #expect(try await rag(on: "2019-03-01") == .amber)
            try await setup.addNote("Review underway", by: "Ann", to: ActionReference(code: "H2"), planID: id)
            // The note is recent: green.
            #expect(try await rag(on: "2019-03-01") == .green)
            // On the due day the note (30 days old) still counts.
            #expect(try await rag(on: "2019-03-31") == .green)
            // The day after, the action is overdue: red.
            #expect(try await rag(on: "2019-04-01") == .red)
        }
    }

    @Test func metricValuesAndTheLiveStrandedSeries() async throws {
        try await TestCluster.withDatabase { database in
            let service = PlanService(database: database, policy: .standard)
            let id = try await service.loadSeedPlanIfMissing()
            try await service.repository.setMetricValue(
                4.5,
                for: CalendarDate(iso: "2018-04-01")!,
                metric: "readmissions-30-days-65",
                planID: id,
                by: "x"
            )
            try await service.repository.setMetricValue(
                4.2,
                for: CalendarDate(iso: "2018-04-01")!,
                metric: "readmissions-30-days-65",
                planID: id,
                by: "x"
            )
            await #expect(throws: PlanStoreError.unknownMetric(key: "nope")) {
                try await service.repository.setMetricValue(1, for: CalendarDate(iso: "2018-04-01")!, metric: "nope", planID: id, by: "x")
            }
            // The view's contract, stood in for with fixed rows in this throwaway database.
            try await database.client.withConnection { connection in
                try await connection.runScript(
                    """
                    DROP VIEW IF EXISTS weekly_stranded_counts CASCADE;
                    CREATE VIEW weekly_stranded_counts AS
                    SELECT * FROM (VALUES ('2019-01-07'::date, 120::bigint, 40::bigint),
                                          ('2019-01-14'::date, 110::bigint, 35::bigint)) AS v(week_start, stranded, super_stranded);
                    """
                )
            }
            let series = try await service.metricSeries(planID: id)
            #expect(series["readmissions-30-days-65"] == [MetricPoint(period: CalendarDate(iso: "2018-04-01")!, value: 4.2)])
            #expect(series["stranded-patients-7"]?.map(\.value) == [120, 110])
            #expect(series["super-stranded-patients-21"]?.first == MetricPoint(period: CalendarDate(iso: "2019-01-07")!, value: 40))
            let changes = try await service.repository.changes(planID: id)
            #expect(changes.map(\.entity) == ["metric_value", "metric_value"])
        }
    }
}
