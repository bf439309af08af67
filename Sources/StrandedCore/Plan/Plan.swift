import Foundation

/// The plan as a whole: what it is, whose it is, and when it ran.
public struct Plan: Hashable, Sendable, Codable {
    public var title: String
    /// The board that approved the plan and assures its delivery.
    public var owner: String
    /// The first day of the plan. When the source gives only a month, the
    /// first of that month, with the month as written in `startDateText`.
    public var startDate: CalendarDate
    public var startDateText: String?
    public var durationMonths: Int
    public var status: PlanStatus
    /// When the plan was formally closed, if known.
    public var closedOn: CalendarDate?

    public init(
        title: String,
        owner: String,
        startDate: CalendarDate,
        startDateText: String? = nil,
        durationMonths: Int,
        status: PlanStatus,
        closedOn: CalendarDate? = nil
    ) {
        self.title = title
        self.owner = owner
        self.startDate = startDate
        self.startDateText = startDateText
        self.durationMonths = durationMonths
        self.status = status
        self.closedOn = closedOn
    }

    /// The last day of the planned duration: `durationMonths` months after
    /// `startDate`, less one day (2018-03-01 + 18 months → 2019-08-31). When
    /// the start day does not exist in the end month, the month's last day is
    /// used before subtracting.
    public var plannedEndDate: CalendarDate {
        let monthIndex = startDate.year * 12 + (startDate.month - 1) + durationMonths
        let year = monthIndex / 12
        let month = monthIndex % 12 + 1
        let day = min(startDate.day, CalendarDate.daysIn(month: month, year: year))
        return CalendarDate(year: year, month: month, day: day)!.adding(days: -1)
    }
}

/// A person in the plan's key to initials.
public struct Person: Hashable, Sendable, Codable {
    public var initials: String
    public var name: String
    public var role: String
    public var organisation: String

    public init(initials: String, name: String, role: String, organisation: String) {
        self.initials = initials
        self.name = name
        self.role = role
        self.organisation = organisation
    }
}

/// A key action the closure report lists as delivered, with any sub-points.
/// The plan file writes one as a bare string, or as
/// `{"text": "…", "details": ["…"]}` when it has sub-points.
public struct DeliveredItem: Hashable, Sendable, Codable {
    public var text: String
    public var details: [String]

    public init(_ text: String, details: [String] = []) {
        self.text = text
        self.details = details
    }

    private enum CodingKeys: String, CodingKey { case text, details }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(String.self, forKey: .text),
            details: try container.decodeIfPresent([String].self, forKey: .details) ?? []
        )
    }

    public func encode(to encoder: any Encoder) throws {
        if details.isEmpty {
            var single = encoder.singleValueContainer()
            try single.encode(text)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(details, forKey: .details)
    }
}

/// A task still open when the plan closed, handed to named owners under an
/// existing governance stream.
public struct OutstandingTask: Hashable, Sendable, Codable {
    public var task: String
    /// As the closure report names them (free text, or initials from the key).
    public var owners: [Owner]
    public var rationale: String
    /// The source's separate statement of how the work will be reported, when
    /// it gives one apart from the rationale; nil when one statement covers
    /// both (it is then in `rationale`).
    public var futureReporting: String?
    /// The board, group or structure the task now reports through.
    public var governanceStream: String
    /// The key actions this task continues (a transcriber's judgement: the
    /// closure report names workstreams, not action codes).
    public var actions: [String]

    public init(
        task: String,
        owners: [Owner],
        rationale: String,
        futureReporting: String?,
        governanceStream: String,
        actions: [String]
    ) {
        self.task = task
        self.owners = owners
        self.rationale = rationale
        self.futureReporting = futureReporting
        self.governanceStream = governanceStream
        self.actions = actions
    }

    /// How the work will be reported from now on: `futureReporting` where the
    /// source states it separately, else the combined `rationale`.
    public var reportingArrangement: String { futureReporting ?? rationale }
}

/// A strategic priority (A–O): one CQC area for improvement, the key actions
/// the plan set against it, and what the closure report said about it.
public struct Priority: Hashable, Sendable, Codable {
    /// "A" … "O".
    public var letter: String
    public var category: PriorityCategory
    /// The workstream's short name in the closure report.
    public var title: String
    /// The priority as worded in the March 2018 plan.
    public var priorityText: String
    /// What the CQC found, as the closure report summarises it.
    public var finding: String
    /// The CQC recommendation as the closure report quotes it.
    public var recommendation: String
    public var actions: [KeyAction]
    /// Key actions delivered, per the closure report.
    public var delivered: [DeliveredItem]
    /// Tasks outstanding at closure, per the closure report.
    public var outstanding: [OutstandingTask]

    public init(
        letter: String,
        category: PriorityCategory,
        title: String,
        priorityText: String,
        finding: String,
        recommendation: String,
        actions: [KeyAction],
        delivered: [DeliveredItem] = [],
        outstanding: [OutstandingTask] = []
    ) {
        self.letter = letter
        self.category = category
        self.title = title
        self.priorityText = priorityText
        self.finding = finding
        self.recommendation = recommendation
        self.actions = actions
        self.delivered = delivered
        self.outstanding = outstanding
    }
}

/// A measure used to judge whether the plan made a difference for people.
public struct PlanEvaluationMetric: Hashable, Sendable, Codable {
    /// Stable identifier, e.g. "stranded-patients-7".
    public var id: String
    public var name: String
    public var definition: String
    public var unit: String
    public var direction: ImprovementDirection
    /// Where the metric comes from (which source document and section).
    public var source: String
    /// A stated target, as written (e.g. "85%-90%"), if any.
    public var target: String?
    /// Codes of the key actions this metric evaluates.
    public var actions: [String]

    public init(
        id: String,
        name: String,
        definition: String,
        unit: String,
        direction: ImprovementDirection,
        source: String,
        target: String? = nil,
        actions: [String]
    ) {
        self.id = id
        self.name = name
        self.definition = definition
        self.unit = unit
        self.direction = direction
        self.source = source
        self.target = target
        self.actions = actions
    }

    /// Whether moving from `old` to `new` is an improvement (false when equal).
    public func isImprovement(from old: Double, to new: Double) -> Bool {
        switch direction {
        case .higherIsBetter: new > old
        case .lowerIsBetter: new < old
        }
    }
}
