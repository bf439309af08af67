import Foundation
import Reports
import StrandedCore
import Testing

@Suite("Chief executive synopsis: red days")
struct SummaryRedDaysTests {
    static func synopsis(_ counts: RedDayCounts?) -> ReferredCaseSynopsis {
        ReferredCaseSynopsis(
            caseID: 7,
            site: "Northshire General",
            ward: "W1",
            lengthOfStay: 30,
            age: 80,
            mainBarrier: "Awaiting a care home",
            agency: .both,
            actionsTried: [],
            ask: "Fund the placement",
            redDays: counts
        )
    }

    @Test func theCountsTravelWithTheSynopsisAndReadInTheEmail() throws {
        let counts = RedDayCounts(thisWeek: 3, total: 8, longestRun: 4, recordedDays: 20)
        let synopsis = Self.synopsis(counts)
        #expect(synopsis.redDaysLine == "3 red days this week, 8 in total, longest run 4 days")
        let json = try JSONEncoder().encode(synopsis)
        #expect(try JSONDecoder().decode(ReferredCaseSynopsis.self, from: json).redDays == counts)
        let summary = EscalationSummary.make(
            week: ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!,
            figures: SummaryInputs.figures,
            activity: .init(
                level2Opened: 1,
                level2Resolved: 0,
                level2Open: 1,
                chiefExecutiveOpened: 1,
                chiefExecutiveResolved: 0,
                chiefExecutiveOpen: 1
            ),
            referredCases: [synopsis, Self.synopsis(nil)],
            level1Deadline: "Wed 18 Nov 17:00",
            taxonomy: .standard
        )
        let markdown = SummaryMarkdown.render(summary, thresholds: .standard)
        #expect(markdown.components(separatedBy: "red days this week").count == 2)
    }

    @Test func aSynopsisFrozenBeforeBoardRoundsStillDecodes() throws {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.synopsis(nil))) as! [String: Any]
        object.removeValue(forKey: "redDays")
        let old = try JSONDecoder().decode(ReferredCaseSynopsis.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.redDays == nil && old.redDaysLine == nil)
    }

    @Test func theHeadlineLineComparesTheStrandedShareAndNamesTheTopReasons() {
        let trend = RedDayTrend.make(
            sites: [
                RedDaySiteWeek(
                    week: CalendarDate(iso: "2026-11-09")!,
                    siteCode: "ACU1",
                    organisationCode: "R9A",
                    red: 30,
                    recorded: 100,
                    strandedRecorded: 40,
                    strandedRed: 12
                ),
                RedDaySiteWeek(
                    week: CalendarDate(iso: "2026-11-16")!,
                    siteCode: "ACU1",
                    organisationCode: "R9A",
                    red: 20,
                    recorded: 100,
                    strandedRecorded: 40,
                    strandedRed: 10
                ),
            ],
            reasons: [
                RedReasonSiteWeek(week: CalendarDate(iso: "2026-11-16")!, siteCode: "ACU1", organisationCode: "R9A", reason: "awaiting-placement", red: 15),
                RedReasonSiteWeek(week: CalendarDate(iso: "2026-11-16")!, siteCode: "ACU1", organisationCode: "R9A", reason: "awaiting-test", red: 5),
            ],
            scope: .system,
            code: nil,
            from: CalendarDate(iso: "2026-11-09")!,
            to: CalendarDate(iso: "2026-11-16")!,
            policy: .standard
        )
        let line = RedDayHeadline.line(week: trend.weeks[1], previous: trend.weeks[0], topReasons: trend.topReasons)
        #expect(line.hasPrefix("Red bed-days, week of 2026-11-16: 20 of 100 patient-days at board rounds (20%); stranded patients' days 25% red (30% the week before)."))
        #expect(line.contains("Awaiting placement"))
        #expect(line.contains("(15); Awaiting test"))
    }
}
