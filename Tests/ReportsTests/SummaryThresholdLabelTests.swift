import Foundation
import Reports
import StrandedCore
import Testing

/// The chief executive summary heads its counts with the lines they were
/// made at, not 7+ and 21+.
@Suite("Escalation summary: labels follow the thresholds")
struct SummaryThresholdLabelTests {
    static let local = StrandedThresholds(
        strandedDays: 10,
        superStrandedDays: 14,
        bands: [.init(minimumDays: 10), .init(minimumDays: 14), .init(minimumDays: 30)]
    )

    @Test func markdownHtmlAndChartNameTheConfiguredLines() {
        let summary = SummaryInputs.summary()
        let markdown = SummaryMarkdown.render(summary, thresholds: Self.local)
        #expect(markdown.contains("## Patients in hospital 10+ and 14+ days"))
        #expect(markdown.contains("| Where | 10+ | vs last week | vs 4-week avg | 14+ | vs last week | vs 4-week avg |"))
        #expect(markdown.contains("| Week | 10+ | 14+ |"))
        #expect(!markdown.contains("7+") && !markdown.contains("21+"))
        let html = SummaryHTML.render(summary, thresholds: Self.local)
        #expect(html.contains("<h2>Patients in hospital 10+ and 14+ days</h2>"))
        #expect(html.contains("<th scope=\"row\">10+</th>") && html.contains("<th scope=\"row\">14+</th>"))
        #expect(html.contains("Solid line, round markers: 10+ days. Dashed line, square markers: 14+ days."))
        #expect(!html.contains(">7+<") && !html.contains(">21+<"))
        let svg = SummaryTrendChart.svg(summary.trend, thresholds: Self.local)
        #expect(svg.contains("Patients at length of stay 10+ and 14+ days"))
    }

    @Test func theStandardLabelsAreUnchanged() {
        let markdown = SummaryMarkdown.render(SummaryInputs.summary(), thresholds: .standard)
        #expect(markdown.contains("## Patients in hospital 7+ and 21+ days"))
        #expect(markdown.contains("| Where | 7+ | vs last week | vs 4-week avg | 21+ | vs last week | vs 4-week avg |"))
        #expect(markdown.contains("| Week | 7+ | 21+ |"))
        let html = SummaryHTML.render(SummaryInputs.summary(), thresholds: .standard)
        #expect(html.contains("Solid line, round markers: 7+ days. Dashed line, square markers: 21+ days."))
    }
}
