import Foundation

/// One rule that fired for a case, with the sentence that says why.
///
/// The reason text is what the Level 2 agenda or the chief executive summary
/// prints next to the case, so it names the facts (days, dates, the reason,
/// the ask) rather than only the rule.
public struct FiredRule: Hashable, Sendable, Codable, CustomStringConvertible {
    public var rule: EscalationRuleID
    public var level: EscalationLevel
    public var reason: String

    public init(rule: EscalationRuleID, reason: String) {
        self.rule = rule
        self.level = rule.level
        self.reason = reason
    }

    public var description: String { "\(rule.rawValue): \(reason)" }
}

extension EscalationPolicy {
    /// Every enabled rule that fires for the case, in rule-table order; a case
    /// escalated by several rules gets them all, because each is a different
    /// thing for the meeting to act on.
    ///
    /// - Parameters:
    ///   - level: only rules escalating to this level (the Level 1 deadline
    ///     job asks for `.level2`, the chief executive summary job for
    ///     `.chiefExecutive`); nil for all.
    ///   - taxonomy: the delay reasons, for form completeness and labels.
    ///   - redDays: the red-day rules, for the run length and reason labels.
    /// - Returns: nothing for a discharged patient.
    public func evaluate(
        _ snapshot: CaseSnapshot,
        level: EscalationLevel? = nil,
        taxonomy: DelayReasonTaxonomy,
        redDays: RedDayPolicy
    ) -> [FiredRule] {
        EscalationRuleID.allCases.compactMap { rule in
            guard level == nil || rule.level == level else { return nil }
            return evaluate(rule, on: snapshot, taxonomy: taxonomy, redDays: redDays)
        }
    }

    /// One rule on its own; nil when it is disabled, does not fire, or the
    /// patient has been discharged.
    public func evaluate(
        _ rule: EscalationRuleID,
        on snapshot: CaseSnapshot,
        taxonomy: DelayReasonTaxonomy,
        redDays: RedDayPolicy
    ) -> FiredRule? {
        guard isEnabled(rule), !snapshot.isDischarged else { return nil }
        let reason: String?
        switch rule {
        case .l2Incomplete: reason = incomplete(snapshot, taxonomy)
        case .l2WardAsked: reason = wardAsked(snapshot)
        case .l2LongNoEDD: reason = longStayWithoutNearDischarge(snapshot)
        case .l2SameReason: reason = sameReason(snapshot, taxonomy)
        case .l2ActionOverdue: reason = actionOverdue(snapshot)
        case .l2RedDays: reason = consecutiveRedDays(snapshot, redDays)
        case .ceReferred: reason = referred(snapshot)
        case .ceStuck: reason = stuck(snapshot)
        }
        return reason.map { FiredRule(rule: rule, reason: $0) }
    }

    // MARK: - The rules

    /// `L2-INCOMPLETE`: anything missing or invalid on the form at the deadline.
    private func incomplete(_ s: CaseSnapshot, _ taxonomy: DelayReasonTaxonomy) -> String? {
        guard !s.formNotYetDue else { return nil }
        guard let review = s.review else { return "No Level 1 form was started by the deadline." }
        let problems = review.problems(taxonomy: taxonomy)
        guard !problems.isEmpty else { return nil }
        let fields = problems.map(\.field)
        let shown = fields.prefix(6).joined(separator: ", ") + (fields.count > 6 ? ", …" : "")
        return "Level 1 form not complete at the deadline: \(problems.count) item\(problems.count == 1 ? "" : "s") outstanding (\(shown))."
    }

