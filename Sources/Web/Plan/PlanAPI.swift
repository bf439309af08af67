import Foundation
import Hummingbird
import Reports
import Store
import StrandedCore
import Workflow

/// The plan tracker's JSON API (`Schema/openapi.yaml`, paths `/api/plan…`).
/// Reads return the plan file format plus computed RAG; writes are recorded
/// under the signed-in user or the API token, never a name in the body.
struct PlanAPI: Sendable {
    let service: PlanService

    /// Who is making a change: the signed-in user's name or the API token's.
    static func author(_ context: AppRequestContext) -> String {
        context.identity?.displayName ?? context.identity?.username ?? "anonymous"
    }

    struct RAGBody: Codable, Sendable {
        let rating: RAGRating
        let explanation: String
        init(_ assessment: RAGAssessment) {
            rating = assessment.rating
            explanation = assessment.explanation
        }
    }

    struct DueBody: Codable, Sendable {
        let text: String
        let date: CalendarDate?
    }

    struct SubActionBody: Codable, Sendable {
        let numeral: String
        let text: String
        let accountable: [Owner]
        let responsible: [Owner]
        let due: DueBody?
        let rag: RAGBody
        let progress: [ProgressNote]
    }

    struct ActionBody: ResponseEncodable, Sendable {
        let code: String
        let priority: String
        let text: String
        let accountable: [Owner]
        let responsible: [Owner]
        let due: DueBody?
        let status: ActionStatus
        let rag: RAGBody
        let progress: [ProgressNote]
        let subActions: [SubActionBody]

        init(_ action: KeyAction, today: CalendarDate, policy: RAGPolicy) {
            code = action.code
            priority = action.priorityLetter
            text = action.text
            accountable = action.accountable
            responsible = action.responsible
            due = action.due.map { DueBody(text: $0.text, date: $0.date) }
            status = action.status
            rag = RAGBody(action.rag(on: today, policy: policy))
            progress = action.progress
            subActions = action.subActions.map { sub in
                SubActionBody(
                    numeral: sub.numeral,
                    text: sub.text,
                    accountable: sub.accountable,
                    responsible: sub.responsible,
                    due: sub.due.map { DueBody(text: $0.text, date: $0.date) },
                    rag: RAGBody(action.rag(of: sub, on: today, policy: policy)),
                    progress: sub.progress
                )
            }
        }
    }

    struct PlanBody: ResponseEncodable, Sendable {
        let id: Int64
        let today: CalendarDate
        let document: PlanDocument
        /// Computed, never stored: by action code.
        let rag: [String: RAGBody]
    }

    struct NoteRequest: Decodable {
        let text: String
        /// yyyy-mm-dd; today when absent.
        let date: CalendarDate?
        /// A sub-action's numeral, or absent for the action itself.
        let subAction: String?
    }

    struct StatusRequest: Decodable {
        let status: ActionStatus
    }

    struct MetricValueRequest: Decodable {
        let value: Double
    }

    struct MetricBody: ResponseEncodable, Sendable {
        let metric: PlanEvaluationMetric
        let live: Bool
        let values: [MetricPoint]
    }

    @Sendable func metric(_ request: Request, context: AppRequestContext) async throws -> MetricBody {
        let key = try context.parameters.require("id")
        return try await PlanHTTPErrors.mapping { try await loadMetric(key) }
    }

    /// Records or corrects one period's value of a typed-in metric.
    @Sendable func setMetricValue(_ request: Request, context: AppRequestContext) async throws -> MetricBody {
        let key = try context.parameters.require("id")
        let periodText = try context.parameters.require("period")
        let period = try CalendarDate.requested(periodText, field: "period", isoOnly: true)
        let body = try await request.decode(as: MetricValueRequest.self, context: context)
        guard body.value.isFinite else { throw HTTPError(.unprocessableContent, message: "the value must be a finite number") }
        return try await PlanHTTPErrors.mapping {
            guard !PlanService.liveMetricKeys.contains(key) else {
                throw HTTPError(.conflict, message: "\(key) is read live from the weekly ward lists and cannot be typed in")
            }
            let (id, _) = try await service.current()
            try await service.repository.setMetricValue(body.value, for: period, metric: key, planID: id, by: Self.author(context))
            return try await loadMetric(key)
        }
    }

    private func loadMetric(_ key: String) async throws -> MetricBody {
        let (id, document) = try await service.current()
        guard let metric = document.evaluationMetrics.first(where: { $0.id == key }) else {
            throw PlanStoreError.unknownMetric(key: key)
        }
        let series = try await service.metricSeries(planID: id)
        return MetricBody(metric: metric, live: PlanService.liveMetricKeys.contains(key), values: series[key] ?? [])
    }

    @Sendable func plan(_ request: Request, context: AppRequestContext) async throws -> PlanBody {
        try await PlanHTTPErrors.mapping {
            let (id, document) = try await service.current()
            let today = service.today()
            return PlanBody(
                id: id,
                today: today,
                document: document,
                rag: document.ragRatings(on: today, policy: service.policy).mapValues(RAGBody.init)
            )
        }
    }

    @Sendable func action(_ request: Request, context: AppRequestContext) async throws -> ActionBody {
        let code = try context.parameters.require("code")
        return try await PlanHTTPErrors.mapping { try await load(code).body }
    }

    @Sendable func addNote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let body = try await request.decode(as: NoteRequest.self, context: context)
        return try await PlanHTTPErrors.mapping {
            let id = try await load(code).planID
            try await service.addNote(
                body.text,
                by: Self.author(context),
                on: body.date,
                to: ActionReference(code: code, numeral: body.subAction),
                planID: id
            )
            var response = try context.responseEncoder.encode(try await load(code).body, from: request, context: context)
            response.status = .created
            return response
        }
    }

    @Sendable func setStatus(_ request: Request, context: AppRequestContext) async throws -> ActionBody {
        let code = try context.parameters.require("code")
        let body = try await request.decode(as: StatusRequest.self, context: context)
        return try await PlanHTTPErrors.mapping {
            let id = try await load(code).planID
            try await service.setStatus(body.status, of: code, planID: id, by: Self.author(context))
            return try await load(code).body
        }
    }

    private func load(_ code: String) async throws -> (planID: Int64, body: ActionBody) {
        let (id, document) = try await service.current()
        guard let action = document.action(code) else { throw PlanStoreError.unknownAction(code: code) }
        return (id, ActionBody(action, today: service.today(), policy: service.policy))
    }
}
