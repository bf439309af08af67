import Foundation
import StrandedCore

/// One prevention theme and how many cases were coded with it.
public struct ThemeCount: Sendable, Equatable, Codable {
    public let theme: PreventionThemeCode
    public let label: String
    /// Who would have had to act earlier; nil for a code no longer configured.
    public let agency: Agency?
    public let cases: Int

    public init(theme: PreventionThemeCode, label: String, agency: Agency?, cases: Int) {
        self.theme = theme
        self.label = label
        self.agency = agency
        self.cases = cases
    }
}

/// What theme counts are broken down by.
public enum ThemeDimension: String, CaseIterable, Sendable {
    case week, site, ward, agency

    public var label: String {
        switch self {
        case .week: return "Week"
        case .site: return "Site"
        case .ward: return "Ward"
        case .agency: return "Responsible agency"
        }
    }
}

/// Themes down the side, the chosen breakdown across the top.
public struct ThemeCrossTab: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public let key: String
        public let label: String
    }
    public struct Row: Sendable, Equatable {
        public let theme: PreventionThemeCode
        public let label: String
        public let agency: Agency?
        public let counts: [Int]
        public let total: Int
    }
    public let dimension: ThemeDimension
    public let columns: [Column]
    public let rows: [Row]
    public let columnTotals: [Int]
    public let total: Int
}

/// Pure functions over theme tallies: the page's table, the agenda's top
/// themes, the export and an action's outcome series.
public enum ThemeCounts {
    /// The cross-tabulation of `tallies` by `dimension`. Rows are the
    /// configured themes in taxonomy order (every one, so a theme nobody chose
    /// shows as zero) followed by any stored code no longer configured.
    /// Agency columns follow the theme's configured agency. For weeks, pass
    /// `weeks` to get a column for every week, zero or not.
    public static func crossTab(
        _ tallies: [PreventionThemeTally],
        by dimension: ThemeDimension,
        taxonomy: PreventionThemeTaxonomy,
        weeks: [CalendarDate] = []
    ) -> ThemeCrossTab {
        func column(_ tally: PreventionThemeTally) -> ThemeCrossTab.Column? {
            switch dimension {
            case .week: return .init(key: tally.week.iso, label: tally.week.iso)
            case .site: return .init(key: tally.siteCode, label: tally.siteName)
            case .ward:
                return .init(key: "\(tally.siteCode)/\(tally.wardCode)", label: "\(tally.siteCode) \(tally.wardName ?? tally.wardCode)")
            case .agency:
                guard let agency = taxonomy.theme(tally.theme)?.agency else { return .init(key: "unknown", label: "Not configured") }
                return .init(key: agency.rawValue, label: agency.label)
            }
        }
        var columns: [ThemeCrossTab.Column] = []
        switch dimension {
        case .week: columns = weeks.map { .init(key: $0.iso, label: $0.iso) }
        case .agency: columns = Agency.allCases.map { .init(key: $0.rawValue, label: $0.label) }
        case .site, .ward: break
        }
        var cells: [PreventionThemeCode: [String: Int]] = [:]
        for tally in tallies {
            guard let col = column(tally) else { continue }
            if !columns.contains(where: { $0.key == col.key }) { columns.append(col) }
            cells[tally.theme, default: [:]][col.key, default: 0] += tally.cases
        }
        if dimension != .agency { columns.sort { $0.key < $1.key } }
        let unknown = Set(cells.keys).subtracting(taxonomy.codes).sorted()
        let rows = (taxonomy.codes + unknown).map { code in
            let counts = columns.map { cells[code]?[$0.key] ?? 0 }
            return ThemeCrossTab.Row(
                theme: code,
                label: taxonomy.label(code),
                agency: taxonomy.theme(code)?.agency,
                counts: counts,
                total: counts.reduce(0, +)
            )
        }
        let columnTotals = columns.indices.map { index in rows.reduce(0) { $0 + $1.counts[index] } }
        return ThemeCrossTab(
            dimension: dimension,
            columns: columns,
            rows: rows,
            columnTotals: columnTotals,
            total: columnTotals.reduce(0, +)
        )
    }

    /// The week's most frequent themes, most cases first (ties in taxonomy
    /// order), at most `limit`, themes with no case left out.
    public static func top(_ tallies: [PreventionThemeTally], week: CalendarDate, taxonomy: PreventionThemeTaxonomy, limit: Int) -> [ThemeCount] {
        let table = crossTab(tallies.filter { $0.week == week }, by: .week, taxonomy: taxonomy, weeks: [week])
        return table.rows.enumerated()
            .filter { $0.element.total > 0 }
            .sorted { ($0.element.total, -$0.offset) > ($1.element.total, -$1.offset) }
            .prefix(max(limit, 0))
            .map { ThemeCount(theme: $0.element.theme, label: $0.element.label, agency: $0.element.agency, cases: $0.element.total) }
    }

    /// One theme's cases per week, zero for a week with none, in week order.
    public static func weekly(
        _ tallies: [PreventionThemeTally],
        theme: PreventionThemeCode,
        weeks: [CalendarDate]
    ) -> [(week: CalendarDate, cases: Int)] {
        var byWeek: [CalendarDate: Int] = [:]
        for tally in tallies where tally.theme == theme { byWeek[tally.week, default: 0] += tally.cases }
        return weeks.map { ($0, byWeek[$0] ?? 0) }
    }

    /// The Mondays from `from` to `to`.
    public static func weeks(from: CalendarDate, to: CalendarDate) -> [CalendarDate] {
        var result: [CalendarDate] = []
        var monday = from.mondayOfWeek
        while monday <= to {
            result.append(monday)
            monday = monday.adding(days: 7)
        }
        return result
    }

    /// The export: one row per week, ward and theme, with the theme's
    /// responsible agency. Counts only; no patient appears.
    public static func csv(_ tallies: [PreventionThemeTally], taxonomy: PreventionThemeTaxonomy) -> String {
        var out = CSV.row(["week", "site_code", "site_name", "ward_code", "ward_name", "agency", "theme_code", "theme_label", "cases"])
        for tally in tallies {
            out += CSV.row([
                tally.week.iso, tally.siteCode, tally.siteName, tally.wardCode, tally.wardName ?? "",
                taxonomy.theme(tally.theme)?.agency.rawValue ?? "", tally.theme.rawValue, taxonomy.label(tally.theme), String(tally.cases),
            ])
        }
        return out
    }
}
