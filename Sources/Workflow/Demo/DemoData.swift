import Foundation
import Logging
import Store
import StrandedCore
import WardListImport

/// Synthetic demonstration data: a made-up health system's sites and recent
/// weekly lists (NHS numbers from the 999 test range), and the seed action
/// plan. Loaded once into an empty database; never into one holding real lists.
public struct DemoData: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public struct Loaded: Sendable {
        public var sites = 0
        public var weeks = 0
        public var planLoaded = false
        /// Weeks the weekly cycle was walked through (forms filled in,
        /// deadlines applied, meetings recorded).
        public var cycleWeeks = 0
    }

    /// How many of the latest weeks get a walked-through cycle.
    static let cycleWeeks = 4

    /// Loads the demo unless lists are already present. The weeks end on the
    /// Monday of `today`'s week, so the demo always looks current.
    @discardableResult
    public func loadIfEmpty(weeks: Int = 8, today: CalendarDate = .today(), configuration: CycleConfiguration) async throws -> Loaded {
        var loaded = Loaded()
        let plan = PlanService(database: database, policy: configuration.policy.planRAG)
        _ = try await plan.loadSeedPlanIfMissing()
        loaded.planLoaded = true
        guard try await !WardListStore(database: database).hasAcceptedImports() else {
            logger.info("demo: ward lists already present; nothing added")
            return loaded
        }
        let lastMonday = today.mondayOfWeek
        var system = SyntheticSystem(
            configuration: .init(
                sites: 6,
                bedsPerSite: 120,
                weeks: weeks,
                seed: 2026,
                firstMonday: lastMonday.adding(days: -7 * (weeks - 1))
            )
        )
        loaded.sites = try await SiteReferenceImporter(database: database).importCSV(system.referenceCSV())
        let importer = WardListImporter(database: database, policy: configuration.policy, logger: logger)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        while let week = system.nextWeek() {
            let url = directory.appendingPathComponent("demo-ward-list-\(week.snapshotDate.iso).csv")
            try week.csv.write(to: url, atomically: true, encoding: .utf8)
            let report = try await importer.importFile(at: url, source: .demo, today: today)
            logger.info("demo: imported a week", metadata: ["snapshot": "\(week.snapshotDate.iso)", "verdict": "\(report.verdict.rawValue)"])
            loaded.weeks += 1
            // Each list arrived on time, at the timetable's list time, not today
            // (which would make every past week's forms a late list's).
            let reviewWeek = ReviewWeek.containing(week.snapshotDate)
            try await ReviewStore(database: database, policy: configuration.policy).recordOpening(
                of: reviewWeek,
                at: configuration.policy.timetable.instant(of: .listsDue, in: reviewWeek)
            )
            // The last few weeks are walked through the cycle as the list of
            // each arrives, so escalations see the cases as they were then.
            if lastMonday.days(until: week.snapshotDate) > -7 * Self.cycleWeeks {
                // The week's board rounds first, so the Level 1 deadline sees the red runs.
                let wards = try await ReviewService(database: database, policy: configuration.policy).wards(week: reviewWeek, scope: .all)
                let days = try await DemoBoardRounds(database: database, policy: configuration.policy)
                    .record(week: reviewWeek, wardIDs: wards.map(\.wardID), today: today)
                logger.info("demo: board rounds", metadata: ["week": "\(reviewWeek)", "days": "\(days)"])
                try await walkCycle(week: reviewWeek, isCurrent: reviewWeek.monday == lastMonday, configuration: configuration)
                loaded.cycleWeeks += 1
            }
        }
        let stays = try await DemoStays(database: database).record(today: today, strandedDays: configuration.policy.thresholds.strandedDays)
        logger.info("demo: stays extract", metadata: ["stays": "\(stays)"])
        return loaded
    }
}

// MARK: - The walked-through cycle

