import Foundation
import Postgres
import Store
import StrandedCore
import Synchronization
import TestSupport
import Testing

@testable import Workflow

/// The weekly scheduler against a real database, with a clock the test sets.
@Suite("The weekly scheduler")
struct SchedulerTests {
    /// Week of Monday 16 Nov 2026 (GMT, so London wall time = UTC).
    static let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!

    static func at(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    /// Counts the jobs performed, by "job week".
    final class Counter: Sendable {
        let counts = Mutex<[String: Int]>([:])
        func add(_ job: CycleJob, _ week: ReviewWeek) {
            counts.withLock { $0["\(job.rawValue) \(week.monday.iso)", default: 0] += 1 }
        }
        var snapshot: [String: Int] { counts.withLock { $0 } }
    }

    final class Clock: Sendable {
        let value: Mutex<Date>
        init(_ date: Date) { value = Mutex(date) }
        func set(_ date: Date) { value.withLock { $0 = date } }
        var now: Date { value.withLock { $0 } }
    }

    func scheduler(
        _ database: Database,
        clock: Clock,
        id: String,
        settings: SchedulerSettings = SchedulerSettings(earliestWeek: week.monday),
        perform: @escaping CycleScheduler.Perform
    ) -> CycleScheduler {
        CycleScheduler(
            database: database,
            runner: CycleRunner(
                database: database,
                configuration: CycleConfiguration(policy: .standard, scheduler: settings, source: "test"),
                summaryBuilder: nil
            ),
            runnerID: id,
            now: { clock.now },
            perform: perform
        )
    }

    @Test func twoReplicasRunEachJobOnce() async throws {
        try await TestCluster.withDatabase(poolSize: 8) { database in
            let counter = Counter()
            let clock = Clock(Self.at("2026-11-20T09:30:00Z"))  // Friday after the summary time: all four jobs due
            let perform: CycleScheduler.Perform = { job, week in
                counter.add(job, week)
                try await Task.sleep(for: .milliseconds(50))  // long enough for the replicas to overlap
                return "ok"
            }
            let a = scheduler(database, clock: clock, id: "replica-a", perform: perform)
            let b = scheduler(database, clock: clock, id: "replica-b", perform: perform)
            async let first = a.tick()
            async let second = b.tick()
            _ = try await (first, second)
            // Ticks again on both: nothing runs a second time.
            _ = try await (a.tick(), b.tick())
            #expect(
                counter.snapshot == [
                    "open-week 2026-11-16": 1, "level1-deadline 2026-11-16": 1, "level2-agenda 2026-11-16": 1, "ce-summary 2026-11-16": 1,
                ]
            )
            let runs = try await CycleJobStore(database: database).runs()
            #expect(runs.count == 4)
            #expect(runs.allSatisfy { $0.status == .succeeded && $0.attempts == 1 })
        }
    }

    @Test func aJobMissedWhileDownRunsOnceOnTheNextStart() async throws {
        try await TestCluster.withDatabase { database in
            let counter = Counter()
            let clock = Clock(Self.at("2026-11-16T13:00:00Z"))  // Monday after the lists: open-week due
            let perform: CycleScheduler.Perform = { job, week in
                counter.add(job, week)
                return "ok"
            }
            let first = scheduler(database, clock: clock, id: "before", perform: perform)
            #expect(try await first.tick().map(\.job) == [.openWeek])
            // The daemon is down from Monday afternoon until Thursday 09:00:
            // the deadline (Wed 17:00) and the agenda (Thu 08:00) were missed.
            clock.set(Self.at("2026-11-19T09:00:00Z"))
            let restarted = scheduler(database, clock: clock, id: "after", perform: perform)
            let ran = try await restarted.tick()
            #expect(ran.map(\.job) == [.applyLevel1Deadline, .buildLevel2Agenda])
            #expect(try await restarted.tick().isEmpty)
            #expect(counter.snapshot == ["open-week 2026-11-16": 1, "level1-deadline 2026-11-16": 1, "level2-agenda 2026-11-16": 1])
        }
    }

