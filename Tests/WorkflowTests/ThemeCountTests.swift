import Foundation
import Postgres
import Reports
import Store
import StrandedCore
import TestSupport
import Testing

@testable import Workflow

@Suite("Counting prevention themes across weeks, wards and agencies")
struct ThemeCountTests {
    typealias R = ReviewCycleTests

    func save(_ service: ReviewService, _ form: Level1FormRecord, themes: [PreventionThemeCode]) async throws {
        var review = form.review
        review.q3 = .init(narrative: "Earlier referral.", themes: themes)
        guard case .saved = try await service.saveDraft(id: form.id, version: form.version, review: review, by: "Nurse") else {
            Issue.record("save failed")
            return
        }
    }

    @Test func aCaseCountsOncePerThemeInTheWeekItWasFirstNamed() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            let reviews = ReviewService(database: database, policy: .standard)
            _ = try await fixture.importText(R.week1, snapshotDate: "2026-11-16")
            // Week 1: Adams (W1) therapy + transport; Cole (W2) therapy.
            let week1 = try await R().forms(database, week: R.monday1)
            try await save(reviews, week1[0], themes: ["late-therapy-assessment", "transport"])
            try await save(reviews, week1[1], themes: ["late-therapy-assessment"])
            _ = try await fixture.importText(R.week2, snapshotDate: "2026-11-23")
            // Week 2: Adams again names therapy (already counted) and now housing; Dale (W2) therapy.
            let week2 = try await R().forms(database, week: R.monday2)
            #expect(week2.map(\.familyName) == ["Adams", "Brown", "Dale"])
            try await save(reviews, week2[0], themes: ["late-therapy-assessment", "housing"])
            try await save(reviews, week2[2], themes: ["late-therapy-assessment"])

            let service = ThemeService(database: database, policy: .standard)
            let tallies = try await service.tallies(from: R.monday1, to: R.monday2)
            func count(_ week: ReviewWeek, _ ward: String, _ theme: PreventionThemeCode) -> Int {
                tallies.first { $0.week == week.monday && $0.wardCode == ward && $0.theme == theme }?.cases ?? 0
            }
            #expect(count(R.monday1, "W1", "late-therapy-assessment") == 1)
            #expect(count(R.monday1, "W2", "late-therapy-assessment") == 1)
            #expect(count(R.monday1, "W1", "transport") == 1)
            #expect(count(R.monday2, "W1", "late-therapy-assessment") == 0)  // Adams already counted in week 1
            #expect(count(R.monday2, "W1", "housing") == 1)
            #expect(count(R.monday2, "W2", "late-therapy-assessment") == 1)

            let byWeek = try await service.crossTab(from: R.monday1, to: R.monday2, by: .week)
            #expect(byWeek.columns.map(\.key) == ["2026-11-16", "2026-11-23"])
            let therapy = try #require(byWeek.rows.first { $0.theme == "late-therapy-assessment" })
            #expect(therapy.counts == [2, 1])
            #expect(byWeek.total == 5)

            let byAgency = try await service.crossTab(from: R.monday1, to: R.monday2, by: .agency)
            #expect(byAgency.columns.map(\.key) == Agency.allCases.map(\.rawValue))
            #expect(byAgency.columnTotals == [4, 0, 0, 1])  // therapy ×3 and transport: NHS; housing: other

            let bySite = try await service.crossTab(from: R.monday1, to: R.monday2, by: .site)
            #expect(bySite.columns.map(\.key) == ["ACU1"])

            // The agenda's top themes for week 2: housing and therapy, one case each, in taxonomy order.
            let top = try await service.topThemes(week: R.monday2)
            #expect(top.map(\.theme) == ["late-therapy-assessment", "housing"])
            #expect(top.map(\.cases) == [1, 1])

            let series = try await service.weekly(theme: "late-therapy-assessment", weeks: 3, to: R.monday2)
            #expect(series.map(\.cases) == [0, 2, 1])

            let csv = try await service.csv(from: R.monday1, to: R.monday2)
            #expect(csv.hasPrefix("week,site_code,site_name,ward_code,ward_name,agency,theme_code,theme_label,cases\r\n"))
            #expect(csv.contains("2026-11-23,ACU1,"))
            #expect(csv.contains(",other,housing,Housing,1\r\n"))
            #expect(!csv.contains("Adams"))
        }
    }
}
