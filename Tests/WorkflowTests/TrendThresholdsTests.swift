import Foundation
import Postgres
import Reports
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport
import Workflow

/// The trend figures under configured length-of-stay thresholds, against
/// hand-computed values, and their recomputation when the thresholds change.
@Suite("Trend figures follow the thresholds")
struct TrendThresholdsTests {
    /// Stranded from 10 days, super stranded from 14, bands 10+, 14+ and 30+.
    static let local: StrandedPolicy = {
        var policy = StrandedPolicy.standard
        policy.thresholds = StrandedThresholds(
            strandedDays: 10,
            superStrandedDays: 14,
            bands: [.init(minimumDays: 10), .init(minimumDays: 14), .init(minimumDays: 30)]
        )
        return policy
    }()

    func week(_ series: TrendSeries, _ iso: String) -> TrendWeek? {
        series.units.first { $0.exportCode == "ACU1" }?.weeks.first { $0.week.iso == iso }
    }

    /// Counts at 10+, 14+ and 30+, then newly stranded, discharged, bed days, median, 90th percentile, under 10.
    func figures(_ week: TrendWeek?, _ thresholds: StrandedThresholds) -> [Double?] {
        guard let week else { return [] }
        let counts: [Int] = [
            week.patients(atLeast: 10), week.patients(atLeast: 14), week.patients(atLeast: 30),
            week.newlyStranded, week.strandedDischarged, week.strandedBedDays,
        ]
        let measures: [Double?] = [
            week.medianLoS(using: thresholds), week.p90LoS(using: thresholds).map(Double.init),
            week.underSeven.map(Double.init),
        ]
        return counts.map { Double($0) } + measures
    }