    @Test func aFailingJobIsRecordedAndRetriedWithBackOff() async throws {
        try await TestCluster.withDatabase { database in
            let failures = Mutex(2)
            let clock = Clock(Self.at("2026-11-16T12:00:00Z"))  // exactly the lists-due time
            let perform: CycleScheduler.Perform = { job, _ in
                let fail = failures.withLock { remaining -> Bool in
                    guard remaining > 0 else { return false }
                    remaining -= 1
                    return true
                }
                if fail { throw CycleConfigurationError(file: "test", problems: ["the ward list database is away"]) }
                return "\(job) done"
            }
            let settings = SchedulerSettings(earliestWeek: Self.week.monday, retryBaseSeconds: 60, retryMaxSeconds: 600)
            let s = scheduler(database, clock: clock, id: "one", settings: settings, perform: perform)
            let first = try await s.tick()
            guard case let .failed(error, attempts, next)? = first.first?.attempt else {
                Issue.record("expected a failure, got \(first)")
                return
            }
            #expect(error.contains("the ward list database is away"))
            #expect(attempts == 1)
            #expect(next == Self.at("2026-11-16T12:01:00Z"))
            // Visible in the record.
            let recorded = try #require(try await CycleJobStore(database: database).runs().first)
            #expect(recorded.status == .failed)
            #expect(recorded.lastError?.contains("the ward list database is away") == true)
            // Too early to retry.
            clock.set(Self.at("2026-11-16T12:00:30Z"))
            guard case .waitingToRetry? = try await s.tick().first?.attempt else {
                Issue.record("should wait")
                return
            }
            // Second attempt fails, the wait doubles.
            clock.set(Self.at("2026-11-16T12:01:00Z"))
            guard case let .failed(_, attempts2, next2)? = try await s.tick().first?.attempt else {
                Issue.record("expected a second failure")
                return
            }
            #expect(attempts2 == 2)
            #expect(next2 == Self.at("2026-11-16T12:03:00Z"))
            // Third attempt succeeds.
            clock.set(Self.at("2026-11-16T12:03:00Z"))
            guard case .succeeded? = try await s.tick().first?.attempt else {
                Issue.record("expected success")
                return
            }
            let done = try #require(try await CycleJobStore(database: database).runs().first)
            #expect(done.status == .succeeded)
            #expect(done.attempts == 3)
            #expect(done.lastError == nil)
        }
    }

