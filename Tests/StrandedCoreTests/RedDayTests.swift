import Foundation
import Testing

@testable import StrandedCore

@Suite("Red and green days")
struct RedDayTests {
    private static func d(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }
    private static func red(_ iso: String, _ reason: String = "awaiting-placement") -> RecordedDay {
        RecordedDay(date: d(iso), status: .red, reason: reason)
    }
    private static func green(_ iso: String) -> RecordedDay { RecordedDay(date: d(iso), status: .green) }

    /// Week of Monday 2025-01-06.
    private static let week = ReviewWeek(monday: d("2025-01-06"))!

    @Test func countsThisWeekTotalAndARunAcrossTheWeekBoundary() {
        // Sat 4, Sun 5 (last week), Mon 6, Tue 7 red: one run of 4 across the boundary.
        let days = [
            Self.red("2025-01-02"), Self.green("2025-01-03"),
            Self.red("2025-01-04"), Self.red("2025-01-05"), Self.red("2025-01-06"), Self.red("2025-01-07"),
            Self.green("2025-01-08"), Self.red("2025-01-09"),
        ]
        let counts = RedDayCounts(days: days.shuffled(), week: Self.week)
        #expect(counts.thisWeek == 3)
        #expect(counts.total == 6)
        #expect(counts.longestRun == 4)
        #expect(counts.recordedDays == 8)
        #expect(counts.line == "3 red days this week, 6 in total, longest run 4 days")
    }

    @Test func aMissingDayBreaksTheRunAndLaterWeeksAreNotCounted() {
        let days = [Self.red("2025-01-06"), Self.red("2025-01-08"), Self.red("2025-01-13")]
        let counts = RedDayCounts(days: days, week: Self.week)
        #expect(counts.longestRun == 1)
        #expect(counts.total == 2)
        #expect(RedDayCounts(days: [], week: Self.week).line == nil)
    }

    @Test func runsAcrossAYearBoundaryKeepTheirReasonsInOrder() {
        let runs = RedDayCounts.runs(in: [
            Self.red("2025-01-01", "awaiting-transport"), Self.red("2024-12-31", "awaiting-test"), Self.red("2024-12-30", "awaiting-test"),
        ])
        #expect(runs.count == 1)
        #expect(runs[0].days == 3)
        #expect(runs[0].reasons == ["awaiting-test", "awaiting-transport"])
    }

    @Test func weekSummaryReplacesTheSingleChoice() {
        let summary = WeekOfDays(days: [Self.green("2025-01-06"), Self.red("2025-01-07")], week: Self.week, upTo: Self.d("2025-01-08"))
        #expect(summary.red == 1 && summary.green == 1 && summary.unrecorded == 1)
        #expect(summary.status == .red)
    }

    @Test func entriesAreCheckedAgainstThePolicy() throws {
        let policy = RedDayPolicy.standard
        let date = Self.d("2025-01-06")
        #expect(try policy.entry(date: date, status: "Green", reason: "").get() == RecordedDay(date: date, status: .green))
        #expect(try policy.entry(date: date, status: "red", reason: "other").get().reason == "other")
        #expect(throws: Never.self) { try policy.entry(date: date, status: "red", reason: "awaiting-test").get() }
        guard case let .failure(noReason) = policy.entry(date: date, status: "red", reason: nil) else {
            Issue.record()
            return
        }
        #expect(noReason.field == "reason")
        guard case let .failure(unknown) = policy.entry(date: date, status: "red", reason: "lunch") else {
            Issue.record()
            return
        }
        #expect(unknown.message.contains("awaiting-test"))
        guard case let .failure(bad) = policy.entry(date: date, status: "amber", reason: nil) else {
            Issue.record()
            return
        }
        #expect(bad.field == "status")
        guard case .failure = policy.entry(date: date, status: "green", reason: "other") else {
            Issue.record()
            return
        }
    }

    @Test func correctionWindowAtItsEdges() {
        let policy = RedDayPolicy.standard
        let today = Self.d("2025-01-10")
        #expect(policy.dateProblem(today, today: today) == nil)
        #expect(policy.dateProblem(today.adding(days: -7), today: today) == nil)
        #expect(policy.dateProblem(today.adding(days: -8), today: today)?.field == "date")
        #expect(policy.dateProblem(today.adding(days: 1), today: today)?.field == "date")
    }

