import Foundation
import Reports
import StrandedCore
import Testing

/// Inputs for the summary tests: two organisations, three sites, weeks up to 16 Nov 2026.
enum SummaryInputs {
    static let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!

    static let sites = [
        SummaryFigures.Site(code: "ACU1", name: "Northshire General", organisationCode: "R9A", organisationName: "Northshire Hospitals"),
        SummaryFigures.Site(code: "ACU2", name: "Southshire General", organisationCode: "R9A", organisationName: "Northshire Hospitals"),
        SummaryFigures.Site(code: "COM1", name: "Riverside Community Hospital", organisationCode: "R9B", organisationName: "Northshire Community"),
    ]

    static func siteWeek(_ weeksBack: Int, _ code: String, _ stranded: Int, _ superStranded: Int) -> SummaryFigures.SiteWeek {
        let site = sites.first { $0.code == code }!
        return .init(
            week: week.adding(weeks: -weeksBack),
            siteCode: code,
            siteName: site.name,
            organisationCode: site.organisationCode,
            organisationName: site.organisationName,
            stranded: stranded,
            superStranded: superStranded
        )
    }

    /// ACU1 every week (this week 10/4, last 8/3, then 6/2, 7/3, 9/5);
    /// COM1 this week 5/1 and three weeks ago 3/1; ACU2 never.
    static let figures = SummaryFigures(
        sites: sites,
        siteWeeks: [
            siteWeek(0, "ACU1", 10, 4), siteWeek(1, "ACU1", 8, 3), siteWeek(2, "ACU1", 6, 2),
            siteWeek(3, "ACU1", 7, 3), siteWeek(4, "ACU1", 9, 5), siteWeek(11, "ACU1", 2, 0),
            siteWeek(0, "COM1", 5, 1), siteWeek(3, "COM1", 3, 1),
        ],
        level1Due: 12,
        level1OnTime: 9,
        level1Late: 2,
        primaryReasons: [.carePackageHome: 4, .nursingHome: 2, .medical: 3, .housing: 1, "unknown-code": 1]
    )

    static func synopsis(ask: String = "Agree funding for a care home placement this week") -> ReferredCaseSynopsis {
        ReferredCaseSynopsis(
            caseID: 123,
            site: "Northshire General",
            ward: "W1",
            lengthOfStay: 45,
            age: 87,
            mainBarrier: "Awaiting nursing home placement; Ann Adams's family want a home near them",
            agency: .both,
            actionsTried: ["Three homes approached", "Spoke to daughter about ANN ADAMS, NHS 943 476 5919"],
            ask: ask,
            patientIdentifiers: ["Ann Adams", "ADAMS", "9434765919"]
        )
    }

    static func summary(
        activity: EscalationActivity = .init(
            level2Opened: 5,
            level2Resolved: 2,
            level2Open: 7,
            chiefExecutiveOpened: 1,
            chiefExecutiveResolved: 0,
            chiefExecutiveOpen: 2
        ),
        cases: [ReferredCaseSynopsis] = [synopsis()]
    ) -> EscalationSummary {
        EscalationSummary.make(
            week: week,
            figures: figures,
            activity: activity,
            referredCases: cases,
            level1Deadline: "Wed 18 Nov 17:00",
            taxonomy: .standard
        )
    }
}

@Suite("Escalation summary: the model")
struct SummaryModelTests {
    @Test func countChangeAgainstLastWeekAndTheFourWeekAverage() {
        let count = CountChange(current: 10, lastWeek: 8, previousFour: [8, 6, 7, 9])
        #expect(count.changeOnLastWeek == 2)
        #expect(count.fourWeekAverage == 7.5)
        #expect(count.changeOnAverage == 2.5)
        let first = CountChange(current: 3, lastWeek: nil, previousFour: [])
        #expect(first.changeOnLastWeek == nil && first.fourWeekAverage == nil && first.changeOnAverage == nil)
    }