    @Test func theRealRunnerIsIdempotentWhenRunByHand() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(EscalationScenarioTests.header + EscalationScenarioTests.b, snapshotDate: "2026-11-16")
            let runner = CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil)
            let (first, result) = try await runner.runRecorded(.applyLevel1Deadline, week: Self.week, actor: "admin", runnerID: "test")
            guard case .succeeded = first else {
                Issue.record("\(first)")
                return
            }
            #expect(result?.escalation?.opened == 1)
            let (_, again) = try await runner.runRecorded(.applyLevel1Deadline, week: Self.week, actor: "admin", runnerID: "test")
            #expect(again?.escalation?.opened == 0)
            #expect(again?.escalation?.unchanged == 1)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM escalation") == 1)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM escalation_rule_hit") == 2)  // L2-INCOMPLETE and L2-LONG-NO-EDD (LoS 23)
            let (_, summary) = try await runner.runRecorded(.buildChiefExecutiveSummary, week: Self.week, actor: "admin", runnerID: "test")
            #expect(summary?.message.contains("No summary builder is configured") == true)
            let runs = try await CycleJobStore(database: database).runs()
            #expect(runs.first { $0.job == .applyLevel1Deadline }?.attempts == 2)
            #expect(runs.first { $0.job == .applyLevel1Deadline }?.trigger == .manual)
        }
    }

    /// A process killed after the agenda job froze its version but before the
    /// job's record committed: on restart the job runs again and keeps that
    /// version rather than freezing a second one; a person's rebuild still
    /// freezes a new one.
    @Test func aScheduledAgendaRunAfterAKillKeepsTheVersionItFroze() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(EscalationScenarioTests.header + EscalationScenarioTests.b, snapshotDate: "2026-11-16")
            let runner = CycleRunner(database: database, configuration: .builtIn, summaryBuilder: nil)
            let first = try await runner.run(.buildLevel2Agenda, week: Self.week, actor: "scheduler", scheduled: true)
            #expect(first.agendaVersion == 1)
            // No record of it (the kill came first), so the scheduler runs it again.
            let again = try await runner.run(.buildLevel2Agenda, week: Self.week, actor: "scheduler", scheduled: true)
            #expect(again.agendaVersion == 1)
            #expect(again.message.contains("already built"))
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM level2_agenda") == 1)
            let (_, byHand) = try await runner.runRecorded(.buildLevel2Agenda, week: Self.week, actor: "admin", runnerID: "test")
            #expect(byHand?.agendaVersion == 2)
        }
    }

    /// Down over the deadline: the catch-up reads the forms as they were at
    /// the deadline, so one completed afterwards still escalates as incomplete.
    @Test func aCatchUpDeadlineCountsAFormCompletedAfterTheDeadlineAsLate() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            // LoS 11 on the Monday, so only the form can escalate it.
            _ = try await fixture.importText(
                EscalationScenarioTests.header + EscalationScenarioTests.row(21, "2026-11-05", "Evans"),
                snapshotDate: "2026-11-16"
            )
            // Completed now (the real clock, after Wed 18 Nov 17:00), with a near discharge date.
            let form = try await database.client.query("SELECT id, version FROM level1_form")[0]
            let saved = try await ReviewService(database: database, policy: .standard).saveDraft(
                id: try form.decode("id"),
                version: try form.decode("version"),
                review: scenarioReview(reason: .carePackageHome, edd: "2026-11-20"),
                by: "late ward"
            )
            guard case .saved = saved else {
                Issue.record("save failed")
                return
            }
            let clock = Clock(Self.at("2026-11-19T09:00:00Z"))
            let s = CycleScheduler(
                database: database,
                runner: CycleRunner(
                    database: database,
                    configuration: CycleConfiguration(
                        policy: .standard,
                        scheduler: SchedulerSettings(earliestWeek: Self.week.monday),
                        source: "test"
                    ),
                    summaryBuilder: nil
                ),
                runnerID: "catch-up",
                now: { clock.now }
            )
            _ = try await s.tick()
            let rules: [String] = try await database.client.query("SELECT rule_id FROM escalation_rule_hit ORDER BY rule_id").map {
                try $0.decode("rule_id")
            }
            #expect(rules == ["L2-INCOMPLETE"])
            let reason: String = try await database.client.query("SELECT reason FROM escalation_rule_hit")[0].decode("reason")
            #expect(reason.contains("No Level 1 form was started"))
        }
    }

    @Test func configurationFromAFileIsCheckedWithClearErrors() throws {
        let good = try CycleConfiguration.parse(
            Data(
                """
                {"escalation": {"longStayDays": 28, "enabledRules": ["L2-INCOMPLETE"]}, "timetable": {"level1Deadline": {"dayOffset": 1, "hour": 16}},
                 "scheduler": {"retryBaseSeconds": 30}}
                """.utf8
            ),
            source: "test.json"
        )
        #expect(good.policy.escalation.longStayDays == 28)
        #expect(good.policy.escalation.enabledRules == [.l2Incomplete])
        #expect(good.policy.timetable.level1Deadline == WeekTime(dayOffset: 1, hour: 16))
        #expect(good.scheduler.retryBaseSeconds == 30)
        #expect(good.source == "test.json")
        #expect(throws: CycleConfigurationError.self) {
            _ = try CycleConfiguration.parse(Data(#"{"escalaton": {}}"#.utf8), source: "typo.json")
        }
        do {
            _ = try CycleConfiguration.parse(Data(#"{"escalation": {"longStayDays": 0}}"#.utf8), source: "bad.json")
            Issue.record("should refuse")
        } catch let error as CycleConfigurationError {
            #expect(error.description.contains("bad.json"))
            #expect(error.description.contains("longStayDays must be at least 1"))
        }
        do {
            _ = try CycleConfiguration.parse(Data(#"{"escalation": {"enabledRules": ["L2-NOPE"]}}"#.utf8), source: "rule.json")
            Issue.record("should refuse")
        } catch let error as CycleConfigurationError {
            #expect(error.description.contains("escalation.enabledRules"))
        }
        #expect(SchedulerSettings(retryBaseSeconds: 60, retryMaxSeconds: 300, maxAttempts: 4).retryDelay(afterAttempts: 3) == 240)
        #expect(SchedulerSettings(retryBaseSeconds: 60, retryMaxSeconds: 300, maxAttempts: 4).retryDelay(afterAttempts: 4) == nil)
    }
}
