import Foundation

/// What a Level 2 meeting concluded about a case it took.
public enum Level2MeetingOutcome: Hashable, Sendable, CustomStringConvertible {
    /// The meeting agreed what happens next (actions, a destination, a
    /// funding decision); `summary` records it.
    case decided(summary: String)
    /// Discussed or deferred without a decision; the case stays open at
    /// Level 2.
    case noDecision
    /// Referred up to the chief executive call; `ask` is what Level 2 needs
    /// from it.
    case referredToChiefExecutive(ask: String)

    public var description: String {
        switch self {
        case .decided: return "decided"
        case .noDecision: return "no-decision"
        case .referredToChiefExecutive: return "referred-to-chief-executive"
        }
    }
}

extension Level2MeetingOutcome: Codable {
    private enum CodingKeys: String, CodingKey { case kind, summary, ask }

    /// `{"kind": "decided", "summary": "…"}`, `{"kind": "no-decision"}` or
    /// `{"kind": "referred-to-chief-executive", "ask": "…"}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "decided": self = .decided(summary: try c.decodeIfPresent(String.self, forKey: .summary) ?? "")
        case "no-decision": self = .noDecision
        case "referred-to-chief-executive": self = .referredToChiefExecutive(ask: try c.decodeIfPresent(String.self, forKey: .ask) ?? "")
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: c,
                debugDescription: "unknown Level 2 outcome \"\(kind)\"; expected \"decided\", \"no-decision\" or \"referred-to-chief-executive\""
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(description, forKey: .kind)
        switch self {
        case let .decided(summary): try c.encode(summary, forKey: .summary)
        case .noDecision: break
        case let .referredToChiefExecutive(ask): try c.encode(ask, forKey: .ask)
        }
    }
}

/// A case's appearance at one weekly Level 2 meeting.
public struct Level2Appearance: Hashable, Sendable, Codable {
    public var week: ReviewWeek
    public var outcome: Level2MeetingOutcome

    public init(week: ReviewWeek, outcome: Level2MeetingOutcome) {
        self.week = week
        self.outcome = outcome
    }
}

/// The primary delay reason of one earlier week's Level 1 review.
public struct PriorReview: Hashable, Sendable, Codable {
    public var week: ReviewWeek
    /// Nil when that week's review named no primary reason.
    public var primaryReason: DelayReasonCode?

    public init(week: ReviewWeek, primaryReason: DelayReasonCode?) {
        self.week = week
        self.primaryReason = primaryReason
    }
}

/// Everything the escalation rules look at, for one case at one moment.
///
/// A plain value assembled by the workflow from the database, so the rules are
/// pure functions of it: the same snapshot always gives the same escalations,
/// and each rule's boundaries can be tested without a database. Snapshots are
/// also worth storing with the escalations they produced, to show later why a
/// case was (or was not) escalated.
public struct CaseSnapshot: Hashable, Sendable, Codable {
    /// The review week being evaluated.
    public var week: ReviewWeek
    /// The calendar date the rules are applied on: the day of the Level 1
    /// deadline for the Level 2 rules, the day the chief executive summary is
    /// built for the chief executive rules. Expected discharge dates and
    /// overdue actions are measured from it.
    public var evaluationDate: CalendarDate
    /// Length of stay as at ``evaluationDate`` (admission to that date), so a
    /// patient listed at 19 days on Monday is at 21 by a Wednesday deadline.
    public var lengthOfStay: LengthOfStay
    /// This week's Level 1 form as it stands, including a pre-filled draft no
    /// one has changed; nil when there is no form at all.
    public var review: Level1Review?
    /// The expected discharge date the ward list gave, used when the form has
    /// none.
    public var listedExpectedDischargeDate: CalendarDate?
    /// Primary reasons of earlier weeks' reviews, in any order; weeks without
    /// a review are simply absent.
    public var priorReviews: [PriorReview]
    /// The case's Level 2 meetings, this week's included if it has happened,
    /// in any order.
    public var level2History: [Level2Appearance]
    /// The patient has left hospital: no rule fires.
    public var isDischarged: Bool
    /// The form was opened after the Level 1 deadline (its list came in late)
    /// and is not due yet: an unfinished form is not "incomplete at the deadline".
    public var formNotYetDue: Bool
    /// The board rounds' red and green days of the stay, in any order.
    public var days: [RecordedDay]

    public init(
        week: ReviewWeek,
        evaluationDate: CalendarDate,
        lengthOfStay: LengthOfStay,
        review: Level1Review? = nil,
        listedExpectedDischargeDate: CalendarDate? = nil,
        priorReviews: [PriorReview] = [],
        level2History: [Level2Appearance] = [],
        isDischarged: Bool = false,
        formNotYetDue: Bool = false,
        days: [RecordedDay] = []
    ) {
        self.week = week
        self.evaluationDate = evaluationDate
        self.lengthOfStay = lengthOfStay
        self.review = review
        self.listedExpectedDischargeDate = listedExpectedDischargeDate
        self.priorReviews = priorReviews
        self.level2History = level2History
        self.isDischarged = isDischarged
        self.formNotYetDue = formNotYetDue
        self.days = days
    }

    /// The expected discharge date in force: the form's, else the list's.
    public var expectedDischargeDate: CalendarDate? {
        review?.q2.expectedDischargeDate ?? listedExpectedDischargeDate
    }

    /// This week's primary delay reason, from the form.
    public var primaryReason: DelayReasonCode? { review?.q1.primaryReason }

    /// The primary reason recorded for an earlier week, if that week had a
    /// review with one.
    public func primaryReason(in week: ReviewWeek) -> DelayReasonCode? {
        priorReviews.last { $0.week == week }?.primaryReason
    }

    /// The case's Level 2 outcome in a given week, if it was at that meeting.
    public func level2Outcome(in week: ReviewWeek) -> Level2MeetingOutcome? {
        level2History.last { $0.week == week }?.outcome
    }
}
