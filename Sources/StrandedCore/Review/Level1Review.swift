import Foundation

/// Today's red/green status of a stranded patient.
///
/// A red day is a day on which nothing happened that moved the patient towards
/// home; the process treats inactive days as harm (deconditioning), so the
/// ward states one or the other at every review.
public enum DayStatus: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    case red
    case green

    public var label: String { self == .red ? "Red day" : "Green day" }
    public var description: String { rawValue }
}

/// The national discharge pathways 0–3: where the patient is expected to go.
public enum DischargePathway: Int, CaseIterable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Home with no new care and support.
    case pathway0 = 0
    /// Home (or usual residence) with new or more care, reablement or rehabilitation.
    case pathway1 = 1
    /// A short-term bed for rehabilitation, reablement or recovery.
    case pathway2 = 2
    /// A care home placement, likely permanent.
    case pathway3 = 3

    public var label: String {
        switch self {
        case .pathway0: return "Pathway 0: home, no new support"
        case .pathway1: return "Pathway 1: home with support"
        case .pathway2: return "Pathway 2: short-term bed-based rehabilitation"
        case .pathway3: return "Pathway 3: care home"
        }
    }

    public var description: String { "P\(rawValue)" }

    public static func < (lhs: DischargePathway, rhs: DischargePathway) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One delay reason recorded at Q1, and whether it is the primary one.
public struct DelayReasonEntry: Hashable, Sendable, CustomStringConvertible {
    public var code: DelayReasonCode
    /// The primary reason is the one the trend and the same-reason escalation
    /// rule follow; a case may have several reasons but only one primary.
    public var isPrimary: Bool

    public init(code: DelayReasonCode, isPrimary: Bool = false) {
        self.code = code
        self.isPrimary = isPrimary
    }

    public var description: String { isPrimary ? "\(code)*" : code.rawValue }
}

extension DelayReasonEntry: Codable {
    private enum CodingKeys: String, CodingKey { case code, isPrimary }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(DelayReasonCode.self, forKey: .code)
        isPrimary = try c.decodeIfPresent(Bool.self, forKey: .isPrimary) ?? false
    }
}

/// One action at Q2: what is being done, by whom, by when.
public struct ReviewAction: Hashable, Sendable, Identifiable {
    /// Stable across weeks: a carried-forward action keeps its id, so how
    /// long it has been open (and overdue) can be followed.
    public var id: UUID
    public var description: String
    /// The person or role responsible, e.g. "J Patel, social worker".
    public var owner: String
    /// The organisation the owner acts for.
    public var agency: Agency?
    public var dueDate: CalendarDate?
    public var isDone: Bool

    public init(
        id: UUID = UUID(),
        description: String = "",
        owner: String = "",
        agency: Agency? = nil,
        dueDate: CalendarDate? = nil,
        isDone: Bool = false
    ) {
        self.id = id
        self.description = description
        self.owner = owner
        self.agency = agency
        self.dueDate = dueDate
        self.isDone = isDone
    }

    /// Days past its due date as at `date` (0 when due that day, negative when
    /// not yet due); nil when done or undated, since neither can be overdue.
    public func daysOverdue(on date: CalendarDate) -> Int? {
        guard !isDone, let dueDate else { return nil }
        return dueDate.days(until: date)
    }
}

extension ReviewAction: Codable {
    private enum CodingKeys: String, CodingKey { case id, description, owner, agency, dueDate, isDone }

    /// Every key optional, so a half-typed action from the ward PC still
    /// saves; a missing id gets a fresh one.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decodeIfPresent(UUID.self, forKey: .id) ?? UUID(),
            description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
            owner: try c.decodeIfPresent(String.self, forKey: .owner) ?? "",
            agency: try c.decodeIfPresent(Agency.self, forKey: .agency),
            dueDate: try c.decodeIfPresent(CalendarDate.self, forKey: .dueDate),
            isDone: try c.decodeIfPresent(Bool.self, forKey: .isDone) ?? false
        )
    }
}

/// The ward's conclusion at the end of a Level 1 review.
public enum Level1Outcome: Hashable, Sendable, CustomStringConvertible {
    /// The ward team can unblock the case itself.
    case managedAtWard
    /// The ward needs the Level 2 meeting; `ask` says what it needs from it,
    /// because a meeting of senior managers can only act on a specific ask.
    case escalateToLevel2(ask: String)

    public var isEscalation: Bool {
        if case .escalateToLevel2 = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .managedAtWard: return "managed-at-ward"
        case .escalateToLevel2: return "escalate-to-level2"
        }
    }
}

extension Level1Outcome: Codable {
    private enum CodingKeys: String, CodingKey { case kind, ask }

    /// `{"kind": "managed-at-ward"}` or
    /// `{"kind": "escalate-to-level2", "ask": "…"}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "managed-at-ward": self = .managedAtWard
        case "escalate-to-level2": self = .escalateToLevel2(ask: try c.decodeIfPresent(String.self, forKey: .ask) ?? "")
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: c,
                debugDescription: "unknown outcome \"\(kind)\"; expected \"managed-at-ward\" or \"escalate-to-level2\""
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(description, forKey: .kind)
        if case let .escalateToLevel2(ask) = self { try c.encode(ask, forKey: .ask) }
    }
}

/// The Level 1 ward review of one case for one week: the three key questions,
/// today's status, the two reviewers and the outcome (DESIGN.md §3).
///
/// A plain value with everything optional or blank by default, because a form
/// is saved many times while it is being filled in; whether it is finished is
/// a question asked of it (``missingFields()``, ``isComplete(taxonomy:)``)
/// rather than a state it is forced into.
public struct Level1Review: Hashable, Sendable {
    /// Q1: why does this patient need to remain in hospital?
    public struct Q1: Hashable, Sendable {
        public var reasons: [DelayReasonEntry]
        public var narrative: String

