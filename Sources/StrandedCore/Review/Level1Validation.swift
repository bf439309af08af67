import Foundation

/// One thing wrong with a Level 1 form: which field, and what to do about it.
///
/// The field key is the path of the value in the form's JSON
/// (`"q2.actions[2].owner"`, zero-based), so a page can put the message beside
/// the right input and an API client can map it back; the one key that is not
/// a JSON path is `"q1.primary"`, meaning the `isPrimary` flags of the reasons
/// taken together. The message is written for the ward (actions numbered from
/// 1) and says what to do, not just what is wrong (DESIGN.md §5).
public struct FormProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Not filled in yet: normal while the form is in progress.
        case missing
        /// Filled in with a value that cannot be accepted.
        case invalid
    }

    public var field: String
    public var message: String
    public var kind: Kind

    public init(field: String, message: String, kind: Kind) {
        self.field = field
        self.message = message
        self.kind = kind
    }

    static func missing(_ field: String, _ message: String) -> FormProblem { FormProblem(field: field, message: message, kind: .missing) }
    static func invalid(_ field: String, _ message: String) -> FormProblem { FormProblem(field: field, message: message, kind: .invalid) }

    public var description: String { "\(field): \(message)" }
}

/// The status of one case's Level 1 form in one week.
public enum FormStatus: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    case notStarted = "not-started"
    case inProgress = "in-progress"
    case complete = "complete"
    /// Escalated to Level 2, by the ward's outcome or by a rule at the deadline.
    case escalated = "escalated"
    /// The patient left hospital; no review is due.
    case discharged = "discharged"

    public var label: String {
        switch self {
        case .notStarted: return "Not started"
        case .inProgress: return "In progress"
        case .complete: return "Complete"
        case .escalated: return "Escalated to Level 2"
        case .discharged: return "Discharged"
        }
    }

    public var description: String { rawValue }

    /// The ward's part is done: the review is complete, or it has gone to
    /// Level 2 (which counts as done for the ward, whoever escalated it).
    /// Counted on pages, in trends and in the summary; SQL reads
    /// ``doneStatuses`` so the rule is written once.
    public var isDone: Bool { Self.doneStatuses.contains(self) }

    /// The statuses that count as done, for queries.
    public static let doneStatuses: [FormStatus] = [.complete, .escalated]

    /// A review is still owed by the ward.
    public var isDue: Bool { self == .notStarted || self == .inProgress }

    /// The status shown for a form before any escalation rule has run.
    ///
    /// - `discharged` wins: no review is owed for a patient who has left.
    /// - `notStarted` when there is no form, the form is blank, or it is still
    ///   exactly the draft pre-filled from last week (`untouchedDraft`):
    ///   carrying answers forward is not the ward starting the review.
    /// - a complete form whose outcome asks for Level 2 is `escalated`;
    ///   otherwise `complete`; anything else is `inProgress`.
    ///
    /// Escalation by a rule at the deadline is decided by the escalation
    /// rules; the caller then records `escalated` itself.
    public static func of(
        _ review: Level1Review?,
        untouchedDraft: Level1Review? = nil,
        discharged: Bool = false,
        taxonomy: DelayReasonTaxonomy
    ) -> FormStatus {
        if discharged { return .discharged }
        guard let review, review != untouchedDraft, review != Level1Review() else { return .notStarted }
        guard review.isComplete(taxonomy: taxonomy) else { return .inProgress }
        return review.outcome?.isEscalation == true ? .escalated : .complete
    }
}

