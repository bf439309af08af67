import Foundation
import Testing

@testable import StrandedCore

@Suite("Weekly timetable and due jobs")
struct WeeklyTimetableTests {
    private static func week(_ monday: String) -> ReviewWeek { ReviewWeek(monday: CalendarDate(iso: monday)!)! }
    private static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    private let timetable = WeeklyTimetable.standard

    @Test(
        "winter week is on GMT (= UTC)",
        arguments: [
            (Milestone.listsDue, "2025-01-06T12:00:00Z"),
            (.level1Deadline, "2025-01-08T17:00:00Z"),
            (.level2AgendaBuilt, "2025-01-09T08:00:00Z"),
            (.level2Meeting, "2025-01-09T10:00:00Z"),
            (.chiefExecutiveSummaryBuilt, "2025-01-10T09:00:00Z"),
            (.chiefExecutiveCall, "2025-01-10T12:00:00Z"),
        ]
    )
    func winter(milestone: Milestone, expected: String) {
        #expect(timetable.instant(of: milestone, in: Self.week("2025-01-06")) == Self.instant(expected))
    }

    @Test(
        "summer week is on BST (= UTC+1)",
        arguments: [
            (Milestone.listsDue, "2025-07-07T11:00:00Z"),
            (.level1Deadline, "2025-07-09T16:00:00Z"),
            (.level2AgendaBuilt, "2025-07-10T07:00:00Z"),
            (.level2Meeting, "2025-07-10T09:00:00Z"),
            (.chiefExecutiveSummaryBuilt, "2025-07-11T08:00:00Z"),
            (.chiefExecutiveCall, "2025-07-11T11:00:00Z"),
        ]
    )
    func summer(milestone: Milestone, expected: String) {
        #expect(timetable.instant(of: milestone, in: Self.week("2025-07-07")) == Self.instant(expected))
    }

    @Test func weeksEitherSideOfTheClockChanges() {
        // BST starts Sun 30 Mar 2025; ends Sun 26 Oct 2025.
        #expect(timetable.instant(of: .level1Deadline, in: Self.week("2025-03-24")) == Self.instant("2025-03-26T17:00:00Z"))
        #expect(timetable.instant(of: .level1Deadline, in: Self.week("2025-03-31")) == Self.instant("2025-04-02T16:00:00Z"))
        #expect(timetable.instant(of: .level1Deadline, in: Self.week("2025-10-20")) == Self.instant("2025-10-22T16:00:00Z"))
        #expect(timetable.instant(of: .level1Deadline, in: Self.week("2025-10-27")) == Self.instant("2025-10-29T17:00:00Z"))
        // So consecutive deadlines are 167 hours apart in spring, 169 in autumn.
        let spring = timetable.instant(of: .level1Deadline, in: Self.week("2025-03-31"))
            .timeIntervalSince(timetable.instant(of: .level1Deadline, in: Self.week("2025-03-24")))
        let autumn = timetable.instant(of: .level1Deadline, in: Self.week("2025-10-27"))
            .timeIntervalSince(timetable.instant(of: .level1Deadline, in: Self.week("2025-10-20")))
        #expect(spring == 167 * 3600)
        #expect(autumn == 169 * 3600)
    }

    @Test func sundayMilestoneInTheWeekTheClocksGoForward() {
        var custom = WeeklyTimetable.standard
        custom.chiefExecutiveCall = WeekTime(dayOffset: 6, hour: 12)
        let week = Self.week("2025-03-24")
        #expect(custom.instant(of: .listsDue, in: week) == Self.instant("2025-03-24T12:00:00Z"))
        #expect(custom.instant(of: .chiefExecutiveCall, in: week) == Self.instant("2025-03-30T11:00:00Z"))
        // A time in the skipped hour moves forward by the gap (01:30 → 02:30 BST).
        custom.chiefExecutiveCall = WeekTime(dayOffset: 6, hour: 1, minute: 30)
        #expect(custom.instant(of: .chiefExecutiveCall, in: week) == Self.instant("2025-03-30T01:30:00Z"))
    }