        public init(reasons: [DelayReasonEntry] = [], narrative: String = "") {
            self.reasons = reasons
            self.narrative = narrative
        }

        /// The primary delay reason: the one marked primary, or the only
        /// reason when there is just one (a ward should not have to tick
        /// "primary" on a single reason). Nil when there is none, or when
        /// several are marked or none of several is.
        public var primaryReason: DelayReasonCode? {
            let marked = reasons.filter(\.isPrimary)
            if marked.count == 1 { return marked[0].code }
            if marked.isEmpty, reasons.count == 1 { return reasons[0].code }
            return nil
        }
    }

    /// Q2: what is being done to get this patient home, and by whom?
    public struct Q2: Hashable, Sendable {
        public var actions: [ReviewAction]
        public var expectedDischargeDate: CalendarDate?
        /// 0–3; kept as a number so an out-of-range value from a form or an
        /// import is reported by validation instead of lost in decoding.
        public var pathway: Int?

        public init(actions: [ReviewAction] = [], expectedDischargeDate: CalendarDate? = nil, pathway: Int? = nil) {
            self.actions = actions
            self.expectedDischargeDate = expectedDischargeDate
            self.pathway = pathway
        }

        /// The pathway as a value, when the number is one of 0–3.
        public var dischargePathway: DischargePathway? { pathway.flatMap(DischargePathway.init(rawValue:)) }

        /// Actions not yet done.
        public var openActions: [ReviewAction] { actions.filter { !$0.isDone } }
    }

    /// Q3: what could have been done in the first few days to prevent this
    /// patient becoming stranded?
    public struct Q3: Hashable, Sendable {
        public var narrative: String
        /// Prevention themes from the configured taxonomy, so Q3 answers can
        /// be counted across wards and weeks.
        public var themes: [PreventionThemeCode]
        /// A theme the taxonomy lacks, in the ward's words ("other: …").
        public var learningTheme: String?

        public init(narrative: String = "", themes: [PreventionThemeCode] = [], learningTheme: String? = nil) {
            self.narrative = narrative
            self.themes = themes
            self.learningTheme = learningTheme
        }
    }

    /// The two people who carried out the joint review; it is joint only if
    /// both health and social care took part.
    public struct Reviewers: Hashable, Sendable {
        public var health: String
        public var socialCare: String

        public init(health: String = "", socialCare: String = "") {
            self.health = health
            self.socialCare = socialCare
        }
    }

    public var q1: Q1
    public var q2: Q2
    public var q3: Q3
    /// Today's red/green status.
    public var status: DayStatus?
    public var reviewers: Reviewers
    public var outcome: Level1Outcome?

    public init(
        q1: Q1 = Q1(),
        q2: Q2 = Q2(),
        q3: Q3 = Q3(),
        status: DayStatus? = nil,
        reviewers: Reviewers = Reviewers(),
        outcome: Level1Outcome? = nil
    ) {
        self.q1 = q1
        self.q2 = q2
        self.q3 = q3
        self.status = status
        self.reviewers = reviewers
        self.outcome = outcome
    }

    // This week's form pre-filled from last week's (DESIGN.md §3) is built
    // where the week is opened, in one statement over every new form
    // (ReviewStore.openWeek), and checked against this type's Codable shape
    // by ReviewCycleTests.
}

// MARK: - Codable with every key optional

extension Level1Review.Q1: Codable {
    private enum CodingKeys: String, CodingKey { case reasons, narrative }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            reasons: try c.decodeIfPresent([DelayReasonEntry].self, forKey: .reasons) ?? [],
            narrative: try c.decodeIfPresent(String.self, forKey: .narrative) ?? ""
        )
    }
}

extension Level1Review.Q2: Codable {
    private enum CodingKeys: String, CodingKey { case actions, expectedDischargeDate, pathway }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            actions: try c.decodeIfPresent([ReviewAction].self, forKey: .actions) ?? [],
            expectedDischargeDate: try c.decodeIfPresent(CalendarDate.self, forKey: .expectedDischargeDate),
            pathway: try c.decodeIfPresent(Int.self, forKey: .pathway)
        )
    }
}

extension Level1Review.Q3: Codable {
    private enum CodingKeys: String, CodingKey { case narrative, themes, learningTheme }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            narrative: try c.decodeIfPresent(String.self, forKey: .narrative) ?? "",
            themes: try c.decodeIfPresent([PreventionThemeCode].self, forKey: .themes) ?? [],
            learningTheme: try c.decodeIfPresent(String.self, forKey: .learningTheme)
        )
    }
}

extension Level1Review.Reviewers: Codable {
    private enum CodingKeys: String, CodingKey { case health, socialCare }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            health: try c.decodeIfPresent(String.self, forKey: .health) ?? "",
            socialCare: try c.decodeIfPresent(String.self, forKey: .socialCare) ?? ""
        )
    }
}

extension Level1Review: Codable {
    private enum CodingKeys: String, CodingKey { case q1, q2, q3, status, reviewers, outcome }

    /// Every key optional, so a form saved half-way (or by an older client)
    /// decodes; completeness is checked separately.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            q1: try c.decodeIfPresent(Q1.self, forKey: .q1) ?? Q1(),
            q2: try c.decodeIfPresent(Q2.self, forKey: .q2) ?? Q2(),
            q3: try c.decodeIfPresent(Q3.self, forKey: .q3) ?? Q3(),
            status: try c.decodeIfPresent(DayStatus.self, forKey: .status),
            reviewers: try c.decodeIfPresent(Reviewers.self, forKey: .reviewers) ?? Reviewers(),
            outcome: try c.decodeIfPresent(Level1Outcome.self, forKey: .outcome)
        )
    }
}
