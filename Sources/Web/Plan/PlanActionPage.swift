import Foundation
import Reports
import Store
import StrandedCore

/// The action page: the action, its sub-actions, its history, and the four
/// small forms that edit it (each form is one edit, one transaction).
struct ActionPage {
    struct SubView {
        let numeral: String
        let text: String
        let accountable: String
        let responsible: String
        let dueText: String
        let rag: String
        let ragLabel: String
        let ragExplanation: String
        let progress: [NoteView]
    }

    struct TaskView {
        let task: String
        let owners: String
        let governanceStream: String
    }

    struct MetricLink {
        let id: String
        let name: String
    }

    let priorityLetter: String
    let priorityTitle: String
    let code: String
    let text: String
    let accountable: String
    let responsible: String
    let dueText: String
    let dueDate: String?
    let status: String
    let rag: String
    let ragLabel: String
    let ragExplanation: String
    let today: String
    let progress: [NoteView]
    let subActions: [SubView]
    let changes: [ChangeView]
    let continuedBy: [TaskView]
    let metrics: [MetricLink]
    let form: ActionFormView
    /// The linked prevention themes' weekly counts.
    var outcomes: [ActionOutcomeView] = []

    init(
        action: KeyAction,
        in document: PlanDocument,
        changes: [PlanChange],
        today: CalendarDate,
        policy: RAGPolicy,
        form: ActionForm
    ) {
        let priority = document.priority(action.priorityLetter)
        priorityLetter = action.priorityLetter
        priorityTitle = priority?.title ?? ""
        code = action.code
        text = action.text
        accountable = document.displayNames(action.accountable)
        responsible = document.displayNames(action.responsible)
        dueText = action.due?.text ?? "Not given"
        dueDate = action.due?.date.map(DisplayFormat.date)
        status = action.status.label
        let assessment = action.rag(on: today, policy: policy)
        rag = assessment.rating.rawValue
        ragLabel = RAGLabel.text(assessment.rating)
        ragExplanation = assessment.explanation
        self.today = DisplayFormat.date(today)
        progress = action.progress.map(NoteView.init)
        subActions = action.subActions.map { sub in
            let subRAG = action.rag(of: sub, on: today, policy: policy)
            return SubView(
                numeral: sub.numeral,
                text: sub.text,
                accountable: document.displayNames(action.accountable(for: sub)),
                responsible: document.displayNames(action.responsible(for: sub)),
                dueText: (sub.due ?? action.due)?.text ?? "Not given",
                rag: subRAG.rating.rawValue,
                ragLabel: RAGLabel.text(subRAG.rating),
                ragExplanation: subRAG.explanation,
                progress: sub.progress.map(NoteView.init)
            )
        }
        // Newest first: the page is read for what changed lately.
        self.changes = changes.reversed().map(ChangeView.init)
        continuedBy = document.outstandingTasks(continuing: action.code).map {
            TaskView(task: $0.task, owners: document.displayNames($0.owners), governanceStream: $0.governanceStream)
        }
        metrics = document.metrics(evaluating: action.code).map { MetricLink(id: $0.id, name: $0.name) }
        self.form = ActionFormView(form, action: action)
    }
}

/// The values and errors of the action page's forms. On a refused POST the
/// page is shown again with what was typed and the message beside its field.
struct ActionForm {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct SummaryError {
        let href: String
        let message: String
    }

    var noteText = "", noteDate = "", noteTarget = ""
    var statusValue = ""
    var dueValue = ""
    var accountableValue = "", responsibleValue = ""

    /// Messages by field id (the input's `id`, also the summary link target).
    var errors: [String: String] = [:]

    /// The posted form, as submitted.
    struct Posted: Decodable {
        var form: String?
        var text: String?
        var date: String?
        var target: String?
        var status: String?
        var due: String?
        var accountable: String?
        var responsible: String?
    }

    /// The forms' starting values for an action.
    init(action: KeyAction) {
        statusValue = action.status.rawValue
        dueValue = action.due?.text ?? ""
        accountableValue = action.accountable.map(\.text).joined(separator: "; ")
        responsibleValue = action.responsible.map(\.text).joined(separator: "; ")
    }

    /// Keeps what was typed into the form that was posted.
    mutating func keep(_ posted: Posted) {
        switch posted.form {
        case "note":
            noteText = posted.text ?? ""
            noteDate = posted.date ?? ""
            noteTarget = posted.target ?? ""
        case "status":
            statusValue = posted.status ?? statusValue
        case "due":
            dueValue = posted.due ?? ""
        case "owners":
            accountableValue = posted.accountable ?? ""
            responsibleValue = posted.responsible ?? ""
        default: break
        }
    }
}

/// What the template reads: `ActionForm` flattened, with options and
/// per-field messages as stored properties.
struct ActionFormView {
    let noteText, noteDate: String
    let dueValue, accountableValue, responsibleValue: String
    let targets: [ActionForm.Option]
    let statuses: [ActionForm.Option]
    let summary: [ActionForm.SummaryError]
    let noteAuthorError, noteTextError, noteDateError, noteTargetError: String?
    let statusAuthorError, statusError, dueAuthorError, dueError: String?
    let ownersAuthorError, accountableError, responsibleError: String?

    init(_ form: ActionForm, action: KeyAction) {
        noteText = form.noteText
        noteDate = form.noteDate
        dueValue = form.dueValue
        accountableValue = form.accountableValue
        responsibleValue = form.responsibleValue
        targets =
            [ActionForm.Option(value: "", label: "\(action.code) itself", selected: form.noteTarget.isEmpty)]
            + action.subActions.map {
                ActionForm.Option(
                    value: $0.numeral,
                    label: "\(action.code) \($0.numeral). \($0.text.prefix(60))",
                    selected: form.noteTarget == $0.numeral
                )
            }
        statuses = ActionStatus.allCases.map {
            ActionForm.Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.statusValue)
        }
        let order = [
            "note-author", "note-target", "note-text", "note-date", "status-author", "status",
            "due-author", "due", "owners-author", "accountable", "responsible",
        ]
        summary = order.compactMap { id in form.errors[id].map { ActionForm.SummaryError(href: "#" + id, message: $0) } }
        noteAuthorError = form.errors["note-author"]
        noteTextError = form.errors["note-text"]
        noteDateError = form.errors["note-date"]
        noteTargetError = form.errors["note-target"]
        statusAuthorError = form.errors["status-author"]
        statusError = form.errors["status"]
        dueAuthorError = form.errors["due-author"]
        dueError = form.errors["due"]
        ownersAuthorError = form.errors["owners-author"]
        accountableError = form.errors["accountable"]
        responsibleError = form.errors["responsible"]
    }
}