    @Test func scheduleListsEveryMilestoneInOrder() {
        let schedule = timetable.schedule(for: Self.week("2025-01-06"))
        #expect(schedule.map(\.milestone) == Milestone.allCases)
        #expect(schedule.map(\.at) == schedule.map(\.at).sorted())
        #expect(timetable.date(of: .level1Deadline, in: Self.week("2025-01-06")) == CalendarDate(iso: "2025-01-08"))
        #expect(timetable.problems().isEmpty)
    }

    @Test func jobsHaveStableIdsAndTriggers() {
        #expect(CycleJob.allCases.map(\.id) == ["open-week", "level1-deadline", "level2-agenda", "ce-summary"])
        #expect(CycleJob.allCases.map(\.trigger) == [.listsDue, .level1Deadline, .level2AgendaBuilt, .chiefExecutiveSummaryBuilt])
    }

    // MARK: Due jobs

    @Test func midweekDueJobsAfterLastWeekCompleted() {
        let w = Self.week("2025-01-06")
        let lastRun = Dictionary(uniqueKeysWithValues: CycleJob.allCases.map { ($0, w.previous) })
        let due = timetable.dueJobs(now: Self.instant("2025-01-09T09:00:00Z"), lastRun: lastRun)
        #expect(due.map(\.job) == [.openWeek, .applyLevel1Deadline, .buildLevel2Agenda])
        #expect(due.allSatisfy { $0.week == w })
        #expect(
            due.map(\.dueAt) == [Self.instant("2025-01-06T12:00:00Z"), Self.instant("2025-01-08T17:00:00Z"), Self.instant("2025-01-09T08:00:00Z")]
        )
    }

    @Test func nothingDueOnceRecorded() {
        let w = Self.week("2025-01-06")
        let lastRun: [CycleJob: ReviewWeek] = [.openWeek: w, .applyLevel1Deadline: w, .buildLevel2Agenda: w, .buildChiefExecutiveSummary: w.previous]
        #expect(timetable.dueJobs(now: Self.instant("2025-01-09T09:00:00Z"), lastRun: lastRun).isEmpty)
    }

    @Test(
        "due exactly at the deadline, not a second before",
        arguments: [
            ("2025-01-08T16:59:59Z", false), ("2025-01-08T17:00:00Z", true), ("2025-01-08T17:00:01Z", true),
        ]
    )
    func deadlineBoundary(now: String, due: Bool) {
        let w = Self.week("2025-01-06")
        let lastRun: [CycleJob: ReviewWeek] = [
            .openWeek: w, .applyLevel1Deadline: w.previous,
            .buildLevel2Agenda: w.previous, .buildChiefExecutiveSummary: w.previous,
        ]
        let jobs = timetable.dueJobs(now: Self.instant(now), lastRun: lastRun)
        #expect(jobs.contains(DueJob(week: w, job: .applyLevel1Deadline, dueAt: Self.instant("2025-01-08T17:00:00Z"))) == due)
    }

    @Test func missedWeeksRunOnceForTheLatestWeekOnly() {
        let w = Self.week("2025-01-27")
        let stale = Dictionary(uniqueKeysWithValues: CycleJob.allCases.map { ($0, w.adding(weeks: -3)) })
        let due = timetable.dueJobs(now: Self.instant("2025-01-31T13:00:00Z"), lastRun: stale)
        #expect(due.map(\.job) == CycleJob.allCases)
        #expect(due.allSatisfy { $0.week == w })
    }

    @Test func catchUpOnMondayMorningIsLastWeeksRemainingJob() {
        // Down from Thursday to Monday morning: the CE summary for last week
        // is still owed; this week's lists are not due yet.
        let w = Self.week("2025-01-06")
        let lastRun: [CycleJob: ReviewWeek] = [.openWeek: w, .applyLevel1Deadline: w, .buildLevel2Agenda: w, .buildChiefExecutiveSummary: w.previous]
        let due = timetable.dueJobs(now: Self.instant("2025-01-13T08:00:00Z"), lastRun: lastRun)
        #expect(due == [DueJob(week: w, job: .buildChiefExecutiveSummary, dueAt: Self.instant("2025-01-10T09:00:00Z"))])
    }

    @Test func dueJobsUseBSTInSummer() {
        // Lists due Monday 12:00 BST = 11:00 UTC.
        let w = Self.week("2025-03-31")
        let lastRun = Dictionary(uniqueKeysWithValues: CycleJob.allCases.map { ($0, w.previous) })
        #expect(timetable.dueJobs(now: Self.instant("2025-03-31T10:59:00Z"), lastRun: lastRun).isEmpty)
        #expect(timetable.dueJobs(now: Self.instant("2025-03-31T11:00:00Z"), lastRun: lastRun).map(\.job) == [.openWeek])
    }

    @Test func firstStartHonoursEarliestWeek() {
        let w = Self.week("2025-01-06")
        let now = Self.instant("2025-01-07T10:00:00Z")
        #expect(timetable.dueJobs(now: now, lastRun: [:]).count == 4)  // last week's three plus this week's opening
        #expect(timetable.dueJobs(now: now, lastRun: [:], earliestWeek: w).map(\.job) == [.openWeek])
    }

    @Test func nextDueIsTheNextMilestoneJob() {
        let next = timetable.nextDue(after: Self.instant("2025-01-09T09:00:00Z"))
        #expect(next.at == Self.instant("2025-01-10T09:00:00Z"))
        #expect(next.jobs.map(\.job) == [.buildChiefExecutiveSummary])
        let weekend = timetable.nextDue(after: Self.instant("2025-01-11T09:00:00Z"))
        #expect(weekend.jobs == [DueJob(week: Self.week("2025-01-13"), job: .openWeek, dueAt: Self.instant("2025-01-13T12:00:00Z"))])
    }

    // MARK: Configuration

    @Test func decodesPartialConfigurationWithDefaults() throws {
        let json = #"{"level1Deadline": {"dayOffset": 1, "hour": 16, "minute": 30}, "level2Meeting": {"dayOffset": 3, "hour": 11}}"#
        let custom = try JSONDecoder().decode(WeeklyTimetable.self, from: Data(json.utf8))
        #expect(custom.level1Deadline == WeekTime(dayOffset: 1, hour: 16, minute: 30))
        #expect(custom.level2Meeting == WeekTime(dayOffset: 3, hour: 11))
        #expect(custom.listsDue == WeeklyTimetable.standard.listsDue)
        #expect(custom.timeZoneIdentifier == "Europe/London")
        #expect(custom.instant(of: .level1Deadline, in: Self.week("2025-01-06")) == Self.instant("2025-01-07T16:30:00Z"))
        let roundTrip = try JSONDecoder().decode(WeeklyTimetable.self, from: JSONEncoder().encode(custom))
        #expect(roundTrip == custom)
        #expect(try JSONDecoder().decode(WeeklyTimetable.self, from: Data("{}".utf8)) == .standard)
    }

    @Test func refusesMisspeltSettings() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WeeklyTimetable.self, from: Data(#"{"levelOneDeadline": {"dayOffset": 2, "hour": 17}}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WeeklyTimetable.self, from: Data(#"{"level1Deadline": {"day": 2, "hour": 17}}"#.utf8))
        }
    }

    @Test func problemsCatchBadTimesAndOrder() {
        var bad = WeeklyTimetable.standard
        bad.level2AgendaBuilt = WeekTime(dayOffset: 1, hour: 8)  // before the Level 1 deadline
        bad.chiefExecutiveCall = WeekTime(dayOffset: 7, hour: 25)
        bad.timeZoneIdentifier = "Europe/Atlantis"
        let problems = bad.problems()
        #expect(problems.contains { $0.hasPrefix("timeZoneIdentifier") })
        #expect(problems.contains { $0.hasPrefix("chiefExecutiveCall must have") })
        #expect(problems.contains { $0.hasPrefix("level2AgendaBuilt (Tue 08:00) must not be before level1Deadline (Wed 17:00)") })
    }
}
