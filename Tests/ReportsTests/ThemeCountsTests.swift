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
        #expect(top[0].label == "Discharge date not set in the first days")
        #expect(ThemeCounts.top(tallies, week: monday.adding(days: 14), taxonomy: .standard, limit: 3).isEmpty)
    }

    @Test func theExportDefusesFormulaeInConfiguredLabels() throws {
        let themes = try PreventionThemeTaxonomy(themes: [PreventionTheme(code: "x", label: "=cmd()", agency: .other, keywords: [])])
        let csv = ThemeCounts.csv([tally(monday, "W1", "x", 1)], taxonomy: themes)
        #expect(csv.contains(",'=cmd(),1\r\n"))
    }
}

@Suite("The chief executive summary's prevention-theme line")
struct ThemeMovementTests {
    let week = CalendarDate(iso: "2026-11-30")!

    func tally(_ weeksBefore: Int, _ theme: PreventionThemeCode, _ cases: Int) -> PreventionThemeTally {
        PreventionThemeTally(
            week: week.adding(days: -7 * weeksBefore),
            siteCode: "S1",
            siteName: "Site One",
            wardCode: "W1",
            wardName: nil,
            theme: theme,
            cases: cases
        )
    }

    @Test func theTopThreeAreComparedWithTheFourWeeksBefore() {
        let tallies = [
            tally(0, "housing", 5), tally(1, "housing", 2), tally(2, "housing", 2),
            tally(0, "transport", 3), tally(1, "transport", 8), tally(3, "transport", 8),
            tally(0, "no-early-edd", 2), tally(1, "no-early-edd", 2), tally(2, "no-early-edd", 2), tally(3, "no-early-edd", 2),
            tally(4, "no-early-edd", 2), tally(0, "family-expectations", 1), tally(5, "housing", 40),
        ]
        let movements = ThemeCounts.movements(tallies, week: week, taxonomy: .standard)
        #expect(movements.map(\.theme) == ["housing", "transport", "no-early-edd"])
        #expect(movements.map(\.direction) == [.rising, .falling, .steady])
        #expect(movements.map(\.average) == [1, 4, 2])
        #expect(
            ThemeCounts.movementLine(movements)
                == "Top prevention themes this week: Housing 5 (rising; 4-week average 1.0); Transport 3 (falling; 4-week average 4.0); Discharge date not set in the first days 2 (steady; 4-week average 2.0)."
        )
        #expect(ThemeCounts.movementLine([]) == "No prevention themes were coded in this week's Level 1 reviews.")
    }
}
