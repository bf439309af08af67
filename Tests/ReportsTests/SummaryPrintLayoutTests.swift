import Foundation
import Reports
import StrandedCore
import Testing

/// The summary's print layout with a full call list: forty referred cases,
/// six sites, long free text. Page counts need a browser, so this test keeps
/// the rendered page as a fixture that the browser suite (Tests/Browser)
/// prints to PDF and measures; here it checks the markup that keeps it short
/// and that the fixture is what the renderer makes today.
@Suite("Escalation summary: print layout")
struct SummaryPrintLayoutTests {
    /// The browser suite's fixture for a call list of `cases` cases.
    static func fixture(cases: Int) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Browser/fixtures/summary-\(cases)-cases.html")
    }

    static let sites: [SummaryFigures.Site] = (1...3).flatMap { org in
        (1...2).map { n in
            SummaryFigures.Site(
                code: "R9\(org)0\(n)",
                name: "South Longname Memorial Royal Infirmary \(org)\(n)",
                organisationCode: "R9\(org)",
                organisationName: "South Longname Hospitals NHS Trust \(org)"
            )
        }
    }

    static func fullSummary(cases count: Int = 40) -> EscalationSummary {
        let week = SummaryInputs.week
        let siteWeeks = sites.enumerated().flatMap { index, site in
            (0..<12).map { back in
                SummaryFigures.SiteWeek(
                    week: week.adding(weeks: -back),
                    siteCode: site.code,
                    siteName: site.name,
                    organisationCode: site.organisationCode,
                    organisationName: site.organisationName,
                    stranded: 30 + index * 3 + back,
                    superStranded: 10 + index + back / 2
                )
            }
        }
        let figures = SummaryFigures(
            sites: sites,
            siteWeeks: siteWeeks,
            level1Due: 220,
            level1OnTime: 180,
            level1Late: 30,
            primaryReasons: [
                .carePackageHome: 34, .nursingHome: 21, .medical: 19, .housing: 11,
                .awaitingAssessment: 19, .equipmentAdaptations: 28,
            ]
        )
        let cases = (1...count).map { n in
            ReferredCaseSynopsis(
                caseID: Int64(100 + n),
                site: sites[n % sites.count].name,
                ward: "W0\(n % 9 + 1)",
                lengthOfStay: 150 - n,
                age: 60 + n,
                mainBarrier: "Awaiting community equipment or home adaptations after a second assessment",
                agency: .both,
                actionsTried: [
                    "Level 2: Escalate to the brokerage lead (Social care, due 2026-11-24)",
                    "Ward: Chase the next step for equipment adaptations", "Ward: Family meeting",
                ],
                ask: "No decision at Level 2: Open at Level 2 for 2 consecutive meetings without a decision, since w/c 23 Nov 2026."
            )
        }
        return EscalationSummary.make(
            week: week,
            figures: figures,
            activity: .init(
                level2Opened: 71,
                level2Resolved: 29,
                level2Open: 79,
                chiefExecutiveOpened: count,
                chiefExecutiveResolved: 0,
                chiefExecutiveOpen: count
            ),
            referredCases: cases,
            level1Deadline: "Wed 18 Nov 17:00",
            taxonomy: .standard
        )
    }

    @Test func fortyCasesAreOneCondensedRowEach() {
        let html = SummaryHTML.render(Self.fullSummary(), thresholds: .standard, version: 1)
        #expect(html.contains("<table class=\"cases-table call-list\">"))
        #expect(html.components(separatedBy: "<tr><th scope=\"row\">C-").count - 1 == 40)
        // Free text is clipped to two printed lines; the action list gives way to its count.
        #expect(html.contains("-webkit-line-clamp: 2"))
        #expect(html.contains(".call-list .tried-list { display: none; }"))
        #expect(html.contains("<td class=\"n\">3<span class=\"tried-list\">: "))
        // Headline figures come first, so they stay on page 1.
        let headline = html.range(of: "Patients in hospital 7+ and 21+ days")!
        let cases = html.range(of: "Cases referred to this call (40)")!
        #expect(headline.lowerBound < cases.lowerBound)
        // One main landmark for assistive technology.
        #expect(html.components(separatedBy: "<main>").count == 2)
    }

    /// A longer call list than forty cases prints one line a row, so it
    /// still fits the second page (Tests/Browser prints the 60-case fixture).
    @Test func aLongerCallListIsDense() {
        let html = SummaryHTML.render(Self.fullSummary(cases: 60), thresholds: .standard, version: 1)
        #expect(html.contains("<table class=\"cases-table call-list dense\">"))
        #expect(html.components(separatedBy: "<tr><th scope=\"row\">C-").count - 1 == 60)
        #expect(html.contains(".call-list.dense .clip { -webkit-line-clamp: 1; line-clamp: 1; }"))
    }

    /// Regenerate with `STRANDED_UPDATE_FIXTURES=1 swift test --filter SummaryPrintLayoutTests`.
    @Test(arguments: [40, 60]) func browserFixtureIsCurrent(cases: Int) throws {
        let html = SummaryHTML.render(Self.fullSummary(cases: cases), thresholds: .standard, version: 1)
        let fixture = Self.fixture(cases: cases)
        if ProcessInfo.processInfo.environment["STRANDED_UPDATE_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(at: fixture.deletingLastPathComponent(), withIntermediateDirectories: true)
            try html.write(to: fixture, atomically: true, encoding: .utf8)
        }
        let stored = try String(contentsOf: fixture, encoding: .utf8)
        #expect(
            stored == html,
            "Tests/Browser/fixtures/summary-\(cases)-cases.html is stale: run STRANDED_UPDATE_FIXTURES=1 swift test --filter SummaryPrintLayoutTests"
        )
    }
}
