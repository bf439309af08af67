import Foundation

/// Where an escalation sends a case.
public enum EscalationLevel: String, CaseIterable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The weekly multi-agency senior managers' meeting.
    case level2 = "level2"
    /// The weekly chief executives' call.
    case chiefExecutive = "chief-executive"

    public var label: String { self == .level2 ? "Level 2 meeting" : "Chief executive call" }
    public var description: String { rawValue }

    public static func < (lhs: EscalationLevel, rhs: EscalationLevel) -> Bool {
        lhs == .level2 && rhs == .chiefExecutive
    }
}

/// The escalation rules (DESIGN.md §3), by stable id.
///
/// The ids are recorded with every escalation ("each records its rule id"),
/// shown to the meeting as the reason a case is on its list, and counted in
/// reports; they must never change. The order of the cases is the order rules
/// are evaluated and listed in.
public enum EscalationRuleID: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The Level 1 form was not complete at the deadline.
    case l2Incomplete = "L2-INCOMPLETE"
    /// The ward's outcome asked for Level 2.
    case l2WardAsked = "L2-WARD-ASKED"
    /// A long stay with no expected discharge date soon after the deadline.
    case l2LongNoEDD = "L2-LONG-NO-EDD"
    /// The same primary delay reason week after week.
    case l2SameReason = "L2-SAME-REASON"
    /// An action well past its due date.
    case l2ActionOverdue = "L2-ACTION-OVERDUE"
    /// Red days, one after another, at the board round.
    case l2RedDays = "L2-RED-DAYS"
    /// Level 2 referred the case up with an ask.
    case ceReferred = "CE-REFERRED"
    /// Level 2 has met on the case repeatedly without deciding anything.
    case ceStuck = "CE-STUCK"

    /// The level the rule escalates to.
    public var level: EscalationLevel {
        switch self {
        case .l2Incomplete, .l2WardAsked, .l2LongNoEDD, .l2SameReason, .l2ActionOverdue, .l2RedDays: return .level2
        case .ceReferred, .ceStuck: return .chiefExecutive
        }
    }

    /// A short name for lists and badges.
    public var title: String {
        switch self {
        case .l2Incomplete: return "Level 1 form incomplete"
        case .l2WardAsked: return "Ward asked for Level 2"
        case .l2LongNoEDD: return "Long stay, no near discharge date"
        case .l2SameReason: return "Same delay reason again"
        case .l2ActionOverdue: return "Action overdue"
        case .l2RedDays: return "Red days in a row"
        case .ceReferred: return "Referred by Level 2"
        case .ceStuck: return "No decision at Level 2"
        }
    }

    /// What the rule checks, with the policy's numbers in it, for the rule
    /// table page and the escalation-rules section of the documentation.
    public func description(using stranded: StrandedPolicy) -> String {
        let policy = stranded.escalation
        switch self {
        case .l2Incomplete:
            return "The Level 1 form is not complete at the Level 1 deadline."
        case .l2WardAsked:
            return "The ward review's outcome is to escalate to Level 2."
        case .l2LongNoEDD:
            return
                "Length of stay is \(policy.longStayDays) days or more and there is no expected discharge date within \(policy.expectedDischargeWindowDays) days of the deadline."
        case .l2SameReason:
            return "The same primary delay reason has been recorded for \(policy.sameReasonConsecutiveWeeks) consecutive weekly reviews."
        case .l2ActionOverdue:
            return "An action not yet done is overdue by more than \(policy.actionOverdueDays) days at the deadline."
        case .l2RedDays:
            return
                "The board round marked \(stranded.redDays.escalationConsecutiveDays) or more consecutive red days in the week up to the deadline."
        case .ceReferred:
            return "The Level 2 meeting referred the case to the chief executive call with an ask."
        case .ceStuck:
            return "The case has been open at Level 2 for \(policy.stuckConsecutiveMeetings) consecutive meetings without a decision."
        }
    }

    /// The policy settings the rule reads, with their values.
    public func parameters(using stranded: StrandedPolicy) -> [(key: String, value: Int)] {
        let policy = stranded.escalation
        switch self {
        case .l2Incomplete, .l2WardAsked, .ceReferred: return []
        case .l2LongNoEDD: return [("longStayDays", policy.longStayDays), ("expectedDischargeWindowDays", policy.expectedDischargeWindowDays)]
        case .l2SameReason: return [("sameReasonConsecutiveWeeks", policy.sameReasonConsecutiveWeeks)]
        case .l2ActionOverdue: return [("actionOverdueDays", policy.actionOverdueDays)]
        case .ceStuck: return [("stuckConsecutiveMeetings", policy.stuckConsecutiveMeetings)]
        case .l2RedDays: return [("redDays.escalationConsecutiveDays", stranded.redDays.escalationConsecutiveDays)]
        }
    }

    public var description: String { rawValue }
}

