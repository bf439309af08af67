import StrandedCore

/// One line of the plan as the lists and exports show it: a key action, or
/// one of its sub-actions with the owners and due date that apply to it
/// (its own, else its action's), and the RAG rating computed for "today".
public struct PlanItem: Sendable, Hashable {
    /// "A4" for a key action, "A4.ii" for a sub-action.
    public let code: String
    public let actionCode: String
    public let numeral: String?
    public let text: String
    public let accountable: [Owner]
    public let responsible: [Owner]
    public let due: DueDate?
    public let status: ActionStatus
    public let rag: RAGAssessment
    public let latestProgress: ProgressNote?

    public var isSubAction: Bool { numeral != nil }
}

public enum PlanItems {
    /// Every key action followed by its sub-actions, in plan order.
    public static func all(in document: PlanDocument, on today: CalendarDate, policy: RAGPolicy) -> [PlanItem] {
        var items: [PlanItem] = []
        for action in document.allActions {
            items.append(
                PlanItem(
                    code: action.code,
                    actionCode: action.code,
                    numeral: nil,
                    text: action.text,
                    accountable: action.accountable,
                    responsible: action.responsible,
                    due: action.due,
                    status: action.status,
                    rag: action.rag(on: today, policy: policy),
                    latestProgress: action.progress.last
                )
            )
            for sub in action.subActions {
                items.append(
                    PlanItem(
                        code: "\(action.code).\(sub.numeral)",
                        actionCode: action.code,
                        numeral: sub.numeral,
                        text: sub.text,
                        accountable: action.accountable(for: sub),
                        responsible: action.responsible(for: sub),
                        due: sub.due ?? action.due,
                        status: action.status,
                        rag: action.rag(of: sub, on: today, policy: policy),
                        latestProgress: sub.progress.last
                    )
                )
            }
        }
        return items
    }

    /// Items past their due date and still open (rated red as overdue), most overdue first.
    public static func overdue(in document: PlanDocument, on today: CalendarDate, policy: RAGPolicy) -> [PlanItem] {
        all(in: document, on: today, policy: policy)
            .filter { if case .overdue = $0.rag.reason { true } else { false } }
            .sorted { ($0.due?.date ?? today, $0.code) < ($1.due?.date ?? today, $1.code) }
    }

    /// Open items falling due from today to `policy.dueSoonDays` days ahead, soonest first.
    public static func dueSoon(in document: PlanDocument, on today: CalendarDate, policy: RAGPolicy) -> [PlanItem] {
        all(in: document, on: today, policy: policy)
            .filter { item in
                guard !item.status.isSettled, let date = item.due?.date else { return false }
                let left = today.days(until: date)
                return left >= 0 && left <= policy.dueSoonDays
            }
            .sorted { ($0.due!.date!, $0.code) < ($1.due!.date!, $1.code) }
    }

    /// Items by owner (accountable or responsible), owners in order of first appearance.
    public static func byOwner(
        in document: PlanDocument,
        on today: CalendarDate,
        policy: RAGPolicy
    ) -> [(owner: Owner, items: [(role: String, item: PlanItem)])] {
        var order: [Owner] = []
        var grouped: [Owner: [(role: String, item: PlanItem)]] = [:]
        for item in all(in: document, on: today, policy: policy) {
            // A sub-action that inherits its action's owners is listed under the action only.
            let ownRoles: [(String, [Owner])] =
                item.isSubAction
                ? subActionOwnRoles(item, document)
                : [("accountable", item.accountable), ("responsible", item.responsible)]
            for (role, owners) in ownRoles {
                for owner in owners {
                    if grouped[owner] == nil { order.append(owner) }
                    grouped[owner, default: []].append((role, item))
                }
            }
        }
        return order.map { ($0, grouped[$0] ?? []) }
    }

    private static func subActionOwnRoles(_ item: PlanItem, _ document: PlanDocument) -> [(String, [Owner])] {
        guard let action = document.action(item.actionCode), let numeral = item.numeral,
            let sub = action.subAction(numeral)
        else { return [] }
        return [("accountable", sub.accountable), ("responsible", sub.responsible)]
    }
}

extension RAGAssessment {
    /// The rule behind the rating, in words for pages and exports.
    public var explanation: String {
        func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }
        switch reason {
        case .complete: return "Complete"
        case .handedOver: return "Handed over at closure to a new owner"
        case .outstandingAtClosure: return "Outstanding at closure with no new owner"
        case .noDueDate: return "No due date and no progress in the last 30 days"
        case .noDueDateButRecentProgress: return "No due date; recent progress recorded"
        case .overdue(let n): return "Overdue by \(days(n))"
        case .dueSoonNotStarted(let n): return n == 0 ? "Due today and not started" : "Due in \(days(n)) and not started"
        case .dueSoonWithoutRecentProgress(let n): return n == 0 ? "Due today with no recent progress" : "Due in \(days(n)) with no recent progress"
        case .dueSoonWithRecentProgress(let n): return n == 0 ? "Due today; recent progress recorded" : "Due in \(days(n)); recent progress recorded"
        case .onTrack(let n): return "On track: due in \(days(n))"
        }
    }
}

extension ActionStatus {
    /// How pages and exports write the status.
    public var label: String {
        switch self {
        case .notStarted: "Not started"
        case .inProgress: "In progress"
        case .complete: "Complete"
        case .outstandingAtClosure: "Outstanding at closure"
        case .handedOver: "Handed over"
        }
    }
}

extension PlanDocument {
    /// Owners as readable names, "Bruno Holthof (BH); System Flow Executive".
    public func displayNames(_ owners: [Owner]) -> String {
        owners.map(displayName(of:)).joined(separator: "; ")
    }
}

extension ProgressNote {
    /// "2026-11-20, A Officer: text", or the bare text for a transcribed note.
    public var summary: String {
        var prefix: [String] = []
        if let date { prefix.append(date.iso) }
        if let author { prefix.append(author) }
        return prefix.isEmpty ? text : prefix.joined(separator: ", ") + ": " + text
    }
}
