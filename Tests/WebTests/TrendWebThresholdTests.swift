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

/// The trend API and dashboard of a service configured with its own
/// length-of-stay lines: stranded from 10 days, super stranded from 14, bands 10+, 14+, 30+.
@Suite("Trend API and dashboard under configured thresholds")
struct TrendWebThresholdTests {
    static let configuration: CycleConfiguration = {
        var policy = StrandedPolicy.standard
        policy.thresholds = StrandedThresholds(
            strandedDays: 10,
            superStrandedDays: 14,
            bands: [.init(minimumDays: 10), .init(minimumDays: 14), .init(minimumDays: 30)]
        )
        return CycleConfiguration(policy: policy, source: "trend-thresholds-test.json")
    }()

    @Test func exportsAndChartsNameTheConfiguredLines() async throws {
        try await TestCluster.withDatabase { database in
            try await SiteReferenceImporter(database: database).importCSV(TrendWebTests.sites)
            let url = URL(fileURLWithPath: try makeScratchDirectory("trend-thresholds")).appendingPathComponent("list.csv")
            try Data(TrendWebTests.list.utf8).write(to: url)  // LoS 46, 27 and 2 on 16 Nov
            _ = try await WardListImporter(database: database, policy: Self.configuration.policy)
                .importFile(at: url, source: .cli, snapshotDate: CalendarDate(iso: "2026-11-16"))
            let viewer = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            let dependencies = try await AppDependencies.forTests(database: database, configuration: Self.configuration)
            let app = buildApplication(configuration: .init(), dependencies: dependencies, logger: Logger(label: "test"))
            try await app.test(.router) { raw in
                let client = viewer.client(raw)
                try await TrendWebTests.send(client, "/api/trends?scope=site&code=ACU1&from=2026-11-01&to=2026-11-20") { response in
                    #expect(response.status == .ok)
                    let lines = String(buffer: response.body).components(separatedBy: "\r\n")
                    #expect(lines[0].hasPrefix("week_start,scope,code,name,setting,stranded_10_plus,los_14_plus,los_30_plus,newly_stranded,"))
                    #expect(lines[0].contains(",census_under_10,census_under_10_pct,"))
                    // 10+: 46 and 27; 30+: 46; bed days 7 + 7; median 36.5; 90th percentile 46; 1 of 3 under 10 days.
                    #expect(lines[1].hasPrefix("2026-11-16,site,ACU1,Northshire General,acute,2,2,1,2,0,14,36.5,46,3,1,33.3,"))
                }
                try await TrendWebTests.send(client, "/trends?from=2026-10-26&to=2026-11-16") { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("Stranded (10+) and super stranded (14+)"))
                    #expect(html.contains("LoS 10+") && html.contains("LoS 14+"))
                    #expect(html.contains("By site: LoS 10+ (solid, circles) and 14+ (dashed, squares)"))
                    #expect(!html.contains("LoS 7+") && !html.contains("LoS 21+"))
                }
            }
        }
    }
}
