import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing

@testable import Workflow

@Suite("Importing evaluation metric values")
struct MetricImportTests {
    func service(_ database: Database) async throws -> EvaluationService {
        let plan = PlanService(database: database, policy: .standard)
        try await plan.loadSeedPlanIfMissing()
        return EvaluationService(plan: plan, framework: .standard)
    }

    func count(_ database: Database, _ sql: PostgresQuery) async throws -> Int {
        Int(try await database.client.query(sql)[0].decode("n", as: Int64.self))
    }

    @Test func aFileWithBadLinesNamesEachAndRecordsNothing() async throws {
        try await TestCluster.withDatabase { database in
            let evaluation = try await service(database)
            let csv = """
                metric,period,value,source
                emergency-admissions-65,2018-Q1,2500,SUS
                no-such-metric,2018-Q1,1,SUS
                weekend-discharges,2018-Q5,12,Sitrep
                weekend-discharges,2018-04,twelve,Sitrep
                total-delayed-days,2018-04,300,
                escalations-opened,2026-11-16,4,me
                emergency-admissions-65,2018-02-14,2600,SUS
                """
            do {
                _ = try await evaluation.importCSV(Data(csv.utf8), by: "Analyst")
                Issue.record("a bad file was imported")
            } catch MetricEntryError.refused(let problems) {
                #expect(problems.map(\.line) == [3, 4, 5, 6, 7, 8])
                #expect(problems.map(\.column) == ["metric", "period", "value", "source", "metric", "period"])
                #expect(problems[1].message.contains("not a month for weekend-discharges; write yyyy-mm"))
                #expect(problems[5].message.contains("already given on line 2"))
            }
            #expect(try await count(database, "SELECT count(*) AS n FROM metric_value") == 0)
            #expect(try await count(database, "SELECT count(*) AS n FROM plan_change WHERE entity = 'metric_value'") == 0)
        }
    }

    @Test func aGoodFileRecordsEveryValueAddsFrameworkMetricsAndAuditsCorrections() async throws {
        try await TestCluster.withDatabase { database in
            let evaluation = try await service(database)
            let first = """
                Metric,Period,Value,Source
                emergency-admissions-65,2018-Q1,"2,500",SUS monthly extract
                ascof-2a-permanent-admissions-65,2018-Q1,610.5,ASCOF return
                weekend-discharges,2018-04,12,Sitrep
                """
            let counts = try await evaluation.importCSV(Data(first.utf8), by: "Analyst")
            #expect(counts.added == 3 && counts.changed == 0)
            let again = """
                metric,period,value,source
                emergency-admissions-65,2018-01-15,2400,SUS corrected
                weekend-discharges,2018-04,12,Sitrep
                """
            let second = try await evaluation.importCSV(Data(again.utf8), by: "Analyst")
            #expect(second.changed == 1 && second.unchanged == 1 && second.added == 0)
            let (_, metrics) = try await evaluation.metrics()
            let admissions = try #require(metrics.first { $0.metric.id == "emergency-admissions-65" })
            #expect(admissions.points.map(\.value) == [2400])
            #expect(admissions.sources[CalendarDate(iso: "2018-01-01")!] == "SUS corrected")
            let ascof = try #require(metrics.first { $0.metric.id == "ascof-2a-permanent-admissions-65" })
            #expect(ascof.points.map(\.value) == [610.5])
            #expect(try await count(database, "SELECT count(*) AS n FROM evaluation_metric WHERE key = 'ascof-2a-permanent-admissions-65'") == 1)
            // Three new values and one correction, each audited; the new metric too.
            #expect(try await count(database, "SELECT count(*) AS n FROM plan_change WHERE entity = 'metric_value'") == 4)
            #expect(try await count(database, "SELECT count(*) AS n FROM plan_change WHERE entity = 'evaluation_metric'") == 1)
            #expect(try await count(database, "SELECT count(*) AS n FROM audit_event WHERE entity_type = 'metric_value'") == 4)
        }
    }
}
