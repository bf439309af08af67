import Foundation
import Testing

@testable import Reports
@testable import StrandedCore

/// Chart legends never overlap or run off the chart, and a small multiple's
/// title is left to its page (where a long site name wraps).
@Suite("Chart legends and titles")
struct ChartLegendTests {
    static let longNames = [
        "Awaiting further non-acute NHS care (community hospital or rehabilitation bed)",
        "Awaiting hospital package of care", "Medical or clinical: awaiting review, decision, test or treatment",
        "Awaiting completion of assessment of care needs", "Awaiting residential care home placement",
        "Awaiting community equipment or home adaptations", "Awaiting nursing home placement", "Patient or family choice", "Other reasons",
    ]

    @Test func entriesSitInColumnsWithoutOverlapOrOverflow() {
        let layout = LegendLayout(labels: Self.longNames, swatch: 18, available: 660, fontSize: 10, maximumColumns: 3)
        let columns = Set(layout.places.map(\.x)).sorted()
        let columnWidth = columns.count > 1 ? columns[1] - columns[0] : 660
        for index in Self.longNames.indices {
            let text = layout.text(index, x: 0, y: 0)
            let shown = text.replacingOccurrences(of: #"<title>[^<]*</title>"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
            // 0.6 em a character at 10 px, after an 18 px swatch, within the column.
            #expect(18 + Double(shown.count) * 6 <= columnWidth, "\(shown)")
            if shown != Self.longNames[index] { #expect(text.contains("<title>\(Self.longNames[index])</title>") && shown.hasSuffix("…")) }
        }
        #expect(layout.rows == (Self.longNames.count + columns.count - 1) / columns.count)
        #expect(columns.last! + columnWidth <= 660.5)
    }

    @Test func theChartGrowsWithItsLegendRows() throws {
        let weeks = [CalendarDate(iso: "2026-11-16")!]
        let few = SVGChart.stackedBars(title: "t", weeks: weeks, categories: [("A", [1]), ("B", [2])])
        let many = SVGChart.stackedBars(title: "t", weeks: weeks, categories: Self.longNames.map { ($0, [1]) })
        func height(_ svg: String) -> Double? {
            svg.firstMatch(of: #/viewBox="0 0 720 ([0-9.]+)"/#).flatMap { Double($0.1) }
        }
        let manyHeight = try #require(height(many))
        let fewHeight = try #require(height(few))
        #expect(manyHeight > fewHeight)
    }

    @Test func aSmallMultipleDrawsNoTitleOfItsOwn() {
        let svg = SVGChart.lines(
            title: "R9A01 South Kingsmead Royal Infirmary",
            weeks: [CalendarDate(iso: "2026-11-16")!, CalendarDate(iso: "2026-11-23")!],
            lines: [.init(name: "LoS 7+", values: [3, 4], style: .solidCircles)],
            width: 240,
            height: 120,
            compact: true
        )
        #expect(svg.contains("<title>R9A01 South Kingsmead Royal Infirmary</title>"))
        #expect(!svg.contains("font-weight=\"bold\""))
    }
}
