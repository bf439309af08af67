import Foundation
import Hummingbird
import NIOCore
import Reports
import Store
import StrandedCore
import Workflow

/// The chief executive summary's pages and API (`Schema/openapi.yaml`, paths
/// `/summary…` and `/api/summaries…`). Pages serve the frozen HTML exactly as
/// built; nothing is re-rendered on the way out.
public struct SummaryRoutes: Sendable {
    let service: EscalationSummaryService
    let renderer: PageRenderer
    let inputs: SummaryEscalationInputs?

    /// - Parameter inputs: the escalation engine's figures for a week; by
    ///   default read from the database (``EscalationSummaryService/escalationInputs(from:policy:)``).
    public init(dependencies: AppDependencies, inputs: SummaryEscalationInputs? = nil) {
        self.init(
            service: EscalationSummaryService(
                database: dependencies.database,
                policy: dependencies.policy,
                delivery: dependencies.summaryDelivery
            ),
            renderer: dependencies.renderer,
            inputs: inputs ?? EscalationSummaryService.escalationInputs(from: dependencies.database, policy: dependencies.policy)
        )
    }

    public init(service: EscalationSummaryService, renderer: PageRenderer, inputs: SummaryEscalationInputs? = nil) {
        self.service = service
        self.renderer = renderer
        self.inputs = inputs
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/summary", use: index)
        router.post("/summary", use: buildFromPage)
        router.get("/summary/assets/summary-v1.css", use: stylesheet)
        router.get("/summary/{week}", use: latest)
        router.get("/summary/{week}/versions/{version}", use: version)
        router.get("/api/summaries/{week}", use: apiSummary)
        router.post("/api/summaries/{week}/builds", use: apiBuild)
    }

