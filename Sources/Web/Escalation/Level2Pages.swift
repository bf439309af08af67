import Foundation
import Hummingbird
import Store
import StrandedCore
import Workflow

/// The Level 2 meeting's pages: the weeks; the index the chair runs the
/// meeting from (filters, tally, one row per case); one page per case with
/// the forms that record decisions and agreed actions; the whole agenda as a
/// read-only document (for print, and for every earlier version); attendance.
///
/// Every save answers 303 back to the case it was for (or on to the next
/// case when the chair asks), keeping the chair's filter; a refused save
/// shows the case again (422) with what was typed and the message beside the form.
extension EscalationRoutes {
    @Sendable func weeksPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = Level2WeeksPage(versions: try await meetings.agendaVersions(scope: recordScope(context)), current: ReviewWeek.containing(now()))
        return try renderer.render("level2-weeks", title: "Level 2 meetings", context: page)
    }

    /// The agenda version (nil: the latest) with what the meeting has recorded, within the user's scope.
    func loadMeeting(week: ReviewWeek, version: Int?, context: AppRequestContext) async throws -> MeetingWeek {
        let stored = try await meetings.agenda(week: week, version: version, scope: recordScope(context))
        if let version, stored == nil {
            throw HTTPError(.notFound, message: "There is no version \(version) of the Level 2 agenda for \(week.label).")
        }
        let caseIDs = Set(stored?.content.cases.map(\.caseID) ?? [])
        return MeetingWeek(
            week: week,
            stored: stored,
            versions: try await meetings.agendaVersions(week: week, scope: recordScope(context)),
            records: try await meetings.records(week: week).filter { caseIDs.contains($0.key) }
        )
    }

    // MARK: The index

    @Sendable func agendaPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await renderIndex(week: try Self.week(context), request: request, context: context, message: nil, status: .ok)
    }

    func renderIndex(
        week: ReviewWeek,
        request: Request,
        context: AppRequestContext,
        message: String?,
        status: HTTPResponse.Status,
        typed: MeetingTypedInput? = nil
    ) async throws -> Response {
        let meeting = try await loadMeeting(week: week, version: nil, context: context)
        let filter = AgendaFilter(request)
        if let stored = meeting.stored {
            try await auditRead("level2_agenda", "\(week.monday.iso)/v\(stored.version)", caseIDs: meeting.cases(matching: filter).map(\.caseID))
        }
        let notice: String? =
            switch request.uri.queryParameters["saved"].map(String.init) {
            case "attendance"?: "Attendance recorded."
            default: nil
            }
        let page = AgendaIndexPage(
            meeting,
            filter: filter,
            topThemes: try await themes.topThemes(week: week, limit: 3),
            attendance: try await meetings.attendance(week: week),
            message: message,
            notice: notice,
            typed: typed
        )
        return try renderer.render("level2-agenda", title: "Level 2 agenda, \(week.label)", context: page, status: status, noStore: true)
    }

    // MARK: One case

    @Sendable func casePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        return try await renderCase(week: week, caseID: try Self.caseID(context), request: request, context: context, message: nil, status: .ok)
    }

    func renderCase(
        week: ReviewWeek,
        caseID: Int64,
        request: Request,
        context: AppRequestContext,
        message: String?,
        status: HTTPResponse.Status,
        typed: MeetingTypedInput? = nil
    ) async throws -> Response {
        let meeting = try await loadMeeting(week: week, version: nil, context: context)
        let reference = CaseReference(caseID: caseID)
        guard let stored = meeting.stored, let item = meeting.cases.first(where: { $0.caseID == caseID }) else {
            throw HTTPError(.notFound, message: "Case \(reference) is not on the latest Level 2 agenda for \(week.label).")
        }
        try await auditRead("level2_agenda", "\(week.monday.iso)/v\(stored.version)/\(reference)", caseIDs: [caseID])
        // After a save: what was recorded and, for a referral, where the case went.
        let savedCase = request.uri.queryParameters["case"].flatMap { CaseReference(parsing: String($0)) }?.caseID ?? caseID
        let saved = request.uri.queryParameters["saved"].map(String.init)
        var notice: String?
        var noticeHref: String?
        var confirmation: String?
        switch saved {
        case "decision"?:
            let text = meeting.records[savedCase].map { Self.confirmation($0, week: week) } ?? "\(CaseReference(caseID: savedCase)): recorded."
            if savedCase == caseID {
                confirmation = text
            } else {
                // Moved on to the next case: the last one's confirmation stays in view, with the way back.
                notice = text
                noticeHref = AgendaFilter(request).link("/level2/\(week.monday.iso)/cases/\(CaseReference(caseID: savedCase))")
            }
        case "action"?: notice = "Action recorded for \(reference)."
        default: break
        }
        let page = AgendaCasePage(
            meeting,
            item: item,
            filter: AgendaFilter(request),
            decisionsThisWeek: try await meetings.decisionHistory(week: week, caseIDs: [caseID])[caseID] ?? [],
            actions: try await meetings.actions(caseIDs: [caseID], upTo: week),
            policy: meetings.policy,
            message: message,
            notice: notice,
            noticeHref: noticeHref,
            typed: typed,
            confirmation: typed == nil ? confirmation : nil
        )
        return try renderer.render("level2-case", title: "\(reference), Level 2, \(week.label)", context: page, status: status, noStore: true)
    }

    // MARK: The whole agenda, read-only

    @Sendable func agendaPrintPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await renderDocument(week: try Self.week(context), version: nil, context: context)
    }

    @Sendable func agendaVersionPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        return try await renderDocument(week: week, version: try context.parameters.require("version", as: Int.self), context: context)
    }

    func renderDocument(week: ReviewWeek, version: Int?, context: AppRequestContext) async throws -> Response {
        let meeting = try await loadMeeting(week: week, version: version, context: context)
        guard let stored = meeting.stored else {
            throw HTTPError(.notFound, message: "No Level 2 agenda has been built for \(week.label) yet.")
        }
        let caseIDs = meeting.cases.map(\.caseID)
        try await auditRead("level2_agenda", "\(week.monday.iso)/v\(stored.version)", caseIDs: caseIDs)
        let page = AgendaDocumentPage(
            meeting,
            decisionHistory: try await meetings.decisionHistory(week: week),
            actions: try await meetings.actions(caseIDs: caseIDs, upTo: week),
            attendance: try await meetings.attendance(week: week),
            policy: meetings.policy
        )
        let title = "Level 2 agenda, \(week.label), version \(stored.version)"
        return try renderer.render("level2-print", title: title, context: page, noStore: true)
    }

    // MARK: Recording

    @Sendable func postDecision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try Self.caseID(context)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        let reference = CaseReference(caseID: caseID)
        // No decision is made by default: "Choose…" is refused, with what was typed kept.
        guard let decision = Level2Decision(rawValue: fields["decision"]) else {
            let message = "Decision: choose what the meeting decided (\(Level2Decision.allCases.map(\.label).joined(separator: ", ")))."
            return try await renderCase(
                week: week,
                caseID: caseID,
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
            return try await renderCase(
                week: week,
                caseID: caseID,
                request: request,
                context: context,
                message: "\(reference): \(error.description)",
                status: Self.status(error),
                typed: Self.typed(.decision, caseID: caseID, fields, error)
            )
        }
        let filter = AgendaFilter(request)
        var destination = reference
        if fields["then"] == "next" {
            let meeting = try await loadMeeting(week: week, version: nil, context: context)
            destination =
                AgendaCasePage.nextUndecided(after: caseID, in: meeting, filter: filter).map { CaseReference(caseID: $0.caseID) } ?? reference
        }
        return Self.seeOther(filter.link("/level2/\(week.monday.iso)/cases/\(destination)", adding: ["saved=decision", "case=\(reference)"]))
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
        let caseID = try Self.caseID(context)
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
            return try await renderCase(
                week: week,
                caseID: caseID,
                request: request,
                context: context,
                message: "\(CaseReference(caseID: caseID)): \(error.description)",
                status: Self.status(error),
                typed: Self.typed(.action, caseID: caseID, fields, error)
            )
        }
        let reference = CaseReference(caseID: caseID)
        return Self.seeOther(AgendaFilter(request).link("/level2/\(week.monday.iso)/cases/\(reference)", adding: ["saved=action"]) + "#agreed")
    }

    @Sendable func postAttendance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        do {
            guard let agency = Agency(rawValue: fields["agency"]) else {
                throw MeetingRecordError.invalid("Organisation type: choose the attendee's organisation type.")
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
            return try await renderIndex(
                week: week,
                request: request,
                context: context,
                message: error.description,
                status: .unprocessableContent,
                typed: Self.typed(.attendance, caseID: nil, fields, error)
            )
        }
        return Self.seeOther("/level2/\(week.monday.iso)?saved=attendance#attendance")
    }

    /// The case of a meeting route: its reference (`C-000157`) or its number.
    static func caseID(_ context: AppRequestContext) throws -> Int64 {
        let text = try context.parameters.require("caseID")
        guard let reference = CaseReference(parsing: text) else {
            throw HTTPError(.notFound, message: "That is not a case reference: case references look like C-000157.")
        }
        return reference.caseID
    }
}
