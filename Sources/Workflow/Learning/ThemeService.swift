import Foundation
import Reports
import Store
import StrandedCore

/// The prevention themes wards code at Q3, counted: for the themes page and
/// its export, the Level 2 agenda's top themes and a plan action's outcome chart.
public struct ThemeService: Sendable {
    let store: ThemeStore
    /// The configured taxonomy names and attributes the themes.
    public let policy: StrandedPolicy

    public init(database: Database, policy: StrandedPolicy) {
        store = ThemeStore(database: database)
        self.policy = policy
    }

    /// Counts per week, ward and theme for the weeks from `from` to `to`.
    public func tallies(from: ReviewWeek, to: ReviewWeek) async throws -> [PreventionThemeTally] {
        try await store.wardWeekCounts(from: from.monday, to: to.monday)
    }

    /// The page's table: themes against weeks, sites, wards or agencies.
    public func crossTab(from: ReviewWeek, to: ReviewWeek, by dimension: ThemeDimension) async throws -> ThemeCrossTab {
        ThemeCounts.crossTab(
            try await tallies(from: from, to: to),
            by: dimension,
            taxonomy: policy.preventionThemes,
            weeks: ThemeCounts.weeks(from: from.monday, to: to.monday)
        )
    }

    /// The export of the weeks from `from` to `to` (CSV).
    public func csv(from: ReviewWeek, to: ReviewWeek) async throws -> String {
        ThemeCounts.csv(try await tallies(from: from, to: to), taxonomy: policy.preventionThemes)
    }

    /// This week's top prevention themes, for the Level 2 agenda.
    public func topThemes(week: ReviewWeek, limit: Int = 5) async throws -> [ThemeCount] {
        ThemeCounts.top(try await tallies(from: week, to: week), week: week.monday, taxonomy: policy.preventionThemes, limit: limit)
    }

    /// One theme's cases per week over the `weeks` weeks up to `to`: a plan
    /// action's outcome series.
    public func weekly(theme: PreventionThemeCode, weeks: Int, to: ReviewWeek) async throws -> [(week: CalendarDate, cases: Int)] {
        let from = to.adding(weeks: -(max(weeks, 1) - 1))
        return ThemeCounts.weekly(
            try await tallies(from: from, to: to),
            theme: theme,
            weeks: ThemeCounts.weeks(from: from.monday, to: to.monday)
        )
    }

    /// The chief executive summary's line: the week's top three themes, each
    /// rising or falling against the four weeks before.
    public func movementLine(week: ReviewWeek) async throws -> String {
        let tallies = try await tallies(from: week.adding(weeks: -4), to: week)
        return ThemeCounts.movementLine(ThemeCounts.movements(tallies, week: week.monday, taxonomy: policy.preventionThemes))
    }
}
