import Foundation
import Reports
import Store
import StrandedCore

// What the plan templates see. Mustache reads stored properties through
// Mirror, so these are plain structs of strings, booleans and arrays, built
// from the model once per request.

/// One action or sub-action line in a table.
struct PlanItemView {
    let code: String
    let href: String
    let text: String
    let isSubAction: Bool
    let accountable: String
    let responsible: String
    let dueText: String
    /// Nil when the text names no date (Mustache treats "" as true).
    let dueDate: String?
    let status: String
    let rag: String
    let ragLabel: String
    let ragExplanation: String
    let latestProgress: String

    init(_ item: PlanItem, in document: PlanDocument) {
        code = item.code
        href = "/plan/actions/\(item.actionCode)"
        text = item.text
        isSubAction = item.isSubAction
        accountable = document.displayNames(item.accountable)
        responsible = document.displayNames(item.responsible)
        dueText = item.due?.text ?? "Not given"
        dueDate = item.due?.date.map(DisplayFormat.date)
        status = item.status.label
        rag = item.rag.rating.rawValue
        ragLabel = RAGLabel.text(item.rag.rating)
        ragExplanation = item.rag.explanation
        latestProgress = item.latestProgress?.summary ?? ""
    }
}

enum RAGLabel {
    static func text(_ rating: RAGRating) -> String {
        switch rating {
        case .red: "Red"
        case .amber: "Amber"
        case .green: "Green"
        case .complete: "Complete"
        }
    }
}

struct NoteView {
    /// Nil for a note transcribed from the source (Mustache treats "" as true).
    let date: String?
    let author: String?
    let text: String
    let transcribed: Bool

    init(_ note: ProgressNote) {
        date = note.date.map(DisplayFormat.date)
        author = note.author
        text = note.text
        transcribed = note.date == nil && note.author == nil
    }
}

struct ChangeView {
    let when: String
    let who: String
    let target: String
    let field: String
    let before: String
    let after: String

    init(_ change: PlanChange) {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .london
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        when = formatter.string(from: change.changedAt)
        who = change.changedBy
        target = change.entityKey
        field = change.field
        before = change.before ?? "—"
        after = change.after ?? "—"
    }
}

struct OverviewPage {
    struct Row {
        let letter: String
        let title: String
        let category: String
        let red: Int, amber: Int, green: Int, complete: Int, total: Int
    }

    struct PriorityView {
        let letter: String
        let title: String
        let priorityText: String
        let items: [PlanItemView]
    }

    let title: String
    let owner: String
    let status: String
    let today: String
    let rows: [Row]
    let totals: Row
    let priorities: [PriorityView]
    /// The evaluation metrics' RAG beside the actions'.
    var metricRAG: OverviewMetricsView?

    init(_ document: PlanDocument, today: CalendarDate, policy: RAGPolicy) {
        title = document.plan.title
        owner = document.plan.owner
        status = document.plan.status == .closed ? "Closed" : "Active"
        self.today = DisplayFormat.date(today)
        let overview = PlanOverview(document, on: today, policy: policy)
        rows = overview.rows.map {
            Row(
                letter: $0.letter,
                title: $0.title,
                category: $0.category,
                red: $0.counts.red,
                amber: $0.counts.amber,
                green: $0.counts.green,
                complete: $0.counts.complete,
                total: $0.counts.total
            )
        }
        let t = overview.totals
        totals = Row(
            letter: "",
            title: "All priorities",
            category: "",
            red: t.red,
            amber: t.amber,
            green: t.green,
            complete: t.complete,
            total: t.total
        )
        let items = PlanItems.all(in: document, on: today, policy: policy).filter { !$0.isSubAction }
        priorities = document.priorities.map { priority in
            let codes = Set(priority.actions.map(\.code))
            return PriorityView(
                letter: priority.letter,
                title: priority.title,
                priorityText: priority.priorityText,
                items: items.filter { codes.contains($0.actionCode) }.map { PlanItemView($0, in: document) }
            )
        }
    }
}

struct DuePage {
    let today: String
    let dueSoonDays: Int
    let overdue: [PlanItemView]
    let dueSoon: [PlanItemView]
}

struct OwnersPage {
    struct Entry {
        let role: String
        let item: PlanItemView
    }

    struct OwnerView {
        let name: String
        let anchor: String
        let entries: [Entry]
    }

    let today: String
    let owners: [OwnerView]
}

struct ClosurePage {
    let report: ClosureReport
    let outstandingCount: Int
}
