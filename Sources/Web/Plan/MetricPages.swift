import Foundation
import Hummingbird
import NIOCore
import Reports
import Store
import StrandedCore
import Workflow

/// The evaluation framework with data: every metric charted against its
/// target with RAG and trend (`GET /plan/metrics`), a value entered on the
/// page (`POST /plan/metrics/{id}/values`), and a file of values imported
/// through the page (`/plan/metrics/import`) or the API
/// (`POST /api/plan/metrics/import`, `text/csv`). A file with any bad line
/// records nothing; every recorded change is audited.
struct MetricPages: Sendable {
    let evaluation: EvaluationService
    let renderer: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/plan/metrics", use: metrics)
        router.post("/plan/metrics/{id}/values", use: recordValue)
        router.post("/plan/metrics/{id}/target", use: setTarget)
        router.get("/plan/metrics/import", use: importPage)
        router.post("/plan/metrics/import", use: importPosted)
        router.post("/api/plan/metrics/import", use: apiImport)
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice = request.uri.queryParameters.get("recorded").map { "Recorded: \($0)." }
        return try await render(entry: nil, notice: notice, context: context, status: .ok)
    }

    struct PostedValue: Decodable {
        var period: String?
        var value: String?
        var source: String?
    }

    @Sendable func recordValue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body = try await request.body.collect(upTo: 16 * 1024)
        let posted: PostedValue
        do {
            posted = try URLEncodedFormDecoder().decode(PostedValue.self, from: String(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read; send period, value and source as form fields")
        }
        do {
            let counts = try await PlanHTTPErrors.mapping {
                try await evaluation.record(
                    metric: id,
                    period: posted.period ?? "",
                    value: posted.value ?? "",
                    source: posted.source ?? "",
                    by: PlanAPI.author(context)
                )
            }
            let what = counts.unchanged > 0 ? "no change" : counts.added > 0 ? "a new value" : "a corrected value"
            return Response.redirect(to: "/plan/metrics?recorded=\(what.replacingOccurrences(of: " ", with: "+"))#metric-\(id)")
        } catch MetricEntryError.refused(let problems) {
            let entry = MetricEntry(
                metric: id,
                period: posted.period ?? "",
                value: posted.value ?? "",
                source: posted.source ?? "",
                target: nil,
                errors: Dictionary(problems.map { ($0.column, $0.message) }, uniquingKeysWith: { first, _ in first })
            )
            return try await render(entry: entry, notice: nil, context: context, status: .unprocessableContent)
        }
    }

    struct PostedTarget: Decodable {
        var target: String?
    }

    /// Sets or clears the agreed target; 422 beside the field for a figure that is not a number.
    @Sendable func setTarget(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body = try await request.body.collect(upTo: 16 * 1024)
        let posted: PostedTarget
        do {
            posted = try URLEncodedFormDecoder().decode(PostedTarget.self, from: String(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read; send the target as a form field")
        }
        do {
            try await PlanHTTPErrors.mapping { try await evaluation.setTarget(metric: id, text: posted.target ?? "", by: PlanAPI.author(context)) }
            return Response.redirect(to: "/plan/metrics?recorded=the+target#metric-\(id)")
        } catch MetricEntryError.refused(let problems) {
            let entry = MetricEntry(
                metric: id,
                period: "",
                value: "",
                source: "",
                target: posted.target ?? "",
                errors: Dictionary(problems.map { ($0.column, $0.message) }, uniquingKeysWith: { first, _ in first })
            )
            return try await render(entry: entry, notice: nil, context: context, status: .unprocessableContent)
        }
    }

    private func render(entry: MetricEntry?, notice: String?, context: AppRequestContext, status: HTTPResponse.Status) async throws -> Response {
        let (_, metrics) = try await PlanHTTPErrors.mapping { try await evaluation.metrics() }
        let mayEdit = context.identity.map { AccessPolicy.decide(method: .post, path: "/plan/metrics/import", identity: $0) == .allow } ?? false
        let page = MetricsPage(metrics: metrics, entry: entry, notice: notice, mayEdit: mayEdit)
        return try renderer.render("plan-metrics", title: "Evaluation metrics", context: page, status: status)
    }

    // MARK: - Import

    @Sendable func importPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try renderer.render("plan-metrics-import", title: "Import metric values", context: MetricImportPage(text: "", problems: [], done: nil))
    }

    struct PostedFile: Decodable {
        var csv: String?
    }

    @Sendable func importPosted(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 2 * 1024 * 1024)
        let posted: PostedFile
        do {
            posted = try URLEncodedFormDecoder().decode(PostedFile.self, from: String(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read; paste the file into the \"csv\" field")
        }
        let text = posted.csv ?? ""
        do {
            let counts = try await PlanHTTPErrors.mapping { try await evaluation.importCSV(Data(text.utf8), by: PlanAPI.author(context)) }
            return try renderer.render(
                "plan-metrics-import",
                title: "Import metric values",
                context: MetricImportPage(text: "", problems: [], done: counts)
            )
        } catch MetricEntryError.refused(let problems) {
            return try renderer.render(
                "plan-metrics-import",
                title: "Import metric values",
                context: MetricImportPage(text: text, problems: problems, done: nil),
                status: .unprocessableContent
            )
        }
    }

    /// `text/csv` body; 200 with the counts, 422 with every problem (nothing recorded).
    @Sendable func apiImport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 2 * 1024 * 1024)
        struct Refused: Encodable {
            let error: APIError.Body
            let problems: [MetricRowProblem]
        }
        do {
            let counts = try await PlanHTTPErrors.mapping {
                try await evaluation.importCSV(Data(body.readableBytesView), by: PlanAPI.author(context))
            }
            return try json(counts)
        } catch MetricEntryError.refused(let problems) {
            let message =
                "the file was not imported (nothing was recorded): \(problems.count) problem\(problems.count == 1 ? "" : "s"), first \(problems[0])"
            return try json(Refused(error: .init(message: message), problems: problems), status: .unprocessableContent)
        }
    }
}

/// What was typed in a metric's value form, and the messages by field.
struct MetricEntry {
    let metric: String
    let period: String
    let value: String
    let source: String
    /// The target as typed; nil when the form posted was the value's.
    let target: String?
    let errors: [String: String]
}

struct MetricImportPage {
    struct Problem {
        let line: Int
        let column: String
        let message: String
    }
    let text: String
    let problems: [Problem]
    let hasProblems: Bool
    let done: String?

    init(text: String, problems: [MetricRowProblem], done: MetricRecordCounts?) {
        self.text = text
        self.problems = problems.map { Problem(line: $0.line, column: $0.column, message: $0.message) }
        hasProblems = !problems.isEmpty
        self.done = done.map { "Imported: \($0.added) new, \($0.changed) corrected, \($0.unchanged) unchanged." }
    }
}
