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

/// The service runs with the rules it is configured with, on every page and
/// API that shows a deadline or a length-of-stay band: nothing below the
/// executable falls back to DESIGN.md §3's defaults.
@Suite("A configured policy reaches every page")
struct ConfiguredPolicyTests {
    /// Level 1 forms due Tuesday 12:00 (not Wednesday 17:00); stranded from
    /// 10 days (not 7), super stranded from 14 (not 21); the Level 2 meeting
    /// on Thursday 14:00.
    static let configuration: CycleConfiguration = {
        var policy = StrandedPolicy.standard
        policy.timetable.level1Deadline = WeekTime(dayOffset: 1, hour: 12)
        policy.timetable.level2Meeting = WeekTime(dayOffset: 3, hour: 14)
        policy.thresholds = StrandedThresholds(strandedDays: 10, superStrandedDays: 14, bands: [.init(minimumDays: 10), .init(minimumDays: 14)])
        return CycleConfiguration(policy: policy, source: "configured-policy-test.json")
    }()

    @Test func deadlinesAndBandsFollowTheConfiguration() async throws {
        try await TestCluster.withDatabase { database in
            let policy = Self.configuration.policy
            try await SiteReferenceImporter(database: database).importCSV(ReviewWebFixture.sites)
            let url = URL(fileURLWithPath: try makeScratchDirectory("configured-policy")).appendingPathComponent("w1.csv")
            try Data(ReviewWebFixture.list.utf8).write(to: url)
            // LoS on the list: Brown 27, Adams 15, Cole 8, Dale 3. At 10 days only Brown and Adams are stranded.
            _ = try await WardListImporter(database: database, policy: policy).importFile(
                at: url,
                source: .cli,
                snapshotDate: CalendarDate(iso: ReviewWebFixture.week),
                today: CalendarDate(iso: "2026-11-23")!
            )
            try await database.listsArrivedOnTime(Self.configuration.policy.timetable)
            let wardID: Int64 = try await database.client.query("SELECT id FROM ward WHERE code = 'W1'")[0].decode("id")
            let dependencies = try await AppDependencies.forTests(database: database, configuration: Self.configuration)
            let app = buildApplication(configuration: .init(), dependencies: dependencies, logger: Logger(label: "test"))
            let ward = try await SignedIn.create(database, roles: [RoleGrant(.ward, scope: ["ACU1/W1"])])
            let admin = try await SignedIn.create(database, roles: [RoleGrant(.administrator)])
            try await app.test(.router) { raw in
                let client = ward.client(raw)
                var formIDs: [Int] = []
                try await client.execute(uri: "/api/wards/\(wardID)/weeks/\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(response.status == .ok)
                    let json = try jsonObject(response.body)
                    #expect(json["deadline"] as? String == "2026-11-17T12:00:00Z")
                    let forms = json["forms"] as? [[String: Any]] ?? []
                    #expect(forms.map { $0["familyName"] as? String } == ["Brown", "Adams"])
                    formIDs = forms.compactMap { $0["id"] as? Int }
                }
                let tuesday = "Tue 17 Nov 2026, 12:00"
                for page in [
                    "/wards?week=\(ReviewWebFixture.week)", "/wards/\(wardID)?week=\(ReviewWebFixture.week)",
                    "/forms/\(formIDs.first ?? 0)",
                ] {
                    try await client.execute(uri: page, method: .get) { response in
                        #expect(response.status == .ok, "\(page)")
                        let html = String(buffer: response.body)
                        #expect(html.contains(tuesday), "\(page) shows the configured deadline")
                        #expect(!html.contains("Wed 18 Nov 2026, 17:00"), "\(page) does not show the default deadline")
                    }
                }
                try await client.execute(uri: "/wards/\(wardID)?week=\(ReviewWebFixture.week)", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains(">14+<"), "Brown (27) and Adams (15) are past the configured super-stranded line")
                    #expect(!html.contains(">21+<") && !html.contains(">7+<"))
                    #expect(html.contains("Super stranded: 14 days or more"))
                }
                try await client.execute(uri: "/api/forms/\(formIDs.first ?? 0)", method: .get) { response in
                    let json = try jsonObject(response.body)
                    #expect(json["deadline"] as? String == "2026-11-17T12:00:00Z")
                }
                try await client.execute(uri: "/wards/\(wardID)/print?week=\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("(14+)"))
                }
                let administrator = admin.client(raw)
                try await administrator.execute(uri: "/config", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("configured-policy-test.json"))
                    #expect(html.contains("Stranded at 10 days or more; super stranded at 14 days or more"))
                    #expect(html.contains("Tue 12:00"))
                }
                try await administrator.execute(uri: "/api/config", method: .get) { response in
                    let json = try jsonObject(response.body)
                    let configuration = json["configuration"] as? [String: Any]
                    #expect((configuration?["thresholds"] as? [String: Any])?["strandedDays"] as? Int == 10)
                }
                // The week runs under the configured rules: nothing reviewed by the
                // Tuesday deadline escalates; the agenda is for Thursday 14:00.
                let week = ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
                let runner = CycleRunner(database: database, configuration: Self.configuration, summaryBuilder: dependencies.summaryBuilder)
                _ = try await runner.run(.applyLevel1Deadline, week: week, actor: "test")
                _ = try await runner.run(.buildLevel2Agenda, week: week, actor: "test")
                try await administrator.execute(uri: "/level2/\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("for the meeting at Thu 19 Nov 2026, 14:00"))
                }
                try await administrator.execute(uri: "/level2/\(ReviewWebFixture.week)/print", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains(">14+<") && !html.contains(">21+<"))
                }
                try await administrator.execute(uri: "/api/level2/\(ReviewWebFixture.week)", method: .get) { response in
                    let agenda = try jsonObject(response.body)["agenda"] as? [String: Any]
                    #expect(agenda?["meetingAt"] as? String == "2026-11-19T14:00:00Z")
                }
                // The chief executive summary counts "on time" against the configured deadline.
                _ = try await runner.run(.buildChiefExecutiveSummary, week: week, actor: "test")
                try await administrator.execute(uri: "/summary/\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("Tue 17 Nov 12:00"))
                    #expect(!html.contains("Wed 18 Nov 17:00"))
                }
            }
        }
    }
}
