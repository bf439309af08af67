import Foundation
import Reports
import StrandedCore
import Testing

@Suite("Theme counts: the table, the top themes and the export")
struct ThemeCountsTests {
    let monday = CalendarDate(iso: "2026-11-16")!
    var next: CalendarDate { monday.adding(days: 7) }

    func tally(_ week: CalendarDate, _ ward: String, _ theme: PreventionThemeCode, _ cases: Int) -> PreventionThemeTally {
        PreventionThemeTally(week: week, siteCode: "S1", siteName: "Site One", wardCode: ward, wardName: nil, theme: theme, cases: cases)
    }

    @Test func everyConfiguredThemeIsARowAndAnUnconfiguredCodeIsKept() {
        let table = ThemeCounts.crossTab(
            [tally(monday, "W1", "transport", 2), tally(next, "W2", "retired-code", 1)],
            by: .week,
            taxonomy: .standard,
            weeks: [monday, next]
        )
        #expect(table.rows.count == PreventionThemeTaxonomy.standard.themes.count + 1)
        #expect(table.rows.last?.label == "retired-code")
        #expect(table.rows.first { $0.theme == "transport" }?.counts == [2, 0])
        #expect(table.columnTotals == [2, 1])
    }

    @Test func topThemesAreMostCasesFirstThenTaxonomyOrderAndLeaveOutZeros() {
        let tallies = [
            tally(monday, "W1", "housing", 3), tally(monday, "W2", "transport", 3),
            tally(monday, "W1", "no-early-edd", 5), tally(next, "W1", "family-expectations", 9),
        ]
        let top = ThemeCounts.top(tallies, week: monday, taxonomy: .standard, limit: 2)
        #expect(top.map(\.theme) == ["no-early-edd", "transport"])
        #expect(top.map(\.cases) == [5, 3])
        #expect(top[0].label == "No expected discharge date set early")
        #expect(ThemeCounts.top(tallies, week: monday.adding(days: 14), taxonomy: .standard, limit: 3).isEmpty)
    }

    @Test func theExportDefusesFormulaeInConfiguredLabels() throws {
        let themes = try PreventionThemeTaxonomy(themes: [PreventionTheme(code: "x", label: "=cmd()", agency: .other, keywords: [])])
        let csv = ThemeCounts.csv([tally(monday, "W1", "x", 1)], taxonomy: themes)
        #expect(csv.contains(",'=cmd(),1\r\n"))
    }
}
