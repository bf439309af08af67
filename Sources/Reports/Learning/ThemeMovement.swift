import Foundation
import StrandedCore

/// Whether a prevention theme is coming up more or less often.
public enum ThemeDirection: String, Sendable, Codable {
    case rising, falling, steady
}

/// A theme this week against its recent weeks.
public struct ThemeMovement: Sendable, Equatable, Codable {
    public let theme: PreventionThemeCode
    public let label: String
    public let cases: Int
    /// The mean of the weeks before (zero when there were none).
    public let average: Double
    public let direction: ThemeDirection
}

extension ThemeCounts {
    /// The week's top `limit` themes, each compared with the mean of the
    /// `baselineWeeks` weeks before: rising when above it, falling when
    /// below, steady when equal.
    public static func movements(
        _ tallies: [PreventionThemeTally],
        week: CalendarDate,
        taxonomy: PreventionThemeTaxonomy,
        limit: Int = 3,
        baselineWeeks: Int = 4
    ) -> [ThemeMovement] {
        let before = (1...max(baselineWeeks, 1)).map { week.adding(days: -7 * $0) }
        return top(tallies, week: week, taxonomy: taxonomy, limit: limit).map { count in
            let total = tallies.filter { $0.theme == count.theme && before.contains($0.week) }.reduce(0) { $0 + $1.cases }
            let average = Double(total) / Double(before.count)
            let direction: ThemeDirection =
                Double(count.cases) > average ? .rising : Double(count.cases) < average ? .falling : .steady
            return ThemeMovement(theme: count.theme, label: count.label, cases: count.cases, average: average, direction: direction)
        }
    }

    /// The chief executive summary's line: "Therapy assessment late 5
    /// (rising; 4-week average 2.5); …", or a sentence saying none were coded.
    public static func movementLine(_ movements: [ThemeMovement], baselineWeeks: Int = 4) -> String {
        guard !movements.isEmpty else { return "No prevention themes were coded in this week's Level 1 reviews." }
        return "Top prevention themes this week: "
            + movements.map { movement in
                let average = String(format: "%.1f", movement.average)
                return "\(movement.label) \(movement.cases) (\(movement.direction.rawValue); \(baselineWeeks)-week average \(average))"
            }.joined(separator: "; ") + "."
    }
}