    // MARK: Pages

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = SummaryIndexPage(try await service.versions(), connected: inputs != nil, defaultWeek: ReviewWeek.containing(Date()))
        return try renderer.render("summary-index", title: "Chief executive summaries", context: page, noStore: true)
    }

    struct BuildForm: Decodable {
        let week: String?
        let builtBy: String?
    }

    /// The page's build form: builds, then shows the new version (303, so a
    /// reload does not build again); a refusal shows the page again (422).
    @Sendable func buildFromPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        let form = (try? URLEncodedFormDecoder().decode(BuildForm.self, from: String(buffer: body))) ?? BuildForm(week: nil, builtBy: nil)
        let typedName = form.builtBy?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let author = context.identity?.username ?? typedName
        let weekText = form.week?.trimmingCharacters(in: .whitespaces) ?? ""
        var problem: String?
        var week = ReviewWeek.containing(Date())
        if weekText.isEmpty {
            problem = "Enter the review week's Monday as a date, for example \(week.monday.iso)"
        } else {
            do {
                let date = try CalendarDate.input(weekText, field: "Week", isoOnly: true)
                week = ReviewWeek.containing(date)
                if ReviewWeek(monday: date) == nil {
                    problem = "\(date.uk) is not a Monday: choose the Monday of the review week (\(week.monday.uk))"
                }
            } catch {
                problem = error.message
            }
        }
        if problem == nil && author.isEmpty { problem = "Enter your name: every version records who built it" }
        if let problem {
            let page = SummaryIndexPage(
                try await service.versions(),
                connected: inputs != nil,
                defaultWeek: week,
                error: problem,
                builtBy: typedName
            )
            return try renderer.render(
                "summary-index",
                title: "Chief executive summaries",
                context: page,
                status: .unprocessableContent,
                noStore: true
            )
        }
        let escalation = try await inputs?(week) ?? (activity: .notConnected, referredCases: [])
        let frozen = try await service.build(week: week, activity: escalation.activity, referredCases: escalation.referredCases, builtBy: author)
        return Response.redirect(to: "/summary/\(week.monday.iso)/versions/\(frozen.version)")
    }

    /// `/summary/2026-11-16` (HTML) or `/summary/2026-11-16.md` (Markdown).
    @Sendable func latest(_ request: Request, context: AppRequestContext) async throws -> Response {
        var text = try context.parameters.require("week")
        let markdown = text.hasSuffix(".md")
        if markdown { text.removeLast(3) }
        let week = try Self.week(text)
        guard let frozen = try await service.summary(week: week) else { throw Self.noSummary(week) }
        return markdown
            ? Self.document(frozen.markdown, type: "text/markdown; charset=utf-8") : Self.document(frozen.html, type: "text/html; charset=utf-8")
    }

    @Sendable func version(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(try context.parameters.require("week"))
        guard let number = Int(try context.parameters.require("version")), number > 0 else {
            throw HTTPError(.notFound, message: "versions are numbered from 1")
        }
        guard let frozen = try await service.summary(week: week, version: number) else {
            throw HTTPError(
                .notFound,
                message: "the week beginning \(week.monday.iso) has no summary version \(number); /summary lists the versions built"
            )
        }
        return Self.document(frozen.html, type: "text/html; charset=utf-8")
    }

    @Sendable func stylesheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=86400"],
            body: .init(byteBuffer: ByteBuffer(string: SummaryStyle.css))
        )
    }

    // MARK: API

    struct SummaryBody: ResponseEncodable, Sendable {
        let week: ReviewWeek
        let version: Int
        let builtAt: Date
        let builtBy: String
        let links: [String: String]
        let summary: EscalationSummary

        init(_ frozen: FrozenSummary) {
            week = frozen.week
            version = frozen.version
            builtAt = frozen.builtAt
            builtBy = frozen.builtBy
            let base = "/summary/\(frozen.week.monday.iso)"
            links = ["html": "\(base)/versions/\(frozen.version)", "markdown": "\(base).md", "latest": base]
            summary = frozen.summary
        }
    }

    @Sendable func apiSummary(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(try context.parameters.require("week"))
        var number: Int?
        if let text = request.uri.queryParameters.get("version") {
            guard let value = Int(text), value > 0 else {
                throw HTTPError(.badRequest, message: "version must be a whole number from 1, e.g. ?version=2")
            }
            number = value
        }
        guard let frozen = try await service.summary(week: week, version: number) else { throw Self.noSummary(week) }
        return try json(SummaryBody(frozen))
    }

    struct BuildRequest: Decodable {
        let builtBy: String?
    }

    @Sendable func apiBuild(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(try context.parameters.require("week"))
        let body = try await request.body.collect(upTo: 16 * 1024)
        var builtBy: String?
        if body.readableBytes > 0 {
            do {
                builtBy = try JSONDecoder().decode(BuildRequest.self, from: Data(body.readableBytesView)).builtBy
            } catch {
                throw HTTPError(.badRequest, message: "the body must be JSON like {\"builtBy\": \"Your Name\"}")
            }
        }
        // A signed-in caller is who they signed in as; the body only names
        // the builder when nobody is signed in (tools before integration).
        let author = (context.identity?.username ?? builtBy ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !author.isEmpty else {
            throw HTTPError(.unprocessableContent, message: "say who is building the summary: send {\"builtBy\": \"Your Name\"}")
        }
        let escalation = try await inputs?(week) ?? (activity: .notConnected, referredCases: [])
        let frozen = try await service.build(week: week, activity: escalation.activity, referredCases: escalation.referredCases, builtBy: author)
        var response = try json(SummaryBody(frozen), status: .created)
        response.headers[.location] = "/summary/\(week.monday.iso)/versions/\(frozen.version)"
        return response
    }

    // MARK: Helpers

    static func week(_ text: String) throws -> ReviewWeek {
        let date = try CalendarDate.requested(text, field: "week", isoOnly: true)
        guard let week = ReviewWeek(monday: date) else {
            throw HTTPError(
                .badRequest,
                message: "\(text) is not a Monday; summaries are by review week, so give its Monday (\(date.mondayOfWeek.iso))"
            )
        }
        return week
    }

    static func noSummary(_ week: ReviewWeek) -> HTTPError {
        HTTPError(
            .notFound,
            message:
                "no summary has been built for the week beginning \(week.monday.iso); build one with POST /api/summaries/\(week.monday.iso)/builds or `stranded summary build --week \(week.monday.iso)`"
        )
    }

    /// A frozen document as stored. No patient identifiers, but `no-store`
    /// all the same: it describes individual (if unnamed) cases.
    static func document(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
