import Foundation
import Logging
import Postgres
import Reports
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport
import Workflow

/// The weekly trend tables against hand-computed figures, and the
/// incremental figures against a rebuild.
@Suite("Trend series")
struct TrendSeriesTests {
    static let header = "site_code,ward_code,nhs_number,admission_date\n"

    /// Three weekly census lists for ACU1 (wards W1, W2) and a long-stay list for COM1 in week 2.
    /// Patients by index: 1–8 at ACU1, 20 at COM1. LoS on each list in the comments.
    static let week1 =
        header + """
            ACU1,W1,\(nhs(1)),2026-10-30
            ACU1,W1,\(nhs(2)),2026-10-26
            ACU1,W1,\(nhs(3)),2026-10-19
            ACU1,W1,\(nhs(4)),2026-10-12
            ACU1,W2,\(nhs(5)),2026-09-23
            ACU1,W2,\(nhs(6)),2026-07-25
            """  // LoS 3, 7, 14, 21 | 40, 100
    static let week2 =
        header + """
            ACU1,W1,\(nhs(1)),2026-10-30
            ACU1,W1,\(nhs(2)),2026-10-26
            ACU1,W1,\(nhs(4)),2026-10-12
            ACU1,W2,\(nhs(5)),2026-09-23
            ACU1,W2,\(nhs(7)),2026-11-08
            """  // LoS 10, 14, 28 | 47, 1 — 3 and 6 discharged
    static let week3 =
        header + """
            ACU1,W1,\(nhs(1)),2026-10-30
            ACU1,W1,\(nhs(2)),2026-10-26
            ACU1,W2,\(nhs(5)),2026-09-23
            ACU1,W2,\(nhs(7)),2026-11-08
            ACU1,W2,\(nhs(8)),2026-11-15
            """  // LoS 17, 21 | 54, 8, 1 — 4 discharged
    static let community = header + "COM1,C1,\(nhs(20)),2026-10-01\n"  // LoS 39

    static func load(_ fixture: ImportFixture) async throws {
        for (text, date) in [(week1, "2026-11-02"), (week2, "2026-11-09"), (community, "2026-11-09"), (week3, "2026-11-16")] {
            let report = try await fixture.importText(text, snapshotDate: date)
            #expect(report.verdict == .accepted, "\(report.fileError ?? "")")
        }
    }

    static let from = CalendarDate(iso: "2026-11-02")!, to = CalendarDate(iso: "2026-11-16")!

    func week(_ series: TrendSeries, _ code: String, _ iso: String, setting: String? = nil) -> TrendWeek? {
        series.units.first { $0.exportCode == code && (setting == nil || $0.setting == setting) }?.weeks.first { $0.week.iso == iso }
    }

    @Test func siteAndWardFiguresMatchHandComputedValues() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await Self.load(fixture)
            let service = TrendService(database: database, policy: .standard)
            let sites = try await service.series(scope: .site, code: "ACU1", from: Self.from, to: Self.to)
            #expect(sites.units.map(\.code) == ["ACU1"])

