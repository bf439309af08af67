import Foundation
import Hummingbird
import NIOCore
import Reports
import Store
import StrandedCore
import Workflow

/// The plan tracker's HTML pages and file exports. Forms work without
/// JavaScript: POST, then redirect to the page (303) so a reload cannot
/// post twice; a refused edit shows the page again (422) with the message
/// beside the field.
struct PlanPages: Sendable {
    let service: PlanService
    /// The prevention themes linked to actions: their weekly counts are an action's outcome charts.
    let links: ThemePlanLinks
    /// The evaluation metrics' RAG, shown beside the actions' on the overview.
    let evaluation: EvaluationService
    let renderer: PageRenderer

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, document) = try await PlanHTTPErrors.mapping { try await service.current() }
        var page = OverviewPage(document, today: service.today(), policy: service.policy)
        page.metricRAG = OverviewMetricsView(
            try await evaluation.metrics().metrics,
            document: document,
            today: service.today(),
            policy: service.policy
        )
        return try renderer.render("plan-overview", title: "Action plan", context: page)
    }

    @Sendable func action(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        return try await PlanHTTPErrors.mapping {
            let (id, document) = try await service.current()
            guard let action = document.action(code) else { throw PlanStoreError.unknownAction(code: code) }
            return try await renderAction(action, planID: id, document: document, form: ActionForm(action: action), status: .ok)
        }
    }

    @Sendable func updateAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let body = try await request.body.collect(upTo: 64 * 1024)
        let posted: ActionForm.Posted
        do {
            posted = try URLEncodedFormDecoder().decode(ActionForm.Posted.self, from: String(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read: \(error)")
        }
        return try await PlanHTTPErrors.mapping {
            let (id, document) = try await service.current()
            guard let action = document.action(code) else { throw PlanStoreError.unknownAction(code: code) }
            let errors = await apply(posted, to: action, planID: id, author: PlanAPI.author(context))
            if errors.isEmpty {
                return Response.redirect(to: "/plan/actions/\(code)#\(posted.form ?? "history")")
            }
            var form = ActionForm(action: action)
            form.keep(posted)
            form.errors = errors
            return try await renderAction(action, planID: id, document: document, form: form, status: .unprocessableContent)
        }
    }

    /// Applies one posted form; returns messages by field id (empty when done).
    private func apply(_ posted: ActionForm.Posted, to action: KeyAction, planID: Int64, author: String) async -> [String: String] {
        let form = posted.form ?? ""
        var errors: [String: String] = [:]
        do {
            switch form {
            case "note":
                let target = posted.target.flatMap { $0.isEmpty ? nil : $0 }
                let text = (posted.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { errors["note-text"] = "Enter the progress to record" }
                var date: CalendarDate?
                if let typed = posted.date?.trimmingCharacters(in: .whitespaces), !typed.isEmpty {
                    if CalendarDate(isoOrUK: typed) == nil {
                        errors["note-date"] = "Enter the date as dd/mm/yyyy (for example 05/03/2019), or leave it blank for today"
                    } else {
                        do {
                            date = try CalendarDate.input(typed, field: "Date")
                        } catch {
                            errors["note-date"] = error.message + " Or leave it blank for today."
                        }
                    }
                }
                if let target, action.subAction(target) == nil {
                    errors["note-target"] = "\(action.code) has no sub-action \(target)"
                }
                guard errors.isEmpty else { return errors }
                try await service.addNote(text, by: author, on: date, to: ActionReference(code: action.code, numeral: target), planID: planID)
            case "status":
                guard let status = posted.status.flatMap(ActionStatus.init(rawValue:)) else {
                    errors["status"] = "Choose one of the statuses listed"
                    return errors
                }
                guard errors.isEmpty else { return errors }
                try await service.setStatus(status, of: action.code, planID: planID, by: author)
            case "due":
                guard errors.isEmpty else { return errors }
                try await service.setDue(text: posted.due ?? "", of: ActionReference(code: action.code), planID: planID, by: author)
            case "owners":
                guard errors.isEmpty else { return errors }
                try await setOwners(posted, action: action, planID: planID, author: author)
            default:
                return ["note-text": "The form sent was not one this page knows; reload the page and try again"]
            }
        } catch {
            let message = PlanHTTPErrors.fieldMessage(error) ?? "The change could not be saved: \(error)"
            errors[field(for: error, form: form, posted: posted)] = message
        }
        return errors
    }

    private func setOwners(_ posted: ActionForm.Posted, action: KeyAction, planID: Int64, author: String) async throws {
        try await service.setOwners(
            [.accountable: posted.accountable ?? "", .responsible: posted.responsible ?? ""],
            of: ActionReference(code: action.code),
            planID: planID,
            by: author
        )
    }

    /// Which field a refusal belongs beside.
    private func field(for error: any Error, form: String, posted: ActionForm.Posted) -> String {
        switch error {
        case PlanStoreError.blankAuthor: return "\(form)-author"
        case PlanStoreError.invalidNote(.earlierThanLatest), PlanEditError.noteInFuture: return "note-date"
        case PlanStoreError.invalidNote: return "note-text"
        case PlanStoreError.unknownSubAction: return "note-target"
        case PlanEditError.unreadableDue: return "due"
        case PlanEditError.unacceptableText(let input, _):
            switch input {
            case .note: return "note-text"
            case .author: return "\(form)-author"
            case .due: return "due"
            case .accountable: return "accountable"
            case .responsible: return "responsible"
            }
        case PlanStoreError.unknownPerson(let initials):
            let accountable = PlanService.owners(from: posted.accountable ?? "")
            return accountable.contains(.person(initials: initials)) ? "accountable" : "responsible"
        default: return form == "note" ? "note-text" : form
        }
    }

    private func renderAction(
        _ action: KeyAction,
        planID: Int64,
        document: PlanDocument,
        form: ActionForm,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let changes = try await service.repository.changes(planID: planID)
            .filter { $0.entityKey == action.code || $0.entityKey.hasPrefix(action.code + ".") }
        var page = ActionPage(
            action: action,
            in: document,
            changes: changes,
            today: service.today(),
            policy: service.policy,
            form: form
        )
        page.outcomes = try await links.outcomes(action: action.code, to: ReviewWeek.containing(service.today())).map(ActionOutcomeView.init)
        return try renderer.render("plan-action", title: "\(action.code): key action", context: page, status: status)
    }

    @Sendable func due(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, document) = try await PlanHTTPErrors.mapping { try await service.current() }
        let today = service.today()
        let page = DuePage(
            today: DisplayFormat.date(today),
            dueSoonDays: service.policy.dueSoonDays,
            overdue: PlanItems.overdue(in: document, on: today, policy: service.policy).map { PlanItemView($0, in: document) },
            dueSoon: PlanItems.dueSoon(in: document, on: today, policy: service.policy).map { PlanItemView($0, in: document) }
        )
        return try renderer.render("plan-due", title: "Overdue and due soon", context: page)
    }

    @Sendable func owners(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, document) = try await PlanHTTPErrors.mapping { try await service.current() }
        let today = service.today()
        let groups = PlanItems.byOwner(in: document, on: today, policy: service.policy)
        let page = OwnersPage(
            today: DisplayFormat.date(today),
            owners: groups.enumerated().map { index, group in
                OwnersPage.OwnerView(
                    name: document.displayName(of: group.owner),
                    anchor: "owner-\(index + 1)",
                    entries: group.items.map { OwnersPage.Entry(role: $0.role, item: PlanItemView($0.item, in: document)) }
                )
            }
        )
        return try renderer.render("plan-owners", title: "Actions by owner", context: page)
    }

    @Sendable func closure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, document) = try await PlanHTTPErrors.mapping { try await service.current() }
        let report = ClosureReport(document)
        return try renderer.render(
            "plan-closure",
            title: "Closure report",
            context: ClosurePage(report: report, outstandingCount: report.outstandingCount)
        )
    }

    // MARK: - Exports

    @Sendable func exportCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, document) = try await PlanHTTPErrors.mapping { try await service.current() }
        return download(
            PlanExports.csv(document, on: service.today(), policy: service.policy),
            type: "text/csv; charset=utf-8; header=present",
            name: "plan.csv"
        )
    }

    @Sendable func exportJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, document) = try await PlanHTTPErrors.mapping { try await service.current() }
        return download(
            String(decoding: try PlanExports.json(document), as: UTF8.self),
            type: "application/json",
            name: "plan.json"
        )
    }

    @Sendable func exportMarkdown(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, document) = try await PlanHTTPErrors.mapping { try await service.current() }
        return download(
            PlanExports.markdown(document, on: service.today(), policy: service.policy),
            type: "text/markdown; charset=utf-8",
            name: "plan.md"
        )
    }

    private func download(_ text: String, type: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
