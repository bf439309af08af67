import Foundation
import Reports
import StrandedCore
import Testing

@Suite("Red bed-days trend")
struct RedDayTrendTests {
    static func d(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    static let sites = [
        RedDaySiteWeek(week: d("2026-11-09"), siteCode: "ACU1", organisationCode: "R9A", red: 3, recorded: 20, strandedRecorded: 10, strandedRed: 3),
        RedDaySiteWeek(week: d("2026-11-09"), siteCode: "COM1", organisationCode: "R9B", red: 1, recorded: 10, strandedRecorded: 4, strandedRed: 1),
        RedDaySiteWeek(week: d("2026-11-23"), siteCode: "ACU1", organisationCode: "R9A", red: 0, recorded: 5, strandedRecorded: 0, strandedRed: 0),
    ]
    static let reasons = [
        RedReasonSiteWeek(week: d("2026-11-09"), siteCode: "ACU1", organisationCode: "R9A", reason: "awaiting-placement", red: 2),
        RedReasonSiteWeek(week: d("2026-11-09"), siteCode: "ACU1", organisationCode: "R9A", reason: "awaiting-test", red: 1),
        RedReasonSiteWeek(week: d("2026-11-09"), siteCode: "COM1", organisationCode: "R9B", reason: "awaiting-test", red: 1),
        RedReasonSiteWeek(week: d("2026-11-09"), siteCode: "COM1", organisationCode: "R9B", reason: "retired-code", red: 1),
    ]

    @Test func theSystemSumsEveryWeekAndFillsTheGaps() {
        let trend = RedDayTrend.make(
            sites: Self.sites,
            reasons: Self.reasons,
            scope: .system,
            code: nil,
            from: Self.d("2026-11-09"),
            to: Self.d("2026-11-23"),
            policy: .standard
        )
        #expect(trend.weeks.map(\.redBedDays) == [4, 0, 0])
        #expect(trend.weeks.map(\.recordedDays) == [30, 0, 5])
        #expect(trend.weeks.map(\.strandedRedPercent) == [29, nil, nil])
        #expect(trend.topReasons.map(\.label) == ["Awaiting placement", "Awaiting test", "retired-code"])
        #expect(trend.topReasons.map(\.redDays) == [2, 2, 1])
        #expect(trend.topReasons.map(\.agency) == ["NHS and social care", "NHS", "Not known"])
    }

    @Test func anOrganisationOrASiteCountsOnlyItsOwn() {
        let organisation = RedDayTrend.make(
            sites: Self.sites,
            reasons: Self.reasons,
            scope: .organisation,
            code: "R9B",
            from: Self.d("2026-11-09"),
            to: Self.d("2026-11-09"),
            policy: .standard
        )
        #expect(organisation.weeks.map(\.redBedDays) == [1])
        #expect(organisation.weeks.map(\.strandedRedPercent) == [25])
        let site = RedDayTrend.make(
            sites: Self.sites,
            reasons: Self.reasons,
            scope: .site,
            code: "ACU1",
            from: Self.d("2026-11-09"),
            to: Self.d("2026-11-09"),
            policy: .standard,
            top: 1
        )
        #expect(site.weeks.map(\.redBedDays) == [3])
        #expect(site.topReasons.map(\.label) == ["Awaiting placement"])
    }
}
