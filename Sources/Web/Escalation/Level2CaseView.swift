import Foundation
import Store
import StrandedCore
import Workflow

/// One case of the Level 2 agenda as the meeting sees it: the frozen facts,
/// what this week's meeting recorded, and the forms' values (what was typed
/// when a form was refused).
struct CaseView {
    struct Rule {
        let rule: String
        let title: String
        let week: String
        let reason: String
    }
    struct History {
        let week: String
        let lengthOfStay: Int
        let formStatus: String
        let primaryReason: String
        let decision: String
        let ask: String?
        let actions: [String]
    }
    struct Action {
        let description: String
        let owner: String
        let agency: String
        let due: String
        let done: Bool
    }
    let anchor: String
    /// `C-000157`: the same reference the chief executive call and messages use.
    let reference: String
    let caseID: Int64
    let patient: String
    let nhsNumber: String
    let age: String
    let site: String
    let organisation: String
    let ward: String
    let lengthOfStay: Int
    let badges: [LoSBadge]
    let isNew: Bool
    let isLate: Bool
    let openedWeek: String
    let primaryReason: String
    let formStatus: String
    let reasons: [String]
    let q1Narrative: String
    let level1Actions: [Action]
    let hasLevel1Actions: Bool
    let expectedDischarge: String
    let pathway: String
    let q3Narrative: String
    let dayStatus: String
    let reviewers: String
    let wardOutcome: String
    /// The delay reasons as one sentence.
    let reasonsText: String
    /// Day status, reviewers and outcome, leaving out what was not recorded.
    let statusLine: String
    /// "2 red days this week, 5 in total, longest run 3 days"; nil when the
    /// board round has recorded none (or the agenda was frozen before it did).
    let redDaysLine: String?
    let rules: [Rule]
    let history: [History]
    let hasHistory: Bool
    let decision: String
    // Optionals, not "": Mustache treats an empty string as true.
    let recordAsk: String?
    let recordNotes: String?
    let recordedBy: String?
    /// Every decision this week's meeting recorded for the case, in order.
    let decisionsRecorded: [String]
    let hasDecisionsRecorded: Bool
    /// Where the case went after the decision just saved, beside the case.
    let confirmation: String?
    /// For a referral: the case on the call's list.
    let confirmationHref: String?
    let agreed: [Action]
    let hasAgreed: Bool
    let decisions: [MeetingChoice]
    let agencies: [MeetingChoice]
    let editable: Bool
    let postHref: String
    let actionHref: String
    // The forms' values: what was recorded, or what was typed when refused.
    let formAsk: String
    let formNotes: String
    let decisionError: String?
    let actionDescription: String
    let actionOwner: String
    let actionDue: String
    let actionError: String?

