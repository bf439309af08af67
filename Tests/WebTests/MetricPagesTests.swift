import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Web
import Workflow

@Suite("Evaluation metrics: entry, import by page and API, charts, RAG beside the actions'")
struct MetricPagesTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func aPlanEditorRecordsAndImportsValuesAndEveryMetricShowsItsRAG() async throws {
        try await TestCluster.withDatabase { database in
            try await PlanService(database: database, policy: .standard).loadSeedPlanIfMissing()
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            let editor = try await SignedIn.create(database, roles: [RoleGrant(.planEditor)])
            let viewer = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            try await app.test(.router) { raw in
                let client = editor.client(raw)
                try await client.execute(uri: "/plan/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("id=\"metric-ascof-2a-permanent-admissions-65\""))
                    #expect(html.contains("id=\"metric-bcf-non-elective-admissions\""))
                    #expect(html.contains("id=\"metric-level1-reviews-on-time\""))
                    #expect(html.contains("Target: None agreed"))
                    #expect(html.contains("<label for=\"weekend-discharges-period\">"))
                    #expect(!html.contains("action=\"/plan/metrics/stranded-patients-7/values\""))  // fed, not typed
                }
                // A bad value: 422 beside its field, what was typed kept.
                try await client.execute(
                    uri: "/plan/metrics/weekend-discharges/values",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "period=2026-11&value=eighty&source=Sitrep")
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let html = String(buffer: response.body)
                    #expect(html.contains("id=\"weekend-discharges-value-error\""))
                    #expect(html.contains("value=\"eighty\""))
                }
                // The aim's metric is fed from stays, not typed: recorded here as the weekly feed records it.
                _ = try await EvaluationService(plan: PlanService(database: database, policy: .standard), framework: .standard).recordFed(
                    [("2026-11-09", 88.0), ("2026-11-16", 83.0)].map {
                        MetricValueInput(
                            metric: "acute-admissions-moved-on-within-7-days",
                            period: CalendarDate(iso: $0.0)!,
                            value: $0.1,
                            source: "Stays extract"
                        )
                    },
                    by: "test"
                )
                try await client.execute(uri: "/plan/metrics", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("<span class=\"badge amber\">Amber</span> The latest value is within 5% of the target. Trend: Worsening."))
                    #expect(html.contains("<td>w/c 2026-11-16</td><td class=\"num\">83</td><td>Stays extract</td>"))
                    #expect(html.contains("<svg"))
                }
                // The import page: a bad line names itself and nothing is recorded.
                let bad = "metric,period,value,source\r\nweekend-discharges,2018-04,12,Sitrep\r\nweekend-discharges,April,12,Sitrep\r\n"
                try await client.execute(
                    uri: "/plan/metrics/import",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "csv=" + bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let html = String(buffer: response.body)
                    #expect(html.contains("Nothing was imported"))
                    #expect(html.contains("<td>3</td><td>period</td>"))
                    #expect(html.contains("weekend-discharges,April,12,Sitrep"))
                }
                // The API: 422 with the problems as JSON, then 200 with the counts.
                try await client.execute(
                    uri: "/api/plan/metrics/import",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: bad)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let text = String(buffer: response.body)
                    #expect(text.contains(#""column":"period""#) && text.contains(#""line":3"#))
                }
                try await client.execute(
                    uri: "/api/plan/metrics/import",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: "metric,period,value,source\nweekend-discharges,2018-04,12,Sitrep\n")
                ) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#""added":1"#))
                }
                // A target agreed by the plan's editors: a bad figure is refused beside its field, a good one rates the metric.
                try await client.execute(
                    uri: "/plan/metrics/weekend-discharges/target",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "target=lots")
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let html = String(buffer: response.body)
                    #expect(html.contains("id=\"weekend-discharges-target-error\""))
                    #expect(html.contains("value=\"lots\""))
                }
                try await client.execute(
                    uri: "/plan/metrics/weekend-discharges/target",
                    method: .post,
                    headers: Self.form,
                    body: ByteBuffer(string: "target=15")
                ) { response in
                    #expect(response.status == .seeOther)
                }
                try await client.execute(uri: "/plan/metrics", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("<span class=\"badge red\">Red</span> The latest value misses the target by more than 5%."))
                }
                let audited = try await database.client.query(
                    "SELECT count(*) AS n FROM plan_change WHERE entity = 'evaluation_metric' AND entity_key = 'weekend-discharges' AND field = 'target'"
                )[0].decode("n", as: Int64.self)
                #expect(audited == 1)
                // The overview: metric RAG beside the RAG of the actions each evaluates.
                try await client.execute(uri: "/plan", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("Evaluation metrics: RAG against target"))
                    #expect(html.contains("<a href=\"/plan/metrics#metric-acute-admissions-moved-on-within-7-days\">"))
                    #expect(
                        html.contains("<td>83 (w/c 2026-11-16)</td><td>85</td><td><span class=\"badge amber\">Amber</span></td><td>Worsening</td>")
                    )
                }
                // A viewer reads but may not record.
                try await viewer.client(raw).execute(uri: "/plan/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(!String(buffer: response.body).contains("Record a value"))
                }
                try await viewer.client(raw).execute(
                    uri: "/api/plan/metrics/import",
                    method: .post,
                    headers: [.contentType: "text/csv"],
                    body: ByteBuffer(string: "metric,period,value,source\nweekend-discharges,2018-05,12,Sitrep\n")
                ) { response in
                    #expect(response.status == .forbidden)
                }
            }
        }
    }
}
