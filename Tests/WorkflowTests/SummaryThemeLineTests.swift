import Foundation
import Postgres
import Reports
import Store
import StrandedCore
import TestSupport
import Testing

@testable import Workflow

@Suite("The chief executive summary's line on prevention themes")
struct SummaryThemeLineTests {
    @Test func theSummaryNamesTheWeeksTopThemesAndWhetherEachIsRising() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            try await SummaryLists.load(fixture)
            let store = ReviewStore(database: database, policy: .standard)
            let forms = try await database.client.query(
                "SELECT id, version FROM level1_form WHERE week_start = '2026-11-16' ORDER BY id"
            ).map { (try $0.decode("id", as: Int64.self), try $0.decode("version", as: Int.self)) }
            for (index, form) in forms.prefix(3).enumerated() {
                var review = completeReview()
                review.q3.themes = index == 0 ? ["housing", "transport"] : ["transport"]
                _ = try await store.save(id: form.0, expectedVersion: form.1, review: review, by: "test")
            }
            let service = EscalationSummaryService(database: database, policy: .standard, delivery: .none)
            let frozen = try await service.build(week: SummaryLists.week, builtBy: "Test Builder")
            let line =
                "Top prevention themes this week: Transport 3 (rising; 4-week average 0.0); Housing 1 (rising; 4-week average 0.0)."
            #expect(frozen.summary.preventionThemes == line)
            #expect(frozen.html.contains(line))
            #expect(frozen.markdown.contains(line))
        }
    }
}
