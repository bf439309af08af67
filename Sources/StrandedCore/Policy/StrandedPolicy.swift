import Foundation

/// Every rule the service runs with, as one value: the length-of-stay
/// thresholds and bands, the weekly timetable, the escalation rules, the
/// delay-reason and prevention-theme taxonomies, the red-day rules and the plan's RAG rules.
///
/// DESIGN.md §3 gives defaults, and a deployment may change any of them. So
/// the executable builds this value once at start-up from its configuration
/// and passes it down to every service, route and job; nothing below it
/// reaches for a default of its own. A page that showed Wednesday 17:00 while
/// the deployment configured Tuesday 12:00 would be telling a ward the wrong
/// deadline.
public struct StrandedPolicy: Hashable, Sendable {
    /// Who is stranded and super stranded, and the reporting bands.
    public var thresholds: StrandedThresholds
    /// When lists are due, forms close, and the meetings sit.
    public var timetable: WeeklyTimetable
    /// Which escalation rules run, and their numbers.
    public var escalation: EscalationPolicy
    /// The delay reasons a Level 1 review chooses from.
    public var delayReasons: DelayReasonTaxonomy
    /// How the action plan's RAG ratings are judged.
    public var planRAG: RAGPolicy
    /// The themes a Q3 answer is coded with.
    public var preventionThemes: PreventionThemeTaxonomy
    /// The board round's red-day reasons, the consecutive-red-days
    /// escalation and how far back a day may be corrected.
    public var redDays: RedDayPolicy

    public init(
        thresholds: StrandedThresholds,
        timetable: WeeklyTimetable,
        escalation: EscalationPolicy,
        delayReasons: DelayReasonTaxonomy,
        planRAG: RAGPolicy,
        preventionThemes: PreventionThemeTaxonomy,
        redDays: RedDayPolicy
    ) {
        self.thresholds = thresholds
        self.timetable = timetable
        self.escalation = escalation
        self.delayReasons = delayReasons
        self.planRAG = planRAG
        self.preventionThemes = preventionThemes
        self.redDays = redDays
    }

    /// The rules of DESIGN.md §3. For the executable's built-in defaults and
    /// for tests, which say so by naming it.
    public static let standard = StrandedPolicy(
        thresholds: .standard,
        timetable: .standard,
        escalation: .standard,
        delayReasons: .standard,
        planRAG: .standard,
        preventionThemes: .standard,
        redDays: .standard
    )

    /// Every escalation rule of `level` (nil: all) that fires for the case,
    /// judged with this policy's numbers and taxonomies.
    public func escalations(for snapshot: CaseSnapshot, level: EscalationLevel?) -> [FiredRule] {
        escalation.evaluate(snapshot, level: level, taxonomy: delayReasons, redDays: redDays)
    }

    /// Everything wrong with it, as sentences naming the setting by its
    /// configuration key; empty when usable.
    public func problems() -> [String] {
        var result = thresholds.problems().map { "thresholds.\($0)" }
        result += timetable.problems().map { "timetable.\($0)" }
        result += escalation.problems().map { "escalation.\($0)" }
        result += redDays.problems().map { "redDays.\($0)" }
        if planRAG.dueSoonDays < 0 { result.append("plan.dueSoonDays cannot be negative, got \(planRAG.dueSoonDays)") }
        if planRAG.recentProgressDays < 0 { result.append("plan.recentProgressDays cannot be negative, got \(planRAG.recentProgressDays)") }
        return result
    }
}

extension StrandedPolicy: Codable {
    /// The configuration keys, each optional; a file names only what it changes.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case thresholds, timetable, escalation, delayReasons, plan, preventionThemes, redDays
    }

    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        try self.init(decodingKeysFrom: decoder)
    }

    /// Decodes the policy's keys from a container that may hold other
    /// settings too (the service's configuration file also has the scheduler's).
    public init(decodingKeysFrom decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = StrandedPolicy.standard
        self.init(
            thresholds: try c.decodeIfPresent(StrandedThresholds.self, forKey: .thresholds) ?? d.thresholds,
            timetable: try c.decodeIfPresent(WeeklyTimetable.self, forKey: .timetable) ?? d.timetable,
            escalation: try c.decodeIfPresent(EscalationPolicy.self, forKey: .escalation) ?? d.escalation,
            delayReasons: try c.decodeIfPresent(DelayReasonTaxonomy.self, forKey: .delayReasons) ?? d.delayReasons,
            planRAG: try c.decodeIfPresent(RAGPolicy.self, forKey: .plan) ?? d.planRAG,
            preventionThemes: try c.decodeIfPresent(PreventionThemeTaxonomy.self, forKey: .preventionThemes) ?? d.preventionThemes,
            redDays: try c.decodeIfPresent(RedDayPolicy.self, forKey: .redDays) ?? d.redDays
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(thresholds, forKey: .thresholds)
        try c.encode(timetable, forKey: .timetable)
        try c.encode(escalation, forKey: .escalation)
        try c.encode(delayReasons, forKey: .delayReasons)
        try c.encode(planRAG, forKey: .plan)
        try c.encode(preventionThemes, forKey: .preventionThemes)
        try c.encode(redDays, forKey: .redDays)
    }
}
