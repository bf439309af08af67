import Foundation
import Hummingbird
import NIOCore
import Reports
import Store
import StrandedCore
import Workflow

/// One prevention theme: its weekly count, the plan actions that address
/// it, and (for Level 2 and plan editors) the two ways to put it in the
/// plan: raise a new action from it, or link it to an existing one.
struct ThemePages: Sendable {
    let links: ThemePlanLinks
    let plan: PlanService
    let renderer: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/themes/{code}", use: page)
        router.post("/themes/{code}/link", use: link)
        router.post("/themes/{code}/raise", use: raise)
        router.post("/themes/{code}/unlink", use: unlink)
    }

    /// The theme's page; 404 for a code not configured.
    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let theme = links.policy.preventionThemes.theme(PreventionThemeCode(code)) else {
            throw HTTPError(.notFound, message: "\"\(code)\" is not a prevention theme")
        }
        return try await render(theme, form: ThemePlanForm(), context: context, status: .ok)
    }

    struct Posted: Decodable {
        var action: String?
        var priority: String?
        var text: String?
    }

    @Sendable func link(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await handle(request, context: context) { theme, posted, author in
            let action = (posted.action ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            guard !action.isEmpty else { return ["link-action": "Choose the plan action this theme belongs to."] }
            try await links.link(theme: theme.code.rawValue, toAction: action, by: author)
            return [:]
        }
    }

    @Sendable func unlink(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await handle(request, context: context) { theme, posted, author in
            let action = (posted.action ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            guard !action.isEmpty else { return ["link-action": "Say which plan action to unlink."] }
            try await links.unlink(theme: theme.code.rawValue, fromAction: action, by: author)
            return [:]
        }
    }

    @Sendable func raise(_ request: Request, context: AppRequestContext) async throws -> Response {
        var raised: String?
        let response = try await handle(request, context: context) { theme, posted, author in
            let priority = (posted.priority ?? "").trimmingCharacters(in: .whitespaces)
            var errors: [String: String] = [:]
            if priority.isEmpty { errors["raise-priority"] = "Choose the plan priority the new action sits under." }
            if (posted.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors["raise-text"] = "Say what the new action will do about this theme."
            }
            guard errors.isEmpty else { return errors }
            raised = try await links.raise(theme: theme.code.rawValue, priority: priority, text: posted.text ?? "", by: author)
            return [:]
        }
        if let raised, response.status == .seeOther { return Response.redirect(to: "/plan/actions/\(raised)#outcome") }
        return response
    }

    /// Reads the form, applies it, and redirects back (303) or shows the
    /// page again (422) with the message beside the field and what was typed.
    private func handle(
        _ request: Request,
        context: AppRequestContext,
        apply: (PreventionTheme, Posted, String) async throws -> [String: String]
    ) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let theme = links.policy.preventionThemes.theme(PreventionThemeCode(code)) else {
            throw HTTPError(.notFound, message: "\"\(code)\" is not a prevention theme")
        }
        let body = try await request.body.collect(upTo: 64 * 1024)
        let posted: Posted
        do {
            posted = try URLEncodedFormDecoder().decode(Posted.self, from: String(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read; send action, priority and text as form fields")
        }
        var errors: [String: String]
        do {
            errors = try await apply(theme, posted, PlanAPI.author(context))
        } catch let error as ThemeLinkError {
            errors = ["raise-text": error.description]
        } catch let error as PlanStoreError {
            switch error {
            case .unknownAction: errors = ["link-action": error.description + "; choose one from the list"]
            case .unknownPriority: errors = ["raise-priority": error.description]
            case .blankAuthor: errors = ["link-action": error.description]
            default: throw PlanHTTPErrors.map(error)
            }
        }
        guard !errors.isEmpty else { return Response.redirect(to: "/themes/\(theme.code.rawValue)") }
        let form = ThemePlanForm(
            action: posted.action ?? "",
            priority: posted.priority ?? "",
            text: posted.text ?? "",
            errors: errors
        )
        return try await render(theme, form: form, context: context, status: .unprocessableContent)
    }

    private func render(
        _ theme: PreventionTheme,
        form: ThemePlanForm,
        context: AppRequestContext,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let week = ReviewWeek.containing(plan.today())
        let series = try await links.themes.weekly(theme: theme.code, weeks: ThemePlanLinks.outcomeWeeks, to: week)
        var document: PlanDocument?
        var linked: [String] = []
        if let current = try? await plan.current() {
            document = current.document
            linked = try await links.linkedThemes().filter { $0.value.contains(theme.code) }.map(\.key).sorted()
        }
        let mayEdit =
            context.identity.map { identity in
                AccessPolicy.decide(method: .post, path: "/themes/\(theme.code.rawValue)/link", identity: identity) == .allow
            } ?? false
        let view = ThemePageView(
            theme: theme,
            chart: ThemeCharts.weekly(label: theme.label, weeks: series),
            document: document,
            linked: linked,
            form: form,
            mayEdit: mayEdit
        )
        return try renderer.render("theme", title: "Prevention theme: \(theme.label)", context: view, status: status)
    }
}

/// What was typed in the theme page's forms, and the messages by field id.
struct ThemePlanForm {
    var action = ""
    var priority = ""
    var text = ""
    var errors: [String: String] = [:]
}

struct ThemePageView {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }
    struct Linked {
        let code: String
        let text: String
        let themeCode: String
    }
    struct SummaryError {
        let href: String
        let message: String
    }

    let code: String
    let label: String
    let agency: String
    let chartTitle: String
    let svg: String
    let headers: [String]
    let rows: [ChartRow]
    let hasPlan: Bool
    let linked: [Linked]
    let mayEdit: Bool
    let actions: [Option]
    let priorities: [Option]
    let text: String
    let linkError: String?
    let priorityError: String?
    let textError: String?
    let summary: [SummaryError]
    let hasErrors: Bool

    init(theme: PreventionTheme, chart: TrendChart, document: PlanDocument?, linked codes: [String], form: ThemePlanForm, mayEdit: Bool) {
        code = theme.code.rawValue
        label = theme.label
        agency = theme.agency.label
        chartTitle = chart.title
        svg = chart.svg
        headers = chart.table.headers
        rows = chart.table.rows.map(ChartRow.init)
        hasPlan = document != nil
        linked = codes.map { Linked(code: $0, text: document?.action($0)?.text ?? "", themeCode: theme.code.rawValue) }
        self.mayEdit = mayEdit && document != nil
        let allActions = document?.priorities.flatMap(\.actions) ?? []
        actions =
            [Option(value: "", label: "Choose…", selected: form.action.isEmpty)]
            + allActions.filter { !codes.contains($0.code) }.map {
                Option(value: $0.code, label: "\($0.code): \($0.text.prefix(90))", selected: $0.code == form.action.uppercased())
            }
        priorities =
            [Option(value: "", label: "Choose…", selected: form.priority.isEmpty)]
            + (document?.priorities ?? []).map {
                Option(value: $0.letter, label: "\($0.letter): \($0.title)", selected: $0.letter == form.priority.uppercased())
            }
        text = form.text
        linkError = form.errors["link-action"]
        priorityError = form.errors["raise-priority"]
        textError = form.errors["raise-text"]
        summary = form.errors.sorted { $0.key < $1.key }.map { SummaryError(href: "#\($0.key)", message: $0.value) }
        hasErrors = !summary.isEmpty
    }
}

/// One row of a chart's table of numbers.
struct ChartRow {
    let cells: [String]
}
