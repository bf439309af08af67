import Foundation
import Hummingbird
import Store
import StrandedCore
import Workflow

/// The Level 2 meeting's pages: the weeks, the frozen agenda a chair runs the
/// meeting from, and the forms that record decisions, agreed actions and attendance.
extension EscalationRoutes {
    @Sendable func weeksPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = Level2WeeksPage(versions: try await meetings.agendaVersions(scope: recordScope(context)), current: ReviewWeek.containing(now()))
        return try renderer.render("level2-weeks", title: "Level 2 meetings", context: page)
    }

    @Sendable func agendaPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        return try await renderAgenda(week: week, version: nil, request: request, context: context, message: nil, status: .ok)
    }

    @Sendable func agendaVersionPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let version = try context.parameters.require("version", as: Int.self)
        return try await renderAgenda(week: week, version: version, request: request, context: context, message: nil, status: .ok)
    }

    func renderAgenda(
        week: ReviewWeek,
        version: Int?,
        request: Request,
        context: AppRequestContext,
        message: String?,
        status: HTTPResponse.Status,
        typed: MeetingTypedInput? = nil
    ) async throws -> Response {
        let stored = try await meetings.agenda(
            week: week,
            version: version,
            organisationID: organisationScope(request, context),
            scope: recordScope(context)
        )
        if version != nil, stored == nil { throw HTTPError(.notFound, message: "no version \(version!) of the Level 2 agenda for \(week.label)") }
        let versions = try await meetings.agendaVersions(week: week, scope: recordScope(context))
        let caseIDs = stored?.content.cases.map(\.caseID) ?? []
        if let stored { try await auditRead("level2_agenda", "\(week.monday.iso)/v\(stored.version)", caseIDs: caseIDs) }
        let records = try await meetings.records(week: week).filter { caseIDs.contains($0.key) }
        // After a decision is saved: what was recorded and where the case went, beside the case.
        let savedCase = request.uri.queryParameters["case"].flatMap { CaseReference(parsing: String($0)) }?.caseID
        let confirmation = savedCase.flatMap { id in records[id].map { (id, Self.confirmation($0, week: week)) } }
        let notice: String? =
            switch request.uri.queryParameters["saved"].map(String.init) {
            case "decision"?: savedCase.map { "Decision recorded for \(CaseReference(caseID: $0))." } ?? "Decision recorded."
            case "action"?: "Action recorded."
            case "attendance"?: "Attendance recorded."
            default: nil
            }
        let page = AgendaPage(
            week: week,
            stored: stored,
            latestVersion: versions.first?.version,
            versions: versions,
            records: records,
            decisionHistory: try await meetings.decisionHistory(week: week),
            actions: try await meetings.actions(caseIDs: caseIDs, upTo: week),
            attendance: try await meetings.attendance(week: week),
            policy: meetings.policy,
            message: message,
            notice: notice,
            typed: typed,
            confirmation: typed == nil ? confirmation.map { (caseID: $0.0, text: $0.1) } : nil
        )
        let title = version.map { "Level 2 agenda, \(week.label), version \($0)" } ?? "Level 2 agenda, \(week.label)"
        return try renderer.render("level2-agenda", title: title, context: page, status: status, noStore: true)
    }

    @Sendable func postDecision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try context.parameters.require("caseID", as: Int64.self)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        let reference = CaseReference(caseID: caseID)
        // No decision is made by default: "Choose…" is refused, with what was typed kept.
        guard let decision = Level2Decision(rawValue: fields["decision"]) else {
            let message = "Decision: choose what the meeting decided (\(Level2Decision.allCases.map(\.label).joined(separator: ", ")))."
            return try await renderAgenda(
                week: week,
                version: nil,
                request: request,
                context: context,
                message: "\(reference): \(message)",
                status: .unprocessableContent,
                typed: MeetingTypedInput(form: .decision, caseID: caseID, fields: fields, message: message)
            )
        }
        do {
            _ = try await meetings.recordDecision(
                caseID: caseID,
                week: week,
                decision: decision,
                ask: fields["ask"],
                notes: fields["notes"],
                actor: actor(request, context),
                scope: recordScope(context)
            )
        } catch let error as MeetingRecordError {
            return try await renderAgenda(
                week: week,
                version: nil,
                request: request,
                context: context,
                message: "\(CaseReference(caseID: caseID)): \(error.description)",
                status: Self.status(error),
                typed: Self.typed(.decision, caseID: caseID, fields, error)
            )
        }
        return Self.seeOther("/level2/\(week.monday.iso)?saved=decision&case=\(reference)#\(reference.anchor)")
    }

    /// What the chair sees after saving a decision: the decision, and for a
    /// referral where the case is now (the call's list, at once).
    static func confirmation(_ record: Level2CaseRecordRow, week: ReviewWeek) -> String {
        let reference = CaseReference(caseID: record.caseID)
        switch record.decision {
        case .referToChiefExecutive?:
            return "\(reference): referred to the chief executive call. It is on the call's list for \(week.label) now."
        case let decision?:
            return "\(reference): decision recorded: \(decision.label)."
        case nil:
            return "\(reference): recorded."
        }
    }

    @Sendable func postAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try context.parameters.require("caseID", as: Int64.self)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        do {
            let (agency, due) = try Self.actionFields(agency: fields["agency"], due: fields["due_date"])
            _ = try await meetings.addAction(
                caseID: caseID,
                week: week,
                description: fields["description"],
                agency: agency,
                owner: fields["owner"],
                dueDate: due,
                actor: actor(request, context),
                scope: recordScope(context)
            )
        } catch let error as MeetingRecordError {
            return try await renderAgenda(
                week: week,
                version: nil,
                request: request,
                context: context,
                message: "\(CaseReference(caseID: caseID)): \(error.description)",
                status: Self.status(error),
                typed: Self.typed(.action, caseID: caseID, fields, error)
            )
        }
        return Self.seeOther("/level2/\(week.monday.iso)?saved=action#\(CaseReference(caseID: caseID).anchor)")
    }

    @Sendable func postAttendance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        do {
            guard let agency = Agency(rawValue: fields["agency"]) else {
                throw MeetingRecordError.invalid("Choose the attendee's organisation type.")
            }
            try await meetings.recordAttendance(
                week: week,
                name: fields["name"],
                role: fields["role"],
                agency: agency,
                present: fields["present"] != "no",
                actor: actor(request, context)
            )
        } catch let error as MeetingRecordError {
            return try await renderAgenda(
                week: week,
                version: nil,
                request: request,
                context: context,
                message: error.description,
                status: .unprocessableContent,
                typed: Self.typed(.attendance, caseID: nil, fields, error)
            )
        }
        return Self.seeOther("/level2/\(week.monday.iso)?saved=attendance#attendance")
    }
}
