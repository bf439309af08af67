import Foundation
import Reports
import StrandedCore
import Testing

@Suite("Trend exports and charts")
struct TrendExportTests {
    static let monday = CalendarDate(iso: "2026-11-02")!

    static func sample() -> TrendSeries {
        var week = TrendWeek(week: monday)
        week.patientsAtLeast = [.days7: 12, .days14: 8, .days21: 3, .days50: 1, .days100: 0]
        week.newlyStranded = 6
        week.strandedDischarged = 7
        week.strandedBedDays = 70
        week.losHistogram = [
            2, 1, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1,
        ]
        week.inpatients = 40
        week.underSeven = 28
        week.formsDue = 12
        week.onTime = 9
        week.redDays = 4
        week.reasons = ["care-package-home": .init(patients: 5, primary: 4), "medical": .init(patients: 2, primary: 2)]
        let unit = TrendUnitSeries(code: "ACU1", name: "=HYPERLINK(\"x\"), General", setting: "acute", weeks: [week])
        return TrendSeries(scope: .site, from: monday, to: monday, units: [unit], escalationsAvailable: false)
    }

    @Test func medianAndPercentileComeFromTheHistogram() {
        var week = TrendWeek(week: Self.monday)
        week.losHistogram = [1, 0, 0, 1, 0, 1, 1]  // LoS 7, 10, 12, 13
        #expect(week.medianLoS(using: .standard) == 11)
        #expect(week.p90LoS(using: .standard) == 13)
        week.losHistogram = [0, 3]
        #expect(week.medianLoS(using: .standard) == 8)
        #expect(TrendWeek(week: Self.monday).medianLoS(using: .standard) == nil)
        var sum = TrendWeek(week: Self.monday)
        sum.add(week)
        var other = TrendWeek(week: Self.monday)
        other.losHistogram = [
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 1,
        ]
        sum.add(other)  // LoS 8, 8, 8, 101
        #expect(sum.medianLoS(using: .standard) == 8)
        #expect(sum.p90LoS(using: .standard) == 101)
    }

    @Test func thresholdSuppressionHidesOneToFourAndStatesTheRule() {
        let control = DisclosureControl.publication
        #expect(control.show(0) == "0")
        #expect(control.show(1) == "*")
        #expect(control.show(4) == "*")
        #expect(control.show(5) == "5")
        #expect(DisclosureControl.suppressBelow(10).show(9) == "*")
        #expect(control.text(.measure(50, base: 3)) == "*")
        #expect(control.text(.measure(62.5, base: 8)) == "62.5")
        let csv = TrendExport(control: control, taxonomy: .standard, thresholds: .standard, redDays: .standard).csv(Self.sample())
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0].hasSuffix(",disclosure_control"))
        let header = lines[0].components(separatedBy: ",")
        // A data row: find cells by header (the name cell is quoted, so split after it).
        #expect(lines[1].contains("Counts from 1 to 4 are shown as *"))
        #expect(header.contains("level1_red_weeks") && header.contains("red_bed_days"))
        #expect(lines[1].contains(",12,8,*,*,0,6,7,70,"))  // 21+ = 3 and 50+ = 1 suppressed, 100+ = 0 shown
    }

    @Test func nhsDigitalRoundsToFivesAndHidesOneToSeven() {
        let control = DisclosureControl.nhsDigital
        #expect([0, 1, 7, 8, 12, 13, 70].map(control.show) == ["0", "*", "*", "10", "10", "15", "70"])
        #expect(control.text(.measure(75, base: 7)) == "*")
        #expect(control.statement.contains("rounded to the nearest 5"))
        let long = TrendExport(control: control, taxonomy: .standard, thresholds: .standard, redDays: .standard).long(Self.sample())
        #expect(long.hasPrefix("Period,Org Code,Org Name,Metric,Value,Disclosure Control\r\n"))
        #expect(long.contains(",stranded_7_plus,10,"))
    }

    @Test func longFormatHasTheNationalColumns() {
        let long = TrendExport(taxonomy: .standard, thresholds: .standard, redDays: .standard).long(Self.sample())
        let lines = long.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines[0] == "Period,Org Code,Org Name,Metric,Value")
        #expect(lines.contains("2026-11-02,ACU1,\"'=HYPERLINK(\"\"x\"\"), General\",stranded_7_plus,12"))
        #expect(lines.contains { $0.hasSuffix(",median_los_stranded,14") })
        #expect(lines.contains { $0.hasSuffix(",census_under_7_pct,70") })
        #expect(lines.contains { $0.hasSuffix(",level1_on_time_pct,75") })
        #expect(lines.contains { $0.hasSuffix(",primary_delay_agency_social_care,4") })
        // Escalations unknown in this database: left out, not reported as 0.
        #expect(!lines.contains { $0.contains("level2_opened") })
    }

    @Test func csvCellsAreQuotedAndFormulaeDefused() {
        #expect(CSV.cell("=1+1") == "'=1+1")
        #expect(CSV.cell("+44") == "'+44")
        #expect(CSV.cell("-x") == "'-x")
        #expect(CSV.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.cell("a,b") == "\"a,b\"")
        #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.cell("12") == "12")
        let csv = TrendExport(taxonomy: .standard, thresholds: .standard, redDays: .standard).csv(Self.sample())
        #expect(csv.hasPrefix("week_start,scope,code,name,setting,stranded_7_plus,"))
        #expect(csv.contains("2026-11-02,site,ACU1,\"'=HYPERLINK(\"\"x\"\"), General\",acute,12,"))
        #expect(!csv.contains("disclosure_control"))
    }

    @Test func jsonCarriesNumbersAndTheRule() throws {
        let text = TrendExport(control: .publication, taxonomy: .standard, thresholds: .standard, redDays: .standard).json(Self.sample())
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((document["disclosure_control"] as? String)?.contains("shown as *") == true)
        let unit = try #require((document["units"] as? [[String: Any]])?.first)
        let week = try #require((unit["weeks"] as? [[String: Any]])?.first)
        #expect(week["stranded_7_plus"] as? Int == 12)
        #expect(week["los_50_plus"] as? String == "*")
    }

    @Test func chartsAreScriptFreeSVGWithTables() {
        let series = Self.sample()
        let weeks = TrendCharts.weeks(from: Self.monday, to: Self.monday.adding(days: 14))
        let chart = TrendCharts.stranded(series.units[0], weeks: weeks, thresholds: .standard)
        #expect(chart.svg.hasPrefix("<svg"))
        #expect(!chart.svg.contains("<script"))
        #expect(chart.svg.contains("stroke-dasharray"))  // 21+ is dashed, not only another colour
        // The aim is measured on stays, not drawn as a census band.
        #expect(!chart.svg.contains("Aim"))
        #expect(chart.svg.contains("=HYPERLINK(&quot;x&quot;)"))
        #expect(chart.table.rows.count == 3)
        #expect(chart.table.rows[0] == ["2026-11-02", "12", "3", "40", "70"])
        let reasons = TrendCharts.delayReasons(series.units[0], weeks: weeks, taxonomy: .standard)
        #expect(reasons.table.headers.count == 3)
        #expect(reasons.svg.contains("pattern"))
        #expect(TrendCharts.smallMultiples(series.units, weeks: weeks, thresholds: .standard).count == 1)
    }
}
