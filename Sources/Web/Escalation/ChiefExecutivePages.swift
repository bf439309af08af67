import Foundation
import Hummingbird
import Store
import StrandedCore
import Workflow

/// The chief executive call's page: the referred and stuck cases and the decision form.
extension EscalationRoutes {
    @Sendable func ceRedirect(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.seeOther("/ce/\(ReviewWeek.containing(now()).monday.iso)")
    }

    @Sendable func cePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await renderCE(week: try Self.week(context), request: request, context: context, message: nil, status: .ok)
    }

    func renderCE(
        week: ReviewWeek,
        request: Request,
        context: AppRequestContext,
        message: String?,
        status: HTTPResponse.Status,
        typed: MeetingTypedInput? = nil
    ) async throws -> Response {
        let cases = try await meetings.chiefExecutiveList(
            week: week,
            organisationID: organisationScope(request, context),
            scope: callScope(context)
        )
        try await auditRead("ce_list", week.monday.iso, caseIDs: cases.map(\.caseID))
        let notice = request.uri.queryParameters["saved"] != nil ? "Decision recorded." : nil
        let page = ChiefExecutivePage(
            week: week,
            cases: cases,
            thresholds: meetings.policy.thresholds,
            message: message,
            notice: notice,
            typed: typed
        )
        return try renderer.render("ce-week", title: "Chief executive call, \(week.label)", context: page, status: status, noStore: true)
    }

    @Sendable func postCEDecision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try Self.caseID(context)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        guard let decision = ChiefExecutiveDecision(rawValue: fields["decision"]) else {
            let message = "Decision: choose what the call decided (\(ChiefExecutiveDecision.allCases.map(\.label).joined(separator: ", ")))."
            return try await renderCE(
                week: week,
                request: request,
                context: context,
                message: "\(CaseReference(caseID: caseID)): \(message)",
                status: .unprocessableContent,
                typed: MeetingTypedInput(form: .chiefExecutiveDecision, caseID: caseID, fields: fields, message: message)
            )
        }
        do {
            _ = try await meetings.recordChiefExecutiveDecision(
                caseID: caseID,
                week: week,
                decision: decision,
                notes: fields["notes"],
                actor: actor(request, context),
                scope: callScope(context)
            )
        } catch let error as MeetingRecordError {
            return try await renderCE(
                week: week,
                request: request,
                context: context,
                message: "\(CaseReference(caseID: caseID)): \(error.description)",
                status: Self.status(error),
                typed: Self.typed(.chiefExecutiveDecision, caseID: caseID, fields, error)
            )
        }
        return Self.seeOther("/ce/\(week.monday.iso)?saved=1#\(CaseReference(caseID: caseID).anchor)")
    }
}
