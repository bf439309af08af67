import Foundation
import Store
import StrandedCore

/// What applying the rules for a week did.
public struct EscalationRun: Sendable, Codable, Equatable {
    public struct Escalated: Sendable, Codable, Equatable {
        public let caseID: Int64
        public let rules: [EscalationRuleID]
        /// "opened", "appended" or "unchanged" (already recorded this week).
        public let change: String
    }

    public let week: ReviewWeek
    public let level: EscalationLevel
    /// Cases the rules were evaluated on.
    public var evaluated = 0
    /// Cases at least one rule fired for, in case order.
    public var escalated: [Escalated] = []

    public init(week: ReviewWeek, level: EscalationLevel) {
        self.week = week
        self.level = level
    }

    public var opened: Int { escalated.filter { $0.change == "opened" }.count }
    public var appended: Int { escalated.filter { $0.change == "appended" }.count }
    public var unchanged: Int { escalated.filter { $0.change == "unchanged" }.count }

    /// How many cases each rule fired for, in rule-table order.
    public var byRule: [(rule: EscalationRuleID, cases: Int)] {
        EscalationRuleID.allCases.compactMap { rule in
            let n = escalated.filter { $0.rules.contains(rule) }.count
            return n == 0 ? nil : (rule, n)
        }
    }

    /// One line for logs, the CLI and the job record.
    public var summary: String {
        let target = level == .level2 ? "Level 2" : "the chief executive call"
        var text = "\(evaluated) case\(evaluated == 1 ? "" : "s") checked; \(escalated.count) escalated to \(target)"
        if !escalated.isEmpty {
            text += " (\(opened) new, \(appended) already open"
            if unchanged > 0 { text += ", \(unchanged) recorded before" }
            text += ")"
            text += ". Why: " + byRule.map { "\($0.rule.rawValue) \($0.cases)" }.joined(separator: ", ")
        }
        return text + "."
    }
}

/// Applies the escalation rules (StrandedCore's ``EscalationPolicy``) to the
/// database: assembles a ``CaseSnapshot`` per case from its forms, its
/// earlier reviews and its Level 2 history, evaluates the policy and records
/// every rule that fired. Re-running for a week changes nothing.
///
/// The scheduler reads the forms as they were saved at the deadline instant
/// (so a catch-up run after downtime still counts a late form as late); a run
/// by hand reads them as they stand. A form completed after the job has run
/// is late and does not undo the escalation.
public struct EscalationApplier: Sendable {
    let escalations: EscalationStore
    /// The board rounds' days, for the consecutive-red-days rule.
    let redDays: RedDayStore
    /// The running rules: the escalation rules, the timetable's evaluation
    /// instants, and the delay reasons the rules read.
    public let policy: StrandedPolicy

    public init(database: Database, policy: StrandedPolicy) {
        escalations = EscalationStore(database: database)
        redDays = RedDayStore(database: database)
        self.policy = policy
    }

    /// The Level 1 deadline: the Level 2 rules for every open case with a form this week.
    ///
    /// - Parameter formsAsOf: read the forms as saved at this instant (the
    ///   scheduler passes the deadline itself, so a catch-up run after
    ///   downtime does not count a late form as on time); nil: as they stand.
    public func applyLevel1Deadline(week: ReviewWeek, actor: String, formsAsOf: Date? = nil) async throws -> EscalationRun {
        let evaluationDate = policy.timetable.date(of: .level1Deadline, in: week)
        let deadline = policy.timetable.instant(of: .level1Deadline, in: week)
        let cases = try await escalations.deadlineCases(week: week, asOf: formsAsOf)
        let meetings = try await escalations.level2Meetings(caseIDs: cases.map(\.caseID), upTo: week)
        let days = try await redDays.days(caseIDs: cases.map(\.caseID))
        var run = EscalationRun(week: week, level: .level2)
        for facts in cases {
            let snapshot = CaseSnapshot(
                week: week,
                evaluationDate: evaluationDate,
                lengthOfStay: LengthOfStay(admitted: facts.admissionDate, snapshot: evaluationDate) ?? LengthOfStay(days: 0)!,
                // An untouched draft is not a review: the ward did not start it.
                review: facts.formStatus == .notStarted ? nil : facts.review,
                listedExpectedDischargeDate: facts.listedExpectedDischargeDate,
                priorReviews: facts.priorReviews.map { PriorReview(week: $0.week, primaryReason: $0.review.q1.primaryReason) },
                level2History: Self.history(meetings[facts.caseID] ?? []),
                formNotYetDue: policy.timetable.formDue(week: week, openedAt: facts.openedAt) > deadline,
                days: days[facts.caseID] ?? []
            )
            run.evaluated += 1
            try await record(snapshot: snapshot, caseID: facts.caseID, level: .level2, actor: actor, into: &run)
        }
        return run
    }

    /// Before the chief executive call: the chief executive rules for every
    /// case open at Level 2, using what this week's meeting recorded.
    ///
    /// - Parameter onlyCases: just these cases (a referral just recorded); nil: every case open at Level 2.
    public func applyChiefExecutiveRules(week: ReviewWeek, actor: String, onlyCases: Set<Int64>? = nil) async throws -> EscalationRun {
        let evaluationDate = policy.timetable.date(of: .chiefExecutiveSummaryBuilt, in: week)
        let caseIDs = try await escalations.openLevel2CaseIDs(week: week, forTheAgenda: false).filter { onlyCases?.contains($0) ?? true }
        let meetings = try await escalations.level2Meetings(caseIDs: caseIDs, upTo: week)
        let basics = try await escalations.caseBasics(caseIDs: caseIDs, week: week)
        var run = EscalationRun(week: week, level: .chiefExecutive)
        for caseID in caseIDs {
            guard let basic = basics[caseID] else { continue }
            let snapshot = CaseSnapshot(
                week: week,
                evaluationDate: evaluationDate,
                lengthOfStay: LengthOfStay(admitted: basic.admission, snapshot: evaluationDate) ?? LengthOfStay(days: 0)!,
                review: basic.review,
                level2History: Self.history(meetings[caseID] ?? [])
            )
            run.evaluated += 1
            try await record(snapshot: snapshot, caseID: caseID, level: .chiefExecutive, actor: actor, into: &run)
        }
        return run
    }

    private func record(snapshot: CaseSnapshot, caseID: Int64, level: EscalationLevel, actor: String, into run: inout EscalationRun) async throws {
        let fired = policy.escalations(for: snapshot, level: level)
        guard !fired.isEmpty else { return }
        let change: String
        switch try await escalations.escalate(caseID: caseID, level: level, week: snapshot.week, rules: fired, snapshot: snapshot, by: actor) {
        case .opened: change = "opened"
        case .appended: change = "appended"
        case .unchanged: change = "unchanged"
        }
        run.escalated.append(.init(caseID: caseID, rules: fired.map(\.rule), change: change))
    }

    /// The Level 2 meetings as the chief executive rules see them.
    static func history(_ meetings: [Level2MeetingFacts]) -> [Level2Appearance] {
        meetings.map { m in
            Level2Appearance(
                week: m.week,
                outcome: Level2Decision.meetingOutcome(
                    decision: m.decision,
                    ask: m.ask,
                    notes: m.notes,
                    actionsAgreed: m.actionsAgreed
                )
            )
        }
    }
}