/// The escalation rules' settings: which rules are on and their numbers.
///
/// Defaults are DESIGN.md §3: every rule on; long stay 21 days; expected
/// discharge within 7 days; the same primary reason for 2 consecutive weekly
/// reviews; an action overdue by more than 7 days; 2 consecutive Level 2
/// meetings without a decision. Decodes from JSON with every key optional and
/// unknown keys (and unknown rule ids) refused, so a typo cannot quietly turn
/// a rule off.
public struct EscalationPolicy: Hashable, Sendable {
    /// Rules that run; a rule not listed never fires.
    public var enabledRules: Set<EscalationRuleID>
    /// `L2-LONG-NO-EDD`: stays of this many days or more (default 21, the
    /// super-stranded threshold) need a near expected discharge date.
    public var longStayDays: Int
    /// `L2-LONG-NO-EDD`: an expected discharge date at most this many days
    /// after the evaluation date counts as near (default 7).
    public var expectedDischargeWindowDays: Int
    /// `L2-SAME-REASON`: fires when this many consecutive weekly reviews,
    /// this week's included, share a primary reason (default 2).
    public var sameReasonConsecutiveWeeks: Int
    /// `L2-ACTION-OVERDUE`: fires when an open action is overdue by more than
    /// this many days (default 7: 7 days overdue does not fire, 8 does).
    public var actionOverdueDays: Int
    /// `CE-STUCK`: fires after this many consecutive weekly Level 2 meetings,
    /// this week's included, without a decision (default 2).
    public var stuckConsecutiveMeetings: Int

    public init(
        enabledRules: Set<EscalationRuleID> = Set(EscalationRuleID.allCases),
        longStayDays: Int = 21,
        expectedDischargeWindowDays: Int = 7,
        sameReasonConsecutiveWeeks: Int = 2,
        actionOverdueDays: Int = 7,
        stuckConsecutiveMeetings: Int = 2
    ) {
        self.enabledRules = enabledRules
        self.longStayDays = longStayDays
        self.expectedDischargeWindowDays = expectedDischargeWindowDays
        self.sameReasonConsecutiveWeeks = sameReasonConsecutiveWeeks
        self.actionOverdueDays = actionOverdueDays
        self.stuckConsecutiveMeetings = stuckConsecutiveMeetings
    }

    /// The rules of DESIGN.md §3, all on.
    public static let standard = EscalationPolicy()

    public func isEnabled(_ rule: EscalationRuleID) -> Bool { enabledRules.contains(rule) }

    /// What is wrong with these settings, as sentences naming the setting;
    /// empty when usable. Checked at start so a bad file stops the service
    /// rather than silently escalating everyone or no one.
    public func problems() -> [String] {
        var result: [String] = []
        if longStayDays < 1 { result.append("longStayDays must be at least 1, got \(longStayDays)") }
        if expectedDischargeWindowDays < 0 { result.append("expectedDischargeWindowDays cannot be negative, got \(expectedDischargeWindowDays)") }
        if sameReasonConsecutiveWeeks < 2 {
            result.append("sameReasonConsecutiveWeeks must be at least 2 (one week on its own is not a repeat), got \(sameReasonConsecutiveWeeks)")
        }
        if actionOverdueDays < 0 { result.append("actionOverdueDays cannot be negative, got \(actionOverdueDays)") }
        if stuckConsecutiveMeetings < 1 { result.append("stuckConsecutiveMeetings must be at least 1, got \(stuckConsecutiveMeetings)") }
        return result
    }
}

extension EscalationPolicy: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case enabledRules, longStayDays, expectedDischargeWindowDays
        case sameReasonConsecutiveWeeks, actionOverdueDays, stuckConsecutiveMeetings
    }

    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EscalationPolicy.standard
        self.init(
            enabledRules: try c.decodeIfPresent([EscalationRuleID].self, forKey: .enabledRules).map(Set.init) ?? d.enabledRules,
            longStayDays: try c.decodeIfPresent(Int.self, forKey: .longStayDays) ?? d.longStayDays,
            expectedDischargeWindowDays: try c.decodeIfPresent(Int.self, forKey: .expectedDischargeWindowDays) ?? d.expectedDischargeWindowDays,
            sameReasonConsecutiveWeeks: try c.decodeIfPresent(Int.self, forKey: .sameReasonConsecutiveWeeks) ?? d.sameReasonConsecutiveWeeks,
            actionOverdueDays: try c.decodeIfPresent(Int.self, forKey: .actionOverdueDays) ?? d.actionOverdueDays,
            stuckConsecutiveMeetings: try c.decodeIfPresent(Int.self, forKey: .stuckConsecutiveMeetings) ?? d.stuckConsecutiveMeetings
        )
    }

    /// Rules are written in table order, so the same policy always encodes to
    /// the same text (a `Set` alone would shuffle them).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(EscalationRuleID.allCases.filter(enabledRules.contains), forKey: .enabledRules)
        try c.encode(longStayDays, forKey: .longStayDays)
        try c.encode(expectedDischargeWindowDays, forKey: .expectedDischargeWindowDays)
        try c.encode(sameReasonConsecutiveWeeks, forKey: .sameReasonConsecutiveWeeks)
        try c.encode(actionOverdueDays, forKey: .actionOverdueDays)
        try c.encode(stuckConsecutiveMeetings, forKey: .stuckConsecutiveMeetings)
    }
}
