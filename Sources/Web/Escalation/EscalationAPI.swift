import Foundation
import Hummingbird
import Store
import StrandedCore
import Workflow

/// The Level 2 agenda and the chief executive call as JSON (`/api/level2`, `/api/ce`).
extension EscalationRoutes {
    struct AgendaResponse: Encodable {
        let week: ReviewWeek
        let version: Int
        let builtAt: Date
        let builtBy: String
        let agenda: Level2Agenda
        let records: [Level2CaseRecordRow]
        let actions: [Level2ActionRow]
        let attendance: [AttendanceRow]
    }

    @Sendable func apiWeeks(_ request: Request, context: AppRequestContext) async throws -> Response {
        try json(["versions": try await meetings.agendaVersions(scope: recordScope(context))])
    }

    @Sendable func apiAgenda(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await agendaResponse(week: try Self.week(context), version: nil, request: request, context: context)
    }

    @Sendable func apiAgendaVersion(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await agendaResponse(
            week: try Self.week(context),
            version: try context.parameters.require("version", as: Int.self),
            request: request,
            context: context
        )
    }

    func agendaResponse(week: ReviewWeek, version: Int?, request: Request, context: AppRequestContext) async throws -> Response {
        guard
            let stored = try await meetings.agenda(
                week: week,
                version: version,
                organisationID: organisationScope(request, context),
                scope: recordScope(context)
            )
        else {
            throw HTTPError(
                .notFound,
                message: version == nil
                    ? "no Level 2 agenda has been built for \(week.label); it is built at the timetable's agenda time, or run POST /api/cycle/level2-agenda/runs"
                    : "no version \(version!) of the Level 2 agenda for \(week.label)"
            )
        }
        let ids = Set(stored.content.cases.map(\.caseID))
        try await auditRead("level2_agenda", "\(week.monday.iso)/v\(stored.version)", caseIDs: ids.sorted())
        return try json(
            AgendaResponse(
                week: week,
                version: stored.version,
                builtAt: stored.builtAt,
                builtBy: stored.builtBy,
                agenda: stored.content,
                records: try await meetings.records(week: week).values.filter { ids.contains($0.caseID) }.sorted { $0.caseID < $1.caseID },
                actions: try await meetings.actions(caseIDs: Array(ids), upTo: week).filter { $0.week == week.monday },
                attendance: try await meetings.attendance(week: week)
            )
        )
    }

    struct DecisionRequest: Decodable {
        let decision: Level2Decision?
        let ask: String?
        let notes: String?
    }

    @Sendable func apiDecision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try context.parameters.require("caseID", as: Int64.self)
        let body = try await Self.decode(DecisionRequest.self, request, what: "a Level 2 decision")
        return try await Self.recording {
            try json(
                try await meetings.recordDecision(
                    caseID: caseID,
                    week: week,
                    decision: body.decision,
                    ask: body.ask,
                    notes: body.notes,
                    actor: actor(request, context),
                    scope: recordScope(context)
                )
            )
        }
    }

    struct ActionRequest: Decodable {
        let description: String
        let agency: Agency
        let owner: String
        let dueDate: CalendarDate
    }

    @Sendable func apiAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try context.parameters.require("caseID", as: Int64.self)
        let body = try await Self.decode(ActionRequest.self, request, what: "an agreed action")
        return try await Self.recording {
            try json(
                try await meetings.addAction(
                    caseID: caseID,
                    week: week,
                    description: body.description,
                    agency: body.agency,
                    owner: body.owner,
                    dueDate: body.dueDate,
                    actor: actor(request, context),
                    scope: recordScope(context)
                ),
                status: .created
            )
        }
    }

    struct AttendanceRequest: Decodable {
        let name: String
        let role: String?
        let agency: Agency
        let present: Bool?
    }

    @Sendable func apiAttendance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let body = try await Self.decode(AttendanceRequest.self, request, what: "an attendee")
        return try await Self.recording {
            try await meetings.recordAttendance(
                week: week,
                name: body.name,
                role: body.role ?? "",
                agency: body.agency,
                present: body.present ?? true,
                actor: actor(request, context)
            )
            return try json(["attendance": try await meetings.attendance(week: week)])
        }
    }

    @Sendable func apiCE(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        struct Body: Encodable {
            let week: ReviewWeek
            let cases: [ChiefExecutiveCase]
        }
        let cases = try await meetings.chiefExecutiveList(week: week, organisationID: organisationScope(request, context), scope: callScope(context))
        try await auditRead("ce_list", week.monday.iso, caseIDs: cases.map(\.caseID))
        return try json(Body(week: week, cases: cases))
    }

    struct CEDecisionRequest: Decodable {
        let decision: ChiefExecutiveDecision
        let notes: String?
    }

    @Sendable func apiCEDecision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try context.parameters.require("caseID", as: Int64.self)
        let body = try await Self.decode(CEDecisionRequest.self, request, what: "a chief executive call decision")
        return try await Self.recording {
            try json(
                try await meetings.recordChiefExecutiveDecision(
                    caseID: caseID,
                    week: week,
                    decision: body.decision,
                    notes: body.notes ?? "",
                    actor: actor(request, context),
                    scope: callScope(context)
                )
            )
        }
    }
}