    /// `L2-WARD-ASKED`: the ward chose to escalate.
    private func wardAsked(_ s: CaseSnapshot) -> String? {
        guard case let .escalateToLevel2(ask)? = s.review?.outcome else { return nil }
        return FormProblem.isBlank(ask)
            ? "The ward asked for Level 2 help (no ask given)."
            : "The ward asked for Level 2 help: \(ask.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    /// `L2-LONG-NO-EDD`: LoS at least `longStayDays` and no expected discharge
    /// date from the evaluation date to `expectedDischargeWindowDays` after
    /// it. A date already passed counts as none: the patient is still here,
    /// so it is not a plan any more.
    private func longStayWithoutNearDischarge(_ s: CaseSnapshot) -> String? {
        guard s.lengthOfStay.days >= longStayDays else { return nil }
        let stay = "In hospital \(s.lengthOfStay) (\(longStayDays) or more)"
        guard let edd = s.expectedDischargeDate else {
            return "\(stay) with no expected discharge date."
        }
        let daysAway = s.evaluationDate.days(until: edd)
        if daysAway < 0 {
            return "\(stay) and the expected discharge date \(edd.iso) passed \(-daysAway) day\(daysAway == -1 ? "" : "s") ago."
        }
        guard daysAway > expectedDischargeWindowDays else { return nil }
        return "\(stay) and the expected discharge date \(edd.iso) is \(daysAway) days away (more than \(expectedDischargeWindowDays))."
    }

    /// `L2-SAME-REASON`: this week's primary reason was also the primary
    /// reason in each of the preceding weeks, for `sameReasonConsecutiveWeeks`
    /// weeks in a row. A week with no review, or no primary, breaks the run.
    private func sameReason(_ s: CaseSnapshot, _ taxonomy: DelayReasonTaxonomy) -> String? {
        guard let current = s.primaryReason else { return nil }
        var run = 1
        var week = s.week.previous
        while s.primaryReason(in: week) == current {
            run += 1
            week = week.previous
        }
        guard run >= sameReasonConsecutiveWeeks else { return nil }
        let label = taxonomy.reason(current).map { "\"\($0.label)\" (\(current))" } ?? "\"\(current)\""
        return "Primary delay reason \(label) for \(run) consecutive weekly reviews, since \(s.week.adding(weeks: 1 - run).label)."
    }

    /// `L2-ACTION-OVERDUE`: an action not done, more than `actionOverdueDays`
    /// days past its due date on the evaluation date. Lists every such action.
    private func actionOverdue(_ s: CaseSnapshot) -> String? {
        guard let actions = s.review?.q2.actions else { return nil }
        let overdue: [(index: Int, action: ReviewAction, days: Int)] = actions.enumerated().compactMap { index, action in
            guard let days = action.daysOverdue(on: s.evaluationDate), days > actionOverdueDays else { return nil }
            return (index, action, days)
        }
        guard !overdue.isEmpty else { return nil }
        let items = overdue.map { item -> String in
            let what = FormProblem.isBlank(item.action.description) ? "action \(item.index + 1)" : "\"\(item.action.description)\""
            var who = item.action.owner.trimmingCharacters(in: .whitespacesAndNewlines)
            if let agency = item.action.agency { who += who.isEmpty ? agency.label : ", \(agency.label)" }
            let owner = who.isEmpty ? "" : " (\(who))"
            return "\(what)\(owner) due \(item.action.dueDate!.iso), \(item.days) days overdue"
        }
        return "Action\(overdue.count == 1 ? "" : "s") overdue by more than \(actionOverdueDays) days: \(items.joined(separator: "; "))."
    }

    /// `L2-RED-DAYS`: a run of at least `escalationConsecutiveDays` red days
    /// that reached into the seven days up to the evaluation date (so each
    /// run is brought once, in the week it happened, even if it began the
    /// week before). The latest such run is named, with its reasons.
    private func consecutiveRedDays(_ s: CaseSnapshot, _ policy: RedDayPolicy) -> String? {
        let windowStart = s.evaluationDate.adding(days: -6)
        let seen = s.days.filter { $0.date <= s.evaluationDate }
        guard
            let run = RedDayCounts.runs(in: seen).last(where: { $0.days >= policy.escalationConsecutiveDays && $0.last >= windowStart })
        else { return nil }
        let reasons = run.reasons.map(policy.label(of:))
        let why = reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; ")
        return "\(run.days) consecutive red days, \(run.first.iso) to \(run.last.iso) (\(policy.escalationConsecutiveDays) or more): \(why)."
    }

    /// `CE-REFERRED`: this week's Level 2 meeting referred the case up.
    /// Earlier referrals were for earlier calls, so only this week's counts.
    private func referred(_ s: CaseSnapshot) -> String? {
        guard case let .referredToChiefExecutive(ask)? = s.level2Outcome(in: s.week) else { return nil }
        return FormProblem.isBlank(ask)
            ? "Level 2 referred the case to the chief executive call (no ask recorded; Level 2 should state what it needs)."
            : "Level 2 referred the case to the chief executive call: \(ask.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    /// `CE-STUCK`: the case was at this week's Level 2 meeting and the
    /// weekly meetings before it, `stuckConsecutiveMeetings` in a row, without
    /// a decision. A week it was not discussed breaks the run.
    private func stuck(_ s: CaseSnapshot) -> String? {
        var run = 0
        var week = s.week
        while s.level2Outcome(in: week) == .noDecision {
            run += 1
            week = week.previous
        }
        guard run >= stuckConsecutiveMeetings else { return nil }
        return "Open at Level 2 for \(run) consecutive meetings without a decision, since \(s.week.adding(weeks: 1 - run).label)."
    }
}