    @Test func configurationDecodesAndRefusesNonsense() throws {
        let json = #"{"redDays": {"escalationConsecutiveDays": 4, "reasons": [{"code": "x", "label": "X", "agency": "nhs"}]}}"#
        let policy = try JSONDecoder().decode(StrandedPolicy.self, from: Data(json.utf8))
        #expect(policy.redDays.escalationConsecutiveDays == 4)
        #expect(policy.redDays.correctionWindowDays == 7)
        #expect(policy.redDays.reasons.map(\.code) == ["x"])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(StrandedPolicy.self, from: Data(#"{"redDays": {"consecutive": 3}}"#.utf8))
        }
        var bad = StrandedPolicy.standard
        bad.redDays.escalationConsecutiveDays = 0
        bad.redDays.reasons.append(bad.redDays.reasons[0])
        #expect(bad.problems().count == 2)
        #expect(bad.problems().allSatisfy { $0.hasPrefix("redDays.") })
    }
}

@Suite("L2-RED-DAYS")
struct RedDayEscalationTests {
    private static func d(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }
    private static let week = ReviewWeek(monday: d("2025-01-06"))!
    /// Wednesday's Level 1 deadline.
    private static let deadline = d("2025-01-08")

    private static func snapshot(_ days: [RecordedDay]) -> CaseSnapshot {
        CaseSnapshot(
            week: week,
            evaluationDate: deadline,
            lengthOfStay: LengthOfStay(days: 10)!,
            review: Level1Fixture.complete(),
            days: days
        )
    }

    private static func reds(_ dates: [String], _ reason: String = "awaiting-package-of-care") -> [RecordedDay] {
        dates.map { RecordedDay(date: d($0), status: .red, reason: reason) }
    }

    private func fire(_ s: CaseSnapshot, redDays: RedDayPolicy = .standard) -> FiredRule? {
        EscalationPolicy.standard.evaluate(.l2RedDays, on: s, taxonomy: .standard, redDays: redDays)
    }

    @Test func twoRedDaysDoNotFireThreeDo() throws {
        #expect(fire(Self.snapshot(Self.reds(["2025-01-07", "2025-01-08"]))) == nil)
        let rule = try #require(fire(Self.snapshot(Self.reds(["2025-01-06", "2025-01-07", "2025-01-08"]))))
        #expect(rule.level == .level2)
        #expect(rule.reason == "3 consecutive red days, 2025-01-06 to 2025-01-08 (3 or more): Awaiting package of care.")
    }

    @Test func theReasonsOfTheRunAreShown() throws {
        let days =
            Self.reds(["2025-01-04"], "awaiting-test") + Self.reds(["2025-01-05"], "awaiting-result")
            + Self.reds(["2025-01-06"], "awaiting-senior-review")
        let rule = try #require(fire(Self.snapshot(days)))
        #expect(rule.reason.hasSuffix("Awaiting test; Awaiting result; Awaiting senior review."))
    }

    @Test func aGreenDayOrAnUnmarkedDayBreaksTheRun() {
        var days = Self.reds(["2025-01-05", "2025-01-06", "2025-01-08"])
        #expect(fire(Self.snapshot(days)) == nil)
        days.append(RecordedDay(date: Self.d("2025-01-07"), status: .green))
        #expect(fire(Self.snapshot(days)) == nil)
    }

    @Test func anOldRunIsNotBroughtAgainAndDaysAfterTheDeadlineWait() {
        // Ended 2025-01-01: more than 6 days before the deadline.
        #expect(fire(Self.snapshot(Self.reds(["2024-12-30", "2024-12-31", "2025-01-01"]))) == nil)
        // Ended 2025-01-02: within the seven days up to the deadline.
        #expect(fire(Self.snapshot(Self.reds(["2024-12-31", "2025-01-01", "2025-01-02"]))) != nil)
        #expect(fire(Self.snapshot(Self.reds(["2025-01-08", "2025-01-09", "2025-01-10"]))) == nil)
    }

    @Test func theThresholdComesFromThePolicy() {
        var policy = RedDayPolicy.standard
        policy.escalationConsecutiveDays = 2
        #expect(fire(Self.snapshot(Self.reds(["2025-01-07", "2025-01-08"])), redDays: policy) != nil)
        var off = EscalationPolicy.standard
        off.enabledRules.remove(.l2RedDays)
        #expect(
            off.evaluate(
                .l2RedDays,
                on: Self.snapshot(Self.reds(["2025-01-06", "2025-01-07", "2025-01-08"])),
                taxonomy: .standard,
                redDays: .standard
            ) == nil
        )
    }
}