    @Test func headlineCountsForTheSystemEachOrganisationAndSite() {
        let summary = SummaryInputs.summary()
        let system = summary.headline.system
        // This week 10 + 5; last week 8 (COM1 sent none); four weeks before: 8, 6, 7+3, 9.
        #expect(system.stranded.current == 15)
        #expect(system.stranded.changeOnLastWeek == 7)
        #expect(system.stranded.fourWeekAverage == 8.3)  // (8 + 6 + 10 + 9) / 4 = 8.25
        #expect(system.stranded.changeOnAverage == 6.8)  // 15 − 8.25 = 6.75
        #expect(system.superStranded.current == 5)
        #expect(system.superStranded.changeOnLastWeek == 2)
        #expect(summary.headline.organisations.map(\.code) == ["R9A", "R9B"])
        let com = summary.headline.organisations[1]
        #expect(com.stranded.current == 5 && com.stranded.lastWeek == nil && com.stranded.fourWeekAverage == 3)
        #expect(summary.headline.sites.map(\.code) == ["ACU1", "ACU2", "COM1"])
        let acu2 = summary.headline.sites[1]
        #expect(!acu2.reported && acu2.stranded.current == 0)
        #expect(summary.notes.contains { $0.contains("ACU2") })
    }

    @Test func trendHasTwelveWeeksEndingWithTheSummaryWeek() {
        let trend = SummaryInputs.summary().trend
        #expect(trend.count == 12)
        #expect(trend.last?.week == SummaryInputs.week)
        #expect(trend.first?.week == SummaryInputs.week.adding(weeks: -11))
        #expect(trend.first?.stranded == 2 && trend.first?.reported == true)
        #expect(trend[1].reported == false)
        #expect(trend.last.map { ($0.stranded, $0.superStranded) } ?? (0, 0) == (15, 5))
    }

    @Test func level1ShareOnTime() {
        let level1 = SummaryInputs.summary().level1
        #expect(level1.onTimePercent == 75)
        #expect(level1.notCompleted == 1)
        #expect(Level1Timeliness(due: 0, onTime: 0, late: 0, deadline: "x").onTimePercent == nil)
    }

    @Test func delayReasonsGroupedByResponsibleAgency() {
        let groups = SummaryInputs.summary().delayReasons
        // social care 4, NHS 3, other 1 + unknown 1 = 2, both 2: ties by label.
        #expect(groups.map(\.agency) == [.socialCare, .nhs, .both, .other])
        #expect(groups[0].reasons.map(\.code) == [.carePackageHome])
        #expect(groups[3].total == 2)
    }

    @Test func caseReferenceAndAgeBand() {
        #expect(ReferredCaseSynopsis.reference(caseID: 123) == "C-000123")
        #expect(ReferredCaseSynopsis.reference(caseID: 1_234_567) == "C-1234567")
        #expect(AgeBand.label(age: 64) == "18–64")
        #expect(AgeBand.label(age: 85) == "85+")
        #expect(AgeBand.label(age: nil) == "Not recorded")
    }

    @Test func notConnectedEscalationDataIsLabelled() {
        let summary = SummaryInputs.summary(activity: .notConnected, cases: [])
        #expect(summary.notes.first?.hasPrefix("Escalation data not connected") == true)
        #expect(SummaryHTML.render(summary, thresholds: .standard).contains("Escalation data not connected"))
        #expect(SummaryMarkdown.render(summary, thresholds: .standard).contains("Escalation data not connected"))
    }
}

@Suite("Escalation summary: rendering")
struct SummaryRenderTests {
    @Test func htmlIsAStandalonePrintablePageWithoutScripts() {
        let html = SummaryHTML.render(SummaryInputs.summary(), thresholds: .standard, version: 2)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("@page { size: A4"))
        #expect(html.contains("<style>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(html.range(of: #"\son[a-z]+\s*="#, options: [.regularExpression, .caseInsensitive]) == nil, "no event handler attributes")
        #expect(html.contains("version 2"))
        #expect(html.contains("C-000123"))
        #expect(html.contains("<svg"))
        // The trend numbers are in a table too.
        #expect(html.contains("<th scope=\"row\">7+</th>"))
        #expect(html.contains("75%"))
    }

    @Test func textIsEscapedEverywhere() {
        let hostile = "<script>alert(1)</script> & \"quotes\""
        let html = SummaryHTML.render(SummaryInputs.summary(cases: [SummaryInputs.synopsis(ask: hostile)]), thresholds: .standard)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        let markdown = SummaryMarkdown.render(SummaryInputs.summary(cases: [SummaryInputs.synopsis(ask: hostile)]), thresholds: .standard)
        #expect(markdown.contains("\\<script\\>"))
    }

    @Test func svgChartHasAxisLabelsAndBothSeries() {
        let svg = SummaryTrendChart.svg(SummaryInputs.summary().trend, thresholds: .standard)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("Week beginning") && svg.contains("Patients"))
        // Weeks 2–7 of the 12 had no list: the first week stands alone (a
        // marker, no line) and is not joined across the gap to the last five.
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == SummaryInputs.summary().trend.filter(\.reported).count)
        #expect(svg.contains("stroke-dasharray"))
        #expect(svg.contains(">16 Nov<"))
    }

    @Test func markdownHasTheFiguresForEmail() {
        let markdown = SummaryMarkdown.render(SummaryInputs.summary(), thresholds: .standard, version: 1)
        #expect(markdown.contains("# Escalation summary – week beginning 16/11/2026"))
        #expect(markdown.contains("| **Whole system** | 15 | +7 | +6.8 | 5 | +2 |"))
        #expect(markdown.contains("| Level 2 | 5 | 2 | 7 |"))
        #expect(markdown.contains("75%: 9 of 12 due by Wed 18 Nov 17:00; 2 late; 1 not completed."))
    }

    @Test func jsonRoundTrips() throws {
        let summary = SummaryInputs.summary()
        let data = try SummaryJSON.encode(summary)
        #expect(try SummaryJSON.decode(data) == summary)
        #expect(String(decoding: data, as: UTF8.self).contains("\"caseReference\" : \"C-000123\""))
    }
}