            let w1 = try #require(week(sites, "ACU1", "2026-11-02"))
            #expect(
                [w1.patients(atLeast: 7), w1.patients(atLeast: 14), w1.patients(atLeast: 21), w1.patients(atLeast: 50), w1.patients(atLeast: 100)]
                    as [Int] == [5, 4, 3, 1, 1]
            )
            #expect([w1.newlyStranded, w1.strandedDischarged, w1.strandedBedDays] as [Int] == [5, 0, 29])
            #expect(w1.inpatients == Int?(6))
            #expect(w1.underSeven == Int?(1))
            #expect(w1.medianLoS(using: .standard) == Double(21))
            #expect(w1.p90LoS(using: .standard) == Int(100))

            let w2 = try #require(week(sites, "ACU1", "2026-11-09"))
            #expect(
                [w2.patients(atLeast: 7), w2.patients(atLeast: 14), w2.patients(atLeast: 21), w2.patients(atLeast: 50), w2.patients(atLeast: 100)]
                    as [Int] == [4, 3, 2, 0, 0]
            )
            #expect([w2.newlyStranded, w2.strandedDischarged, w2.strandedBedDays] as [Int] == [1, 2, 25])
            #expect(w2.inpatients == Int?(5))
            #expect(w2.underSeven == Int?(1))
            #expect(w2.medianLoS(using: .standard) == Double(21))
            #expect(w2.p90LoS(using: .standard) == Int(47))  // 10, 14, 28, 47

            let w3 = try #require(week(sites, "ACU1", "2026-11-16"))
            #expect(
                [w3.patients(atLeast: 7), w3.patients(atLeast: 14), w3.patients(atLeast: 21), w3.patients(atLeast: 50), w3.patients(atLeast: 100)]
                    as [Int] == [4, 3, 2, 1, 0]
            )
            #expect([w3.newlyStranded, w3.strandedDischarged, w3.strandedBedDays] as [Int] == [1, 1, 23])
            #expect(w3.medianLoS(using: .standard) == Double(19))
            #expect(w3.p90LoS(using: .standard) == Int(54))  // 8, 17, 21, 54

            let wards = try await service.series(scope: .ward, code: "ACU1", from: Self.from, to: Self.to)
            #expect(wards.units.map(\.code) == ["ACU1/W1", "ACU1/W2"])
            let ward1 = try #require(week(wards, "ACU1/W1", "2026-11-09"))
            #expect([ward1.patients(atLeast: 7), ward1.newlyStranded, ward1.strandedDischarged, ward1.strandedBedDays] as [Int] == [3, 1, 1, 18])
            let ward2 = try #require(week(wards, "ACU1/W2", "2026-11-16"))
            #expect([ward2.patients(atLeast: 7), ward2.patients(atLeast: 50), ward2.newlyStranded, ward2.strandedBedDays] as [Int] == [2, 1, 1, 9])
            #expect(ward2.inpatients == Int?(3))
            #expect(ward2.underSeven == Int?(1))

            // The system: acute and community, and both together.
            let system = try await service.series(scope: .system, code: nil, from: Self.from, to: Self.to)
            #expect(system.units.map(\.exportCode) == ["SYSTEM", "SYSTEM-ACUTE", "SYSTEM-COMMUNITY"])
            let all = try #require(week(system, "SYSTEM", "2026-11-09"))
            #expect([all.patients(atLeast: 7), all.patients(atLeast: 21), all.newlyStranded] as [Int] == [5, 3, 2])
            #expect(all.inpatients == 5)  // the community list is long-stay only
            #expect(all.medianLoS(using: .standard) == Double(28))
            #expect(all.p90LoS(using: .standard) == Int(47))  // 10, 14, 28, 39, 47
            let community = try #require(week(system, "SYSTEM-COMMUNITY", "2026-11-09"))
            #expect(community.patients(atLeast: 7) == 1)
            #expect(community.inpatients == nil)

            // The long format of one site: five columns and the known metrics only.
            let long = try await service.export(
                TrendRequest(
                    scope: .site,
                    code: "ACU1",
                    from: Self.from,
                    to: Self.to,
                    format: .long,
                    control: .none
                )
            )
            let lines = long.split(separator: "\r\n").map(String.init)
            #expect(lines.first == "Period,Org Code,Org Name,Metric,Value")
            #expect(lines.contains("2026-11-02,ACU1,Northshire General,stranded_7_plus,5"))
            #expect(lines.contains("2026-11-16,ACU1,Northshire General,p90_los_stranded,54"))
        }
    }

    @Test func reviewFiguresFollowSavedForms() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await Self.load(fixture)
            let reviews = ReviewStore(database: database, policy: .standard)
            let row = try await database.client.query(
                """
                SELECT f.id, f.version FROM level1_form f JOIN patient_case c ON c.id = f.case_id
                WHERE c.nhs_number = \(nhs(5)) AND f.week_start = '2026-11-16'
                """
            )[0]
            let saved = try await reviews.save(
                id: try row.decode("id"),
                expectedVersion: try row.decode("version"),
                review: completeReview(),
                by: "test"
            )
            guard case .saved = saved else {
                Issue.record("form not saved")
                return
            }
            // The save only marks its ward's week; the read below recomputes it and clears the mark.
            let marks = try await database.client.query(
                """
                SELECT w.code || ' ' || m.week_start AS mark FROM trend_review_ward_stale m JOIN ward w ON w.id = m.ward_id
                """
            ).map { try $0.decode("mark", as: String.self) }
            #expect(marks.count == 1 && marks[0].hasSuffix(" 2026-11-16"))
            let service = TrendService(database: database, policy: .standard)
            var series = try await service.series(scope: .site, code: "ACU1", from: Self.from, to: Self.to)
            let left = try await database.client.query("SELECT count(*)::int AS n FROM trend_review_ward_stale")[0].decode("n", as: Int.self)
            #expect(left == 0)
            var week3 = try #require(week(series, "ACU1", "2026-11-16"))
            #expect(week3.formsDue == 4)
            #expect(week3.completed == 1)
            #expect(week3.redDays == 1)
            #expect(week3.reasons["care-package-home"] == TrendWeek.ReasonCount(patients: 1, primary: 1))
            #expect(week3.onTime == 0)  // saved now, after that week's Wednesday 17:00 deadline

            // Completed before the deadline (Wednesday 18 Nov 17:00 London): on time, once rebuilt.
            try await database.client.execute(
                """
                UPDATE level1_form SET completed_at = '2026-11-18 16:59:00 Europe/London' WHERE id = \(try row.decode("id", as: Int64.self))
                """
            )
            _ = try await service.rebuild()
            series = try await service.series(scope: .site, code: "ACU1", from: Self.from, to: Self.to)
            week3 = try #require(week(series, "ACU1", "2026-11-16"))
            #expect(week3.onTime == 1)
            let csv = TrendExport(taxonomy: .standard, thresholds: .standard, redDays: .standard).csv(series)
            #expect(csv.contains("primary_delay_agency_social_care"))
        }
    }

    /// Saves on one ward at once each mark the ward-week (none waits for
    /// another's recomputation); the next read gives what a rebuild gives.
    @Test func concurrentSavesOnOneWardGiveTheRebuiltFigures() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await Self.load(fixture)
            let reviews = ReviewStore(database: database, policy: .standard)
            let forms = try await database.client.query(
                """
                SELECT f.id, f.version FROM level1_form f WHERE f.week_start = '2026-11-16' AND NOT f.discharged
                  AND f.ward_id = (SELECT ward_id FROM level1_form WHERE week_start = '2026-11-16' AND NOT discharged
                                   GROUP BY ward_id ORDER BY count(*) DESC, ward_id LIMIT 1)
                """
            ).map { (try $0.decode("id", as: Int64.self), try $0.decode("version", as: Int.self)) }
            #expect(forms.count > 1)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (id, version) in forms {
                    group.addTask {
                        guard case .saved = try await reviews.save(id: id, expectedVersion: version, review: completeReview(), by: "test") else {
                            Issue.record("form not saved")
                            return
                        }
                    }
                }
                try await group.waitForAll()
            }
            let service = TrendService(database: database, policy: .standard)
            let series = try await service.series(scope: .site, code: "ACU1", from: Self.from, to: Self.to)
            #expect(week(series, "ACU1", "2026-11-16")?.completed == forms.count)
            let incremental = try await Self.dump(database)
            _ = try await service.rebuild()
            #expect(try await Self.dump(database) == incremental)
        }
    }

    /// An accepted list only marks its weeks (the one before too) in its own
    /// transaction; the first read recomputes them and clears the marks.
    @Test func aListMarksItsWeeksStaleAndTheNextReadRecomputesThem() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            #expect(try await fixture.importText(Self.week1, snapshotDate: "2026-11-02").verdict == .accepted)
            let marks = try await database.client.query(
                """
                SELECT s.code || ' ' || m.week_start AS mark FROM trend_list_stale m JOIN site s ON s.id = m.site_id ORDER BY 1
                """
            ).map { try $0.decode("mark", as: String.self) }
            #expect(marks == ["ACU1 2026-10-26", "ACU1 2026-11-02"])
            let stored = try await database.client.query("SELECT count(*)::int AS n FROM trend_ward_week")[0].decode("n", as: Int.self)
            #expect(stored == 0)

            let series = try await TrendService(database: database, policy: .standard).series(
                scope: .site,
                code: "ACU1",
                from: Self.from,
                to: Self.from
            )
            #expect(week(series, "ACU1", "2026-11-02")?.patients(atLeast: 7) == 5)
            let left = try await database.client.query("SELECT count(*)::int AS n FROM trend_list_stale")[0].decode("n", as: Int.self)
            #expect(left == 0)
        }
    }

    /// In the daemon the marks are cleared in the background, without a reader.
    @Test func theDaemonsRefresherRecomputesMarkedWeeksWithoutAReader() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            #expect(try await fixture.importText(Self.week1, snapshotDate: "2026-11-02").verdict == .accepted)
            let service = TrendRefreshService(database: database, policy: .standard, interval: .milliseconds(20), logger: Logger(label: "test"))
            let running = Task { try await service.run() }
            // Bounded by time, not by a number of looks: with the whole
            // suite running on two cores, the refresher may wait for a core
            // longer than a few hundred short looks take.
            var left = -1
            let deadline = ContinuousClock.now + .seconds(60)
            while left != 0 && ContinuousClock.now < deadline {
                left = try await database.client.query("SELECT count(*)::int AS n FROM trend_list_stale")[0].decode("n", as: Int.self)
                if left != 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            running.cancel()
            _ = try? await running.value
            #expect(left == 0)
            let stored = try await database.client.query("SELECT count(*)::int AS n FROM trend_ward_week")[0].decode("n", as: Int.self)
            #expect(stored == 2)  // ACU1's wards W1 and W2, this week
        }
    }

    @Test func incrementalFiguresEqualARebuild() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await Self.load(fixture)
            // A corrected week 2 list (patient 5 missing, then back in week 3) and a synthetic history.
            _ = try await fixture.importText(
                Self.week2.replacingOccurrences(of: "ACU1,W2,\(nhs(5)),2026-09-23\n", with: ""),
                name: "corrected.csv",
                snapshotDate: "2026-11-09"
            )
            var system = SyntheticSystem(
                configuration: .init(
                    sites: 3,
                    bedsPerSite: 40,
                    weeks: 5,
                    seed: 7,
                    firstMonday: CalendarDate(iso: "2026-09-07")!
                )
            )
            try await SiteReferenceImporter(database: database).importCSV(system.referenceCSV())
            while let list = system.nextWeek() {
                #expect(try await fixture.importText(list.csv, name: "synthetic.csv").verdict == .accepted)
            }
            // Lists and opened weeks mark their figures stale; they are recomputed before they are read.
            try await TrendStore(database: database, policy: .standard).refreshStale()
            let incremental = try await Self.dump(database)
            #expect(incremental.count > 20)
            _ = try await TrendService(database: database, policy: .standard).rebuild()
            let rebuilt = try await Self.dump(database)
            #expect(incremental == rebuilt)
        }
    }

    /// Every row of the trend tables as text, in key order.
    static func dump(_ database: Database) async throws -> [String] {
        var lines: [String] = []
        for (table, order) in [
            ("trend_ward_week", "week_start, ward_id"), ("trend_rollup_week", "scope, site_id, setting, week_start"),
            ("trend_review_week", "week_start, ward_id"), ("trend_review_reason", "week_start, ward_id, reason_code"),
        ] {
            let rows = try await database.client.query(
                .init(unsafeSQL: "SELECT '\(table)' || ':' || t::text AS line FROM \(table) t ORDER BY \(order)")
            )
            lines += try rows.map { try $0.decode("line") }
        }
        return lines
    }
}