extension Level1Review {
    /// What is still to be filled in; empty when every part of the form has an
    /// answer (DESIGN.md §3: complete = all of it filled in).
    ///
    /// Requires: at least one delay reason, with a primary when there are
    /// several; the Q1 narrative; at least one action not yet done (Q2 asks
    /// what *is being* done, and a stranded patient with nothing in hand is
    /// exactly the red day the process exists to stop); for every action its
    /// description, owner, agency and due date; the expected discharge date;
    /// the pathway; the Q3 narrative (the learning theme is optional); both
    /// reviewers (a joint review needs health and social care); the outcome,
    /// and the ask when it is an escalation. The red/green status is not asked
    /// for: the board round records every day, and the form's status is the
    /// summary of the week's days (``WeekOfDays``).
    public func missingFields() -> [FormProblem] {
        var problems: [FormProblem] = []

        if q1.reasons.isEmpty {
            problems.append(.missing("q1.reasons", "Add at least one delay reason: why does this patient need to remain in hospital?"))
        } else if q1.reasons.count > 1, !q1.reasons.contains(where: \.isPrimary) {
            problems.append(.missing("q1.primary", "Mark one of the delay reasons as the primary reason."))
        }
        if FormProblem.isBlank(q1.narrative) {
            problems.append(.missing("q1.narrative", "Describe why this patient needs to remain in hospital."))
        }

        if q2.openActions.isEmpty {
            problems.append(
                .missing(
                    "q2.actions",
                    q2.actions.isEmpty
                        ? "Add at least one action: what is being done to get this patient home, and by whom?"
                        : "Every action is marked done; add the next action that is being taken to get this patient home."
                )
            )
        }
        for (index, action) in q2.actions.enumerated() {
            let key = "q2.actions[\(index)]"
            let name = "Action \(index + 1)"
            if FormProblem.isBlank(action.description) {
                problems.append(.missing("\(key).description", "\(name): say what is being done."))
            }
            if FormProblem.isBlank(action.owner) {
                problems.append(.missing("\(key).owner", "\(name): give the name or role of the person responsible."))
            }
            if action.agency == nil {
                problems.append(.missing("\(key).agency", "\(name): choose the organisation responsible (NHS, social care, both or other)."))
            }
            if action.dueDate == nil {
                problems.append(.missing("\(key).dueDate", "\(name): give the date it is due by."))
            }
        }
        if q2.expectedDischargeDate == nil {
            problems.append(.missing("q2.expectedDischargeDate", "Give the expected discharge date."))
        }
        if q2.pathway == nil {
            problems.append(.missing("q2.pathway", "Choose the discharge pathway (0–3)."))
        }

        if FormProblem.isBlank(q3.narrative) {
            problems.append(
                .missing("q3.narrative", "Say what could have been done in the first few days to prevent this patient becoming stranded.")
            )
        }

        if FormProblem.isBlank(reviewers.health) {
            problems.append(.missing("reviewers.health", "Give the name of the health reviewer: a joint review needs health and social care."))
        }
        if FormProblem.isBlank(reviewers.socialCare) {
            problems.append(
                .missing("reviewers.socialCare", "Give the name of the social care reviewer: a joint review needs health and social care.")
            )
        }

        switch outcome {
        case nil:
            problems.append(.missing("outcome", "Choose the outcome: managed at ward level, or escalate to Level 2."))
        case let .escalateToLevel2(ask)? where FormProblem.isBlank(ask):
            problems.append(.missing("outcome.ask", "Say what the ward needs from the Level 2 meeting."))
        default:
            break
        }
        return problems
    }

    /// Values that are filled in but cannot be accepted: delay reason codes
    /// not in the taxonomy or given twice, more than one primary reason, a
    /// pathway outside 0–3, the same person named as both reviewers.
    public func invalidValues(taxonomy: DelayReasonTaxonomy) -> [FormProblem] {
        var problems: [FormProblem] = []
        var seen: Set<DelayReasonCode> = []
        for (index, entry) in q1.reasons.enumerated() {
            let key = "q1.reasons[\(index)].code"
            if !taxonomy.contains(entry.code) {
                problems.append(
                    .invalid(key, "Delay reason \(index + 1) (\"\(entry.code)\") is not in the list of delay reasons; choose one from the list.")
                )
            } else if !seen.insert(entry.code).inserted {
                problems.append(.invalid(key, "Delay reason \(index + 1) (\"\(entry.code)\") is listed twice; remove the repeat."))
            }
        }
        let primaries = q1.reasons.filter(\.isPrimary).count
        if primaries > 1 {
            problems.append(.invalid("q1.primary", "\(primaries) delay reasons are marked primary; mark exactly one."))
        }
        if let pathway = q2.pathway, DischargePathway(rawValue: pathway) == nil {
            problems.append(.invalid("q2.pathway", "Discharge pathway \(pathway) does not exist; choose 0, 1, 2 or 3."))
        }
        if !FormProblem.isBlank(reviewers.health),
            FormProblem.normalisedName(reviewers.health) == FormProblem.normalisedName(reviewers.socialCare)
        {
            problems.append(
                .invalid(
                    "reviewers.socialCare",
                    "The same person is named as both reviewers; a joint review needs a health reviewer and a different social care reviewer."
                )
            )
        }
        return problems
    }

    /// Missing fields then invalid values: everything standing between this
    /// form and complete.
    public func problems(taxonomy: DelayReasonTaxonomy) -> [FormProblem] {
        missingFields() + invalidValues(taxonomy: taxonomy)
    }

    /// Complete: nothing missing and nothing invalid.
    public func isComplete(taxonomy: DelayReasonTaxonomy) -> Bool {
        problems(taxonomy: taxonomy).isEmpty
    }
}

extension FormProblem {
    /// Empty or only whitespace: what a form field holds when nobody typed in
    /// it. (Namespaced here rather than on `String` so it cannot collide with
    /// helpers elsewhere in the module.)
    static func isBlank(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Case- and spacing-insensitive form of a person's name, to tell whether
    /// two fields name the same person.
    static func normalisedName(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }
}