@Suite("Escalation summary: no patient identifiers")
struct SummaryPrivacyTests {
    static let forbidden = ["Ann Adams", "ADAMS", "Adams", "9434765919", "943 476 5919", "999 000 0018", "9990000018"]

    @Test func namesAndNHSNumbersInFreeTextNeverReachAnyFormat() throws {
        let synopsis = SummaryInputs.synopsis(ask: "Place Mrs Adams (999 000 0018) by Friday")
        // A number typed into a field filled without identifiers is still caught by its shape.
        let cases = [
            synopsis,
            ReferredCaseSynopsis(
                caseID: 7,
                site: "COM1",
                ward: "W1 bed 9990000018",
                lengthOfStay: 30,
                age: 70,
                mainBarrier: "943-476-5919",
                agency: nil,
                actionsTried: [],
                ask: "x",
                patientIdentifiers: []
            ),
        ]
        let summary = SummaryInputs.summary(cases: cases)
        let outputs = [
            SummaryHTML.render(summary, thresholds: .standard), SummaryMarkdown.render(summary, thresholds: .standard),
            String(decoding: try SummaryJSON.encode(summary), as: UTF8.self),
        ]
        for output in outputs {
            for identifier in Self.forbidden {
                #expect(!output.localizedCaseInsensitiveContains(identifier), "\(identifier) leaked")
            }
            #expect(output.contains("removed"))
        }
    }

    @Test func decodingScrubsNHSNumbersToo() throws {
        let summary = SummaryInputs.summary()
        var text = String(decoding: try SummaryJSON.encode(summary), as: UTF8.self)
        text = text.replacingOccurrences(of: "Agree funding for a care home placement this week", with: "Move 943 476 5919 today")
        let decoded = try SummaryJSON.decode(Data(text.utf8))
        #expect(decoded.referredCases[0].ask == "Move [removed] today")
    }

    @Test func theSynopsisScrubsDottedNHSNumbersAndTheNamesAsWholeWords() {
        let synopsis = ReferredCaseSynopsis(
            caseID: 7,
            site: "Northshire General",
            ward: "W1",
            lengthOfStay: 30,
            age: 70,
            mainBarrier: "Housing",
            agency: .socialCare,
            actionsTried: ["Annual review booked for ann"],
            ask: "re 999.100.0046, Ann Smith",
            patientIdentifiers: ["Smith", "Ann", "9991000046"]
        )
        #expect(synopsis.ask == "re [removed], [removed] [removed]")
        #expect(synopsis.actionsTried == ["Annual review booked for [removed]"])
    }

    @Test func scrubberLeavesOrdinaryNumbersAlone() {
        let scrub = IdentifierScrubber(identifiers: [])
        #expect(scrub("LoS 45 days, 3 homes, call 01865 123456 ext 12") == "LoS 45 days, 3 homes, call 01865 123456 ext 12")
        #expect(scrub("id 12345678901") == "id 12345678901")
        #expect(scrub("NHS 943 476 5919.") == "NHS [removed].")
    }
}
