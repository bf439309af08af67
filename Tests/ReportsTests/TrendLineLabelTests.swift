import Foundation
import Reports
import StrandedCore
import Testing

/// The length-of-stay metrics and chart series are named from the thresholds
/// the figures were computed with.
@Suite("Trend labels follow the thresholds")
struct TrendLineLabelTests {
    static let monday = CalendarDate(iso: "2026-11-02")!
    /// Stranded from 10 days, super stranded from 14, bands 10+, 14+ and 30+.
    static let local = StrandedThresholds(
        strandedDays: 10,
        superStrandedDays: 14,
        bands: [.init(minimumDays: 10), .init(minimumDays: 14), .init(minimumDays: 30)]
    )

    static func series() -> TrendSeries {
        var week = TrendWeek(week: monday)
        week.patientsAtLeast = [.init(minimumDays: 10): 4, .init(minimumDays: 14): 4, .init(minimumDays: 30): 2]
        week.losHistogram =
            [0, 0, 0, 0, 1] + Array(repeating: 0, count: 6) + [1] + Array(repeating: 0, count: 18) + [1]
            + Array(repeating: 0, count: 59) + [1]  // LoS 14, 21, 40, 100 from day 10
        week.inpatients = 6
        week.underSeven = 2
        let unit = TrendUnitSeries(code: "ACU1", name: "Northshire General", setting: "acute", weeks: [week])
        return TrendSeries(scope: .site, from: monday, to: monday, units: [unit], escalationsAvailable: false)
    }

    @Test func theStandardMetricsKeepTheirNamesAndLabels() {
        let metrics = TrendMetric.all(taxonomy: .standard, thresholds: .standard, redDays: .standard)
        #expect(metrics.prefix(5).map(\.id) == ["stranded_7_plus", "los_14_plus", "los_21_plus", "los_50_plus", "los_100_plus"])
        #expect(
            metrics.prefix(5).map(\.label) == [
                "Patients at LoS 7+ (stranded)", "Patients at LoS 14+", "Patients at LoS 21+ (super stranded)",
                "Patients at LoS 50+", "Patients at LoS 100+",
            ]
        )
        let census = metrics.filter { $0.id.hasPrefix("census_") }
        #expect(census.map(\.id) == ["census_inpatients", "census_under_7", "census_under_7_pct"])
        #expect(
            census.map(\.label) == [
                "Inpatients (full census lists)", "Inpatients under 7 days (full census lists)",
                "Share of inpatients under 7 days (%)",
            ]
        )
    }

    @Test func configuredLinesNameTheMetrics() {
        let metrics = TrendMetric.all(taxonomy: .standard, thresholds: Self.local, redDays: .standard)
        #expect(metrics.prefix(4).map(\.id) == ["stranded_10_plus", "los_14_plus", "los_30_plus", "newly_stranded"])
        #expect(metrics.prefix(3).map(\.label) == ["Patients at LoS 10+ (stranded)", "Patients at LoS 14+ (super stranded)", "Patients at LoS 30+"])
        #expect(metrics.contains { $0.id == "census_under_10" && $0.label == "Inpatients under 10 days (full census lists)" })

        let export = TrendExport(taxonomy: .standard, thresholds: Self.local, redDays: .standard)
        let csv = export.csv(Self.series())
        #expect(csv.hasPrefix("week_start,scope,code,name,setting,stranded_10_plus,los_14_plus,los_30_plus,newly_stranded,"))
        #expect(csv.contains("2026-11-02,site,ACU1,Northshire General,acute,4,4,2,0,"))
        let long = export.long(Self.series()).components(separatedBy: "\r\n")
        #expect(long.contains("2026-11-02,ACU1,Northshire General,stranded_10_plus,4"))
        #expect(long.contains("2026-11-02,ACU1,Northshire General,los_30_plus,2"))
        #expect(long.contains("2026-11-02,ACU1,Northshire General,median_los_stranded,30.5"))  // 14, 21, 40, 100
        #expect(long.contains("2026-11-02,ACU1,Northshire General,census_under_10_pct,33.3"))
        #expect(!long.contains { $0.contains("los_21_plus") || $0.contains("stranded_7_plus") })
        let json = export.json(Self.series())
        #expect(json.contains("\"label\" : \"Patients at LoS 14+ (super stranded)\""))
    }

    @Test func chartSeriesAreNamedFromTheLines() {
        let series = Self.series()
        let weeks = TrendCharts.weeks(from: Self.monday, to: Self.monday)
        let chart = TrendCharts.stranded(series.units[0], weeks: weeks, thresholds: Self.local)
        #expect(chart.title.hasPrefix("Stranded (10+) and super stranded (14+): Northshire General"))
        #expect(chart.table.headers == ["Week", "LoS 10+", "LoS 14+", "Inpatients (census)", "Under 10 days (%)"])
        #expect(chart.table.rows == [["2026-11-02", "4", "4", "6", "33.3"]])
        #expect(chart.svg.contains("LoS 10+") && chart.svg.contains("LoS 14+"))
        #expect(!chart.svg.contains("LoS 7+") && !chart.svg.contains("LoS 21+"))
        // The aim is a share of admissions, measured on stays: no census band stands in for it.
        #expect(!chart.svg.contains("10–15% of inpatients"))
        #expect(!chart.title.contains("Aim"))
        let small = TrendCharts.smallMultiples(series.units, weeks: weeks, thresholds: Self.local)
        #expect(small[0].table.headers == ["Week", "LoS 10+", "LoS 14+"])
        #expect(small[0].table.rows == [["2026-11-02", "4", "4"]])
    }
}