    init(
        _ c: Level2Agenda.Case,
        week: ReviewWeek,
        record: Level2CaseRecordRow?,
        decisionsThisWeek: [Level2CaseRecordRow] = [],
        actions: [Level2ActionRow],
        policy: StrandedPolicy,
        editable: Bool,
        typed: MeetingTypedInput? = nil,
        confirmation: String? = nil,
        filter: AgendaFilter = AgendaFilter()
    ) {
        let taxonomy = policy.delayReasons
        anchor = CaseReference(caseID: c.caseID).anchor
        reference = CaseReference(caseID: c.caseID).description
        caseID = c.caseID
        switch (c.familyName, c.givenName) {
        case let (family?, given?): patient = "\(family.uppercased()), \(given)"
        case let (family?, nil): patient = family.uppercased()
        default: patient = c.patientKey
        }
        nhsNumber = DisplayFormat.nhsNumber(c.nhsNumber)
        age = c.age.map(String.init) ?? "–"
        site = "\(c.siteName) (\(c.siteCode))"
        organisation = c.organisationName
        ward = WardName.display(name: c.wardName, code: c.wardCode)
        lengthOfStay = c.lengthOfStay
        badges = LoSBadge.badges(c.lengthOfStay, thresholds: policy.thresholds)
        isNew = c.isNew
        isLate = c.lateEscalation == true
        openedWeek = ReviewWeek(monday: c.openedWeek)?.label ?? c.openedWeek.iso
        primaryReason = c.primaryReason ?? "Not recorded"
        formStatus = FormStatus(rawValue: c.formStatus)?.label ?? c.formStatus
        let review = c.level1
        reasons = review.q1.reasons.map { entry in
            (taxonomy.reason(entry.code)?.label ?? entry.code.rawValue) + (entry.isPrimary ? " (primary)" : "")
        }
        q1Narrative = review.q1.narrative
        level1Actions = review.q2.actions.map {
            Action(
                description: $0.description,
                owner: $0.owner,
                agency: $0.agency?.label ?? "–",
                due: $0.dueDate.map(DisplayFormat.date) ?? "–",
                done: $0.isDone
            )
        }
        hasLevel1Actions = !level1Actions.isEmpty
        expectedDischarge = review.q2.expectedDischargeDate.map(DisplayFormat.date) ?? "None given"
        pathway = review.q2.dischargePathway.map { "\($0): \($0.label)" } ?? "–"
        q3Narrative = review.q3.narrative
        dayStatus = review.status?.label ?? "–"
        reviewers = [review.reviewers.health, review.reviewers.socialCare].filter { !$0.isEmpty }.joined(separator: " and ")
        switch review.outcome {
        case .managedAtWard?: wardOutcome = "Managed at ward level"
        case let .escalateToLevel2(ask)?: wardOutcome = "Ward asks Level 2: \(ask)"
        case nil: wardOutcome = "No outcome recorded"
        }
        // Only what was filled in, so a blank form does not read "–; ; ".
        reasonsText = reasons.isEmpty ? "No delay reason recorded." : reasons.joined(separator: "; ") + "."
        statusLine = [
            review.status?.label ?? "Day status not recorded",
            reviewers.isEmpty ? "no reviewers recorded" : "reviewed by \(reviewers)",
            wardOutcome,
        ].joined(separator: "; ")
        redDaysLine = c.redDays?.line
        rules = c.rules.map { Rule(rule: $0.rule, title: $0.title, week: ReviewWeek(monday: $0.week)?.label ?? $0.week.iso, reason: $0.reason) }
        history = c.history.map {
            History(
                week: ReviewWeek(monday: $0.week)?.label ?? $0.week.iso,
                lengthOfStay: $0.lengthOfStay,
                formStatus: FormStatus(rawValue: $0.formStatus)?.label ?? $0.formStatus,
                primaryReason: $0.primaryReason ?? "–",
                decision: $0.level2Decision ?? "Not at Level 2",
                ask: Self.nonEmpty($0.level2Ask),
                actions: $0.actionsAgreed
            )
        }
        hasHistory = !history.isEmpty
        decision = record?.decision?.label ?? "None recorded yet"
        recordAsk = Self.nonEmpty(record?.ask)
        recordNotes = Self.nonEmpty(record?.notes)
        recordedBy = record.map { "\($0.recordedBy), \(DisplayFormat.instant($0.recordedAt))" }
        decisionsRecorded = decisionsThisWeek.map { row in
            var text = row.decision?.label ?? "No decision (ask or notes only)"
            if let ask = Self.nonEmpty(row.ask) { text += "; ask: \(ask)" }
            if let notes = Self.nonEmpty(row.notes) { text += "; notes: \(notes)" }
            return text + " (\(row.recordedBy), \(DisplayFormat.instant(row.recordedAt)))"
        }
        hasDecisionsRecorded = decisionsRecorded.count > 1
        self.confirmation = confirmation
        confirmationHref =
            confirmation != nil && record?.decision == .referToChiefExecutive
            ? "/ce/\(week.monday.iso)#\(CaseReference(caseID: c.caseID).anchor)" : nil
        agreed = actions.map {
            Action(description: $0.description, owner: $0.owner, agency: $0.agency.label, due: DisplayFormat.date($0.dueDate), done: false)
        }
        hasAgreed = !agreed.isEmpty
        let decisionTyped = typed?.fields(for: .decision, caseID: c.caseID)
        // Each decision is a new record: the form starts on "Choose…" and
        // empty (the recorded decision is shown above it), so nothing is
        // decided by a default and no earlier note is carried into a new decision.
        let chosen = decisionTyped?["decision"] ?? ""
        decisions =
            [MeetingChoice(value: "", label: "Choose…", selected: Level2Decision(rawValue: chosen) == nil)]
            + Level2Decision.allCases.map { MeetingChoice(value: $0.rawValue, label: $0.label, selected: chosen == $0.rawValue) }
        formAsk = decisionTyped?["ask"] ?? ""
        formNotes = decisionTyped?["notes"] ?? ""
        decisionError = decisionTyped == nil ? nil : typed?.message
        let actionTyped = typed?.fields(for: .action, caseID: c.caseID)
        actionDescription = actionTyped?["description"] ?? ""
        actionOwner = actionTyped?["owner"] ?? ""
        actionDue = actionTyped?["due_date"] ?? ""
        actionError = actionTyped == nil ? nil : typed?.message
        agencies = agencyChoices(selected: actionTyped?["agency"] ?? "")
        self.editable = editable
        // The forms post back with the chair's filter, so the save returns to
        // this case and "next case" stays within what the chair chose.
        postHref = filter.link("/level2/\(week.monday.iso)/cases/\(reference)")
        actionHref = filter.link("/level2/\(week.monday.iso)/cases/\(reference)/actions")
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return text
    }
}