    /// ACU1's lists of TrendSeriesTests (LoS 3, 7, 14, 21 | 40, 100; then 10, 14, 28 | 47, 1; then 17, 21 | 54, 8, 1)
    /// imported and read under the local thresholds.
    @Test func figuresUnderConfiguredThresholdsMatchHandComputedValues() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database, policy: Self.local)
            try await TrendSeriesTests.load(fixture)
            let service = TrendService(database: database, policy: Self.local)
            let series = try await service.series(scope: .site, code: "ACU1", from: TrendSeriesTests.from, to: TrendSeriesTests.to)
            let local = Self.local.thresholds
            // Week 1: stranded 14, 21, 40, 100; bed days min(7, LoS − 9): 5 + 7 + 7 + 7.
            #expect(figures(week(series, "2026-11-02"), local) == [4, 4, 2, 4, 0, 26, 30.5, 100, 2])
            // Week 2: 10, 14, 28, 47 (patients 1 and 2 newly past 10 days; 3 and 6 gone); 1 + 5 + 7 + 7.
            #expect(figures(week(series, "2026-11-09"), local) == [4, 3, 1, 2, 2, 20, 21, 47, 1])
            // Week 3: 17, 21, 54 (8 and 1 under the line; patient 4 gone).
            #expect(figures(week(series, "2026-11-16"), local) == [3, 3, 1, 0, 1, 21, 21, 54, 2])

            let long = try await service.export(
                TrendRequest(
                    scope: .site,
                    code: "ACU1",
                    from: TrendSeriesTests.from,
                    to: TrendSeriesTests.to,
                    format: .long,
                    control: .none
                )
            )
            let lines = long.components(separatedBy: "\r\n")
            #expect(lines.contains("2026-11-02,ACU1,Northshire General,stranded_10_plus,4"))
            #expect(lines.contains("2026-11-02,ACU1,Northshire General,los_30_plus,2"))
            #expect(lines.contains("2026-11-09,ACU1,Northshire General,census_under_10,1"))
            #expect(!lines.contains { $0.contains("stranded_7_plus") || $0.contains("los_21_plus") })

            // The system sums sites under the same lines (COM1's long-stay list: LoS 39).
            let system = try await service.series(scope: .system, code: nil, from: TrendSeriesTests.from, to: TrendSeriesTests.to)
            let all = try #require(system.units.first { $0.exportCode == "SYSTEM" }?.weeks.first { $0.week.iso == "2026-11-09" })
            #expect([10, 14, 30].map(all.patients(atLeast:)) == [5, 4, 2])
        }
    }

    /// A band below the stranded line (stranded from 10 days, the standard
    /// bands from 7): the histogram starts at 7, the stranded measures skip
    /// what lies below 10, and the incremental figures equal a rebuild's.
    @Test func aBandBelowTheStrandedLineIsCountedToo() async throws {
        try await TestCluster.withDatabase { database in
            var policy = StrandedPolicy.standard
            policy.thresholds.strandedDays = 10
            let fixture = try await ImportFixture(database: database, policy: policy)
            try await TrendSeriesTests.load(fixture)
            let service = TrendService(database: database, policy: policy)
            let series = try await service.series(scope: .site, code: "ACU1", from: TrendSeriesTests.from, to: TrendSeriesTests.to)
            let first = try #require(week(series, "2026-11-02"))  // LoS 3, 7, 14, 21 | 40, 100
            #expect([7, 10, 14, 21, 50, 100].map(first.patients(atLeast:)) == [5, 4, 4, 3, 1, 1])
            #expect(first.medianLoS(using: policy.thresholds) == 30.5)  // 14, 21, 40, 100: the 7 is not stranded
            #expect(first.strandedBedDays == 26)
            #expect(first.underSeven == 2)
            let metrics = TrendExport(taxonomy: .standard, thresholds: policy.thresholds, redDays: .standard).metrics.prefix(6)
            #expect(metrics.map(\.id) == ["los_7_plus", "stranded_10_plus", "los_14_plus", "los_21_plus", "los_50_plus", "los_100_plus"])
            #expect(metrics.map(\.label)[3] == "Patients at LoS 21+ (super stranded)")
            #expect(try await Self.computedWith(database) == [10, 7])
            let incremental = try await TrendSeriesTests.dump(database)
            _ = try await service.rebuild()
            #expect(try await TrendSeriesTests.dump(database) == incremental)
        }
    }

    /// The figures were computed under the standard lines; a service started
    /// with others marks every week stale, and its first refresh recomputes them.
    @Test func changedThresholdsRecomputeTheStoredFigures() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await TrendSeriesTests.load(fixture)
            let standard = TrendService(database: database, policy: .standard)
            let before = try await standard.series(scope: .site, code: "ACU1", from: TrendSeriesTests.from, to: TrendSeriesTests.to)
            #expect(week(before, "2026-11-02")?.strandedBedDays == 29)
            #expect(try await Self.computedWith(database) == [7, 7])

            // Only a band above the lowest line moved: summed from the stored histogram, nothing recomputed.
            var wider = StrandedPolicy.standard
            wider.thresholds.bands.append(.init(minimumDays: 28))
            try await TrendStore(database: database, policy: wider).refreshStale()
            #expect(try await Self.staleMarks(database) == 0)
            let banded = try await TrendService(database: database, policy: wider)
                .series(scope: .site, code: "ACU1", from: TrendSeriesTests.from, to: TrendSeriesTests.to)
            #expect(week(banded, "2026-11-02")?.patients(atLeast: 28) == 2)  // 40 and 100

            // A new stranded line: the daemon's first round marks every week of every site and recomputes them.
            try await TrendStore(database: database, policy: Self.local).refreshStale()
            #expect(try await Self.staleMarks(database) == 0)
            #expect(try await Self.computedWith(database) == [10, 10])
            let after = try await TrendService(database: database, policy: Self.local)
                .series(scope: .site, code: "ACU1", from: TrendSeriesTests.from, to: TrendSeriesTests.to)
            let first = try #require(week(after, "2026-11-02"))
            #expect([10, 14, 30].map(first.patients(atLeast:)) == [4, 4, 2])
            #expect(first.strandedBedDays == 26)
            #expect(first.underSeven == 2)
            #expect(first.medianLoS(using: Self.local.thresholds) == 30.5)

            // Back to the standard lines: the figures equal a rebuild's.
            _ = try await standard.series(scope: .site, code: "ACU1", from: TrendSeriesTests.from, to: TrendSeriesTests.to)
            let recomputed = try await TrendSeriesTests.dump(database)
            _ = try await standard.rebuild()
            #expect(try await TrendSeriesTests.dump(database) == recomputed)
            #expect(try await Self.computedWith(database) == [7, 7])
        }
    }

    /// A database whose figures were stored before the thresholds were
    /// recorded recomputes them once, then records them.
    @Test func figuresOfUnknownThresholdsAreRecomputedOnce() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await TrendSeriesTests.load(fixture)
            let store = TrendStore(database: database, policy: .standard)
            try await store.refreshStale()
            try await database.client.execute("DELETE FROM trend_computed_with")
            try await database.client.execute("UPDATE trend_ward_week SET stranded_bed_days = 0")
            try await store.refreshStale()
            let bedDays: Int = try await database.client.query("SELECT sum(stranded_bed_days)::int AS n FROM trend_ward_week")[0].decode("n")
            #expect(bedDays > 0)
            #expect(try await Self.computedWith(database) == [7, 7])
        }
    }

    static func computedWith(_ database: Database) async throws -> [Int] {
        guard let row = try await database.client.query("SELECT stranded_days, histogram_start_days FROM trend_computed_with").first else {
            return []
        }
        return [try row.decode("stranded_days"), try row.decode("histogram_start_days")]
    }

    static func staleMarks(_ database: Database) async throws -> Int {
        try await database.client.query("SELECT count(*)::int AS n FROM trend_list_stale")[0].decode("n")
    }
}