extension DemoData {
    /// One week of the cycle with a simulated clock: most wards complete their
    /// forms on time, some late (after the deadline) and some not at all; the
    /// deadline is applied, the agenda built, the Level 2 meeting records
    /// decisions (some resolved, some referred with an ask, some left without
    /// a decision) and the chief executive rules run. In the current week the
    /// call's decisions are left for a person to record.
    func walkCycle(week: ReviewWeek, isCurrent: Bool, configuration: CycleConfiguration) async throws {
        // The chief executive summary is built for each week too (no outbox: demo data goes nowhere).
        let runner = CycleRunner(
            database: database,
            configuration: configuration,
            summaryBuilder: EscalationSummaryService.cycleBuilder(database: database, policy: configuration.policy, delivery: .none),
            logger: logger
        )
        // The simulated clock: on-time forms are saved before the deadline,
        // late ones after it (and before the meeting, which then sees them).
        let deadlineInstant = configuration.policy.timetable.instant(of: .level1Deadline, in: week)
        let reviews = ReviewService(database: database, policy: configuration.policy, now: { deadlineInstant.addingTimeInterval(-3600) })
        let lateReviews = ReviewService(database: database, policy: configuration.policy, now: { deadlineInstant.addingTimeInterval(3600) })
        let deadline = configuration.policy.timetable.date(of: .level1Deadline, in: week)
        func run(_ job: CycleJob) async throws {
            let (attempt, result) = try await runner.runRecorded(job, week: week, actor: "demo", runnerID: "demo")
            logger.info("demo: cycle job", metadata: ["week": "\(week)", "job": "\(job)", "result": "\(result?.message ?? "\(attempt)")"])
        }
        try await run(.openWeek)
        var late: [Level1FormRecord] = []
        for ward in try await reviews.wards(week: week, scope: .all) {
            for form in try await reviews.wardWeek(wardID: ward.wardID, week: week) where !form.discharged {
                switch Self.wardBehaviour(form.caseID, week) {
                case 0: continue  // never done
                case 1: late.append(form)  // after the deadline
                default:
                    _ = try await reviews.saveDraft(
                        id: form.id,
                        version: form.version,
                        review: Self.demoReview(form, week: week, deadline: deadline),
                        by: "Demo ward"
                    )
                }
            }
        }
        try await run(.applyLevel1Deadline)
        for form in late {
            _ = try await lateReviews.saveDraft(
                id: form.id,
                version: form.version,
                review: Self.demoReview(form, week: week, deadline: deadline),
                by: "Demo ward (late)"
            )
        }
        try await run(.buildLevel2Agenda)
        let meetings = MeetingService(database: database, policy: configuration.policy)
        if let agenda = try await meetings.agenda(week: week) {
            for name in ["Alex Morgan (chair)", "Priya Shah", "Tom Evans", "Grace Okafor"] {
                try await meetings.recordAttendance(
                    week: week,
                    name: name,
                    role: "Senior manager",
                    agency: name.hasPrefix("Priya") ? .socialCare : .nhs,
                    present: true,
                    actor: "demo"
                )
            }
            for item in agenda.content.cases {
                switch (item.caseID + Int64(week.monday.daysSinceEpoch / 7)) % 6 {
                case 0, 1:
                    _ = try await meetings.recordDecision(
                        caseID: item.caseID,
                        week: week,
                        decision: .resolved,
                        ask: nil,
                        notes: "Blockage cleared at the meeting",
                        actor: "demo"
                    )
                case 2 where (item.caseID / 6) % 2 == 0:
                    _ = try await meetings.recordDecision(
                        caseID: item.caseID,
                        week: week,
                        decision: .referToChiefExecutive,
                        ask: "Agree funding across organisations for a placement this week",
                        notes: nil,
                        actor: "demo"
                    )
                case 2, 3:
                    _ = try await meetings.addAction(
                        caseID: item.caseID,
                        week: week,
                        description: "Escalate to the brokerage lead",
                        agency: .socialCare,
                        owner: "Head of brokerage",
                        dueDate: week.day(8),
                        actor: "demo"
                    )
                    _ = try await meetings.recordDecision(caseID: item.caseID, week: week, decision: .keep, ask: nil, notes: nil, actor: "demo")
                default:
                    break  // discussed, no decision recorded
                }
            }
        }
        try await run(.buildChiefExecutiveSummary)
        guard !isCurrent else { return }
        for item in try await meetings.chiefExecutiveList(week: week) where item.status == .open {
            _ = try await meetings.recordChiefExecutiveDecision(
                caseID: item.caseID,
                week: week,
                decision: item.caseID % 2 == 0 ? .resolved : .keep,
                notes: "Chief executives agreed a way forward",
                actor: "demo"
            )
        }
    }

    /// 0: the ward never completes the form; 1: completes it late; else on time (about 1 in 10 each).
    static func wardBehaviour(_ caseID: Int64, _ week: ReviewWeek) -> Int {
        Int((caseID &* 7 + Int64(week.monday.daysSinceEpoch / 7) &* 3) % 10)
    }

    static let demoReasons: [DelayReasonCode] = [
        .carePackageHome, .nursingHome, .residentialHome, .awaitingAssessment, .furtherNHSCare, .equipmentAdaptations,
        .housing, .patientFamilyChoice, .medical, .therapy, .continuingHealthcare,
    ]

    /// A complete review with varied answers: some ask for Level 2, some have a
    /// far or no near discharge date, some an action long overdue.
    static func demoReview(_ form: Level1FormRecord, week: ReviewWeek, deadline: CalendarDate) -> Level1Review {
        let n = Int(form.caseID % 97)
        // A third of the patients keep the same primary reason week after week.
        let reason = demoReasons[(n + (n % 3 == 0 ? 0 : week.monday.daysSinceEpoch / 7)) % demoReasons.count]
        let agency: Agency = n % 2 == 0 ? .socialCare : .nhs
        var actions = [
            ReviewAction(
                description: "Chase the next step for \(reason.rawValue.replacingOccurrences(of: "-", with: " "))",
                owner: agency == .nhs ? "Discharge coordinator" : "Social worker",
                agency: agency,
                dueDate: deadline.adding(days: n % 20 - 9)
            )
        ]
        if n % 4 == 0 {
            actions.append(ReviewAction(description: "Family meeting", owner: "Ward sister", agency: .nhs, dueDate: deadline.adding(days: 3)))
        }
        return Level1Review(
            q1: .init(reasons: [DelayReasonEntry(code: reason, isPrimary: true)], narrative: "Medically optimised; waiting on the next step."),
            q2: .init(actions: actions, expectedDischargeDate: deadline.adding(days: n % 9), pathway: n % 4),
            q3: .init(narrative: "Earlier referral and assessment on admission.", learningTheme: n % 3 == 0 ? "early referral" : nil),
            status: n % 3 == 0 ? .green : .red,
            reviewers: .init(health: "Sister Jones", socialCare: "Sam Patel"),
            outcome: n % 15 == 0 ? .escalateToLevel2(ask: "Help to find a placement: none offered in two weeks") : .managedAtWard
        )
    }
}
