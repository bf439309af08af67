import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Store
import StrandedCore
import TestSupport
import Testing
import Web
import Workflow

@Suite("Trend API and dashboard")
struct TrendWebTests {
    static let sites = """
        organisation_code,organisation_name,site_code,site_name,setting
        R9A,Northshire Hospitals,ACU1,Northshire General,acute
        """
    static let list =
        "site_code,ward_code,nhs_number,admission_date\n"
        + "ACU1,W1,9990000018,2026-10-01\nACU1,W1,9990000026,2026-10-20\nACU1,W2,9990000034,2026-11-14\n"

    /// Every request of this suite goes through here (sign-in is added here when routes require it).
    static func send(_ client: some TestClientProtocol, _ uri: String, _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws
    {
        try await client.execute(uri: uri, method: .get, headers: [:], body: nil, testCallback: check)
    }

    static func withApp(
        prepare: @escaping @Sendable (Database) async throws -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestCluster.withDatabase { database in
            try await SiteReferenceImporter(database: database).importCSV(Self.sites)
            try await prepare(database)
            let url = URL(fileURLWithPath: try makeScratchDirectory("trends")).appendingPathComponent("list.csv")
            try Data(Self.list.utf8).write(to: url)
            _ = try await WardListImporter(database: database, policy: .standard).importFile(
                at: url,
                source: .cli,
                snapshotDate: CalendarDate(iso: "2026-11-16")
            )
            // Every request as a signed-in viewer (trends hold counts, no identifiers).
            let viewer = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            try await app.test(.router) { client in try await body(viewer.client(client)) }
        }
    }

    @Test func apiExportsCSVJSONAndLongAndExplainsBadParameters() async throws {
        try await Self.withApp { client in
            try await Self.send(client, "/api/trends?scope=site&code=ACU1&from=2026-11-01&to=2026-11-20") { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                let lines = String(buffer: response.body).components(separatedBy: "\r\n")
                #expect(lines[0].hasPrefix("week_start,scope,code,name,setting,stranded_7_plus,los_14_plus,los_21_plus"))
                #expect(lines[1].hasPrefix("2026-11-16,site,ACU1,Northshire General,acute,2,2,2,0,0,2,0,14,36.5,46,3,1,33.3,"))
            }
            try await Self.send(client, "/api/trends?scope=site&code=ACU1&from=2026-11-01&to=2026-11-20&format=long&publication=true") { response in
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("Period,Org Code,Org Name,Metric,Value,Disclosure Control\r\n"))
                #expect(text.contains("2026-11-16,ACU1,Northshire General,stranded_7_plus,*,"))
            }
            try await Self.send(client, "/api/trends?from=2026-11-01&to=2026-11-20&format=json") { response in
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let json = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                #expect(json?["scope"] as? String == "system")
            }
            try await Self.send(client, "/api/trends?scope=county") { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("not one of system, organisation, site, ward"))
            }
            try await Self.send(client, "/api/trends?scope=site&code=NOPE") { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("no site has the code"))
            }
            try await Self.send(client, "/api/trends?from=2026-13-40") { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("is not a date"))
            }
        }
    }

    @Test func dashboardShowsChartsWithTheirTables() async throws {
        try await Self.withApp { client in
            try await Self.send(client, "/trends?from=2026-10-26&to=2026-11-16") { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<svg"))
                #expect(!html.contains("<script"))
                #expect(html.contains("<details>"))
                #expect(html.contains("Table of the numbers"))
                // No stays in this fixture: the aim says so instead of a census proxy.
                #expect(html.contains("Acute admissions moved on within 0–6 days (aim 85–90%)"))
                #expect(html.contains("not measured: needs admissions data"))
                #expect(html.contains("href=\"/trends\""))
                #expect(html.contains("ACU1 Northshire General"))
                #expect(html.contains("By site: LoS 7+ (solid, circles) and 21+ (dashed, squares)"))
            }
            try await Self.send(client, "/trends?site=ACU1&to=not-a-date") { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("is not a date"))
            }
        }
    }
    @Test func theAimIsChartedAgainstItsBandAndAPartialTotalSaysWhichSitesItCounts() async throws {
        let stays = """
            site_code,ward_code,nhs_number,local_patient_id,admission_date,discharge_date,destination
            ACU1,AMU,9990000018,,2026-11-02,2026-11-03,usual-residence
            ACU1,AMU,9990000026,,2026-11-03,,
            """
        try await Self.withApp(prepare: { database in
            _ = try await ReferenceDataStore(database: database).upsertSite(
                code: "ACU2",
                name: "Southshire General",
                setting: "acute",
                organisationCode: "R9A"
            )
            #expect(try await StayImporter(database: database).importCSV(Array(stays.utf8), by: "test").accepted)
        }) { client in
            try await Self.send(client, "/trends?from=2026-10-26&to=2026-11-16") { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<title>Acute admissions moved on within 0–6 days (%)</title>"))
                #expect(html.contains("Counts the acute sites with stays (ACU1); not measured at ACU2: needs admissions data."))
                #expect(html.contains("50%"))
            }
        }
    }
}
