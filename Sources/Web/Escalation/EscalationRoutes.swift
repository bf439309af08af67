import Foundation
import Hummingbird
import StrandedCore
import Store
import Workflow

/// Escalation: the Level 2 agenda and its recording, the chief
/// executive call's list and decisions, the weekly scheduler's runs and the
/// running configuration. Pages work without JavaScript (POST, then 303 back
/// to the case; a refused recording shows the page again with the message,
/// 422). JSON under `/api/level2`, `/api/ce`, `/api/cycle`, `/api/config`.
///
/// Who did it: every change passes an `actor` to the Workflow, the signed-in
/// user's name; the audit trail records the change with the user.
/// What is shown and recorded is limited to the user's scope (a level2 user
/// scoped to organisations sees only their cases; out-of-scope case ids
/// answer 404). Lists also take an optional organisation
/// (`?organisation=ID`) that only ever narrows further. Reads of the agenda
/// and the call's list are audited (DESIGN.md §7).
struct EscalationRoutes: Sendable {
    let meetings: MeetingService
    let runner: CycleRunner
    let jobs: CycleJobStore
    let renderer: PageRenderer
    let configuration: CycleConfiguration
    let audit: AuditTrail
    var now: @Sendable () -> Date = { Date() }

    init(dependencies: AppDependencies) {
        meetings = MeetingService(database: dependencies.database, policy: dependencies.policy)
        runner = CycleRunner(database: dependencies.database, configuration: dependencies.configuration,
                             summaryBuilder: dependencies.summaryBuilder)
        jobs = CycleJobStore(database: dependencies.database)
        renderer = dependencies.renderer
        configuration = dependencies.configuration
        audit = AuditTrail(database: dependencies.database)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/level2", use: weeksPage)
        router.get("/level2/{week}", use: agendaPage)
        router.get("/level2/{week}/versions/{version}", use: agendaVersionPage)
        router.post("/level2/{week}/cases/{caseID}", use: postDecision)
        router.post("/level2/{week}/cases/{caseID}/actions", use: postAction)
        router.post("/level2/{week}/attendance", use: postAttendance)
        router.get("/ce", use: ceRedirect)
        router.get("/ce/{week}", use: cePage)
        router.post("/ce/{week}/cases/{caseID}", use: postCEDecision)
        router.get("/cycle", use: cyclePage)
        router.post("/cycle/runs", use: postCycleRun)
        router.get("/config", use: configPage)

        router.get("/api/level2", use: apiWeeks)
        router.get("/api/level2/{week}", use: apiAgenda)
        router.get("/api/level2/{week}/versions/{version}", use: apiAgendaVersion)
        router.post("/api/level2/{week}/cases/{caseID}/decision", use: apiDecision)
        router.post("/api/level2/{week}/cases/{caseID}/actions", use: apiAction)
        router.post("/api/level2/{week}/attendance", use: apiAttendance)
        router.get("/api/ce/{week}", use: apiCE)
        router.post("/api/ce/{week}/cases/{caseID}/decision", use: apiCEDecision)
        router.get("/api/cycle", use: apiCycle)
        router.post("/api/cycle/{job}/runs", use: apiRunJob)
        router.get("/api/config", use: apiConfig)
    }

    /// Who is acting: the signed-in user's name (the middleware lets no one
    /// else reach these routes; "anonymous" only if it were bypassed).
    func actor(_ request: Request, _ context: AppRequestContext) -> String { context.identity?.username ?? "anonymous" }

    /// The organisation a request asks to be narrowed to (`?organisation=ID`), if any.
    func organisationScope(_ request: Request, _ context: AppRequestContext) -> Int64? {
        request.uri.queryParameters["organisation"].flatMap { Int64(String($0)) }
    }

    /// What the signed-in user may see (issue 8): administrators and unscoped
    /// level2 everything, a scoped level2 user their organisations' cases.
    func recordScope(_ context: AppRequestContext) -> RecordScope { context.scope }

    /// The chief executive call's scope: executives run the call for the whole
    /// system (its list carries case references, not names), so they see every
    /// case; anyone else (level2 reading the list) their own scope.
    func callScope(_ context: AppRequestContext) -> RecordScope {
        context.identity?.has(.executive) == true ? .all : context.scope
    }

    /// Audits a read of a patient-identifiable page or API answer (DESIGN.md §7).
    func auditRead(_ entityType: String, _ entityID: String, caseIDs: [Int64]) async throws {
        struct Shown: Encodable { let caseIDs: [Int64] }
        try await audit.record(AuditEntry(action: "read", entityType: entityType, entityID: entityID, after: Shown(caseIDs: caseIDs)))
    }

    // MARK: Level 2 pages

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

    private func renderAgenda(week: ReviewWeek, version: Int?, request: Request, context: AppRequestContext, message: String?,
                              status: HTTPResponse.Status, typed: MeetingTypedInput? = nil) async throws -> Response {
        let stored = try await meetings.agenda(week: week, version: version, organisationID: organisationScope(request, context),
                                               scope: recordScope(context))
        if version != nil, stored == nil { throw HTTPError(.notFound, message: "no version \(version!) of the Level 2 agenda for \(week.label)") }
        let versions = try await meetings.agendaVersions(week: week, scope: recordScope(context))
        let caseIDs = stored?.content.cases.map(\.caseID) ?? []
        if let stored { try await auditRead("level2_agenda", "\(week.monday.iso)/v\(stored.version)", caseIDs: caseIDs) }
        let notice: String? = switch request.uri.queryParameters["saved"].map(String.init) {
        case "decision"?: "Decision recorded."
        case "action"?: "Action recorded."
        case "attendance"?: "Attendance recorded."
        default: nil
        }
        let page = AgendaPage(
            week: week, stored: stored, latestVersion: versions.first?.version, versions: versions,
            records: try await meetings.records(week: week).filter { caseIDs.contains($0.key) },
            actions: try await meetings.actions(caseIDs: caseIDs, upTo: week),
            attendance: try await meetings.attendance(week: week), policy: meetings.policy, message: message, notice: notice,
            typed: typed)
        let title = version.map { "Level 2 agenda, \(week.label), version \($0)" } ?? "Level 2 agenda, \(week.label)"
        return try renderer.render("level2-agenda", title: title, context: page, status: status, noStore: true)
    }

    @Sendable func postDecision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try context.parameters.require("caseID", as: Int64.self)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        let decisionText = fields["decision"]
        guard decisionText.isEmpty || Level2Decision(rawValue: decisionText) != nil else {
            return try await renderAgenda(week: week, version: nil, request: request, context: context,
                                          message: "Choose a decision from the list.", status: .unprocessableContent)
        }
        do {
            _ = try await meetings.recordDecision(caseID: caseID, week: week, decision: Level2Decision(rawValue: decisionText),
                                                  ask: fields["ask"], notes: fields["notes"], actor: actor(request, context),
                                                  scope: recordScope(context))
        } catch let error as MeetingRecordError {
            return try await renderAgenda(week: week, version: nil, request: request, context: context,
                                          message: "Case \(caseID): \(error.description)", status: Self.status(error),
                                          typed: Self.typed(.decision, caseID: caseID, fields, error))
        }
        return Self.seeOther("/level2/\(week.monday.iso)?saved=decision#case-\(caseID)")
    }

    @Sendable func postAction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try context.parameters.require("caseID", as: Int64.self)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        do {
            let (agency, due) = try Self.actionFields(agency: fields["agency"], due: fields["due_date"])
            _ = try await meetings.addAction(caseID: caseID, week: week, description: fields["description"], agency: agency,
                                             owner: fields["owner"], dueDate: due, actor: actor(request, context), scope: recordScope(context))
        } catch let error as MeetingRecordError {
            return try await renderAgenda(week: week, version: nil, request: request, context: context,
                                          message: "Case \(caseID): \(error.description)", status: Self.status(error),
                                          typed: Self.typed(.action, caseID: caseID, fields, error))
        }
        return Self.seeOther("/level2/\(week.monday.iso)?saved=action#case-\(caseID)")
    }

    @Sendable func postAttendance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        do {
            guard let agency = Agency(rawValue: fields["agency"]) else { throw MeetingRecordError.invalid("Choose the attendee's organisation type.") }
            try await meetings.recordAttendance(week: week, name: fields["name"], role: fields["role"], agency: agency,
                                                present: fields["present"] != "no", actor: actor(request, context))
        } catch let error as MeetingRecordError {
            return try await renderAgenda(week: week, version: nil, request: request, context: context,
                                          message: error.description, status: .unprocessableContent,
                                          typed: Self.typed(.attendance, caseID: nil, fields, error))
        }
        return Self.seeOther("/level2/\(week.monday.iso)?saved=attendance#attendance")
    }

    // MARK: Chief executive pages

    @Sendable func ceRedirect(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.seeOther("/ce/\(ReviewWeek.containing(now()).monday.iso)")
    }

    @Sendable func cePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await renderCE(week: try Self.week(context), request: request, context: context, message: nil, status: .ok)
    }

    private func renderCE(week: ReviewWeek, request: Request, context: AppRequestContext, message: String?,
                          status: HTTPResponse.Status, typed: MeetingTypedInput? = nil) async throws -> Response {
        let cases = try await meetings.chiefExecutiveList(week: week, organisationID: organisationScope(request, context),
                                                          scope: callScope(context))
        try await auditRead("ce_list", week.monday.iso, caseIDs: cases.map(\.caseID))
        let notice = request.uri.queryParameters["saved"] != nil ? "Decision recorded." : nil
        let page = ChiefExecutivePage(week: week, cases: cases, thresholds: meetings.policy.thresholds, message: message, notice: notice,
                                      typed: typed)
        return try renderer.render("ce-week", title: "Chief executive call, \(week.label)", context: page, status: status, noStore: true)
    }

    @Sendable func postCEDecision(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try Self.week(context)
        let caseID = try context.parameters.require("caseID", as: Int64.self)
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        guard let decision = ChiefExecutiveDecision(rawValue: fields["decision"]) else {
            return try await renderCE(week: week, request: request, context: context, message: "C-\(caseID): choose a decision.",
                                      status: .unprocessableContent,
                                      typed: MeetingTypedInput(form: .chiefExecutiveDecision, caseID: caseID, fields: fields, message: "Choose a decision."))
        }
        do {
            _ = try await meetings.recordChiefExecutiveDecision(caseID: caseID, week: week, decision: decision, notes: fields["notes"],
                                                                actor: actor(request, context), scope: callScope(context))
        } catch let error as MeetingRecordError {
            return try await renderCE(week: week, request: request, context: context, message: "C-\(caseID): \(error.description)",
                                      status: Self.status(error), typed: Self.typed(.chiefExecutiveDecision, caseID: caseID, fields, error))
        }
        return Self.seeOther("/ce/\(week.monday.iso)?saved=1#case-\(caseID)")
    }

    // MARK: Cycle and configuration pages

    @Sendable func cyclePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Only known job ids make a notice: the query string is not echoed.
        let notice = request.uri.queryParameters["ran"].flatMap { CycleJob(rawValue: String($0)) }
            .map { "\($0.label): run. Its result is in the table below." }
        return try await renderCycle(request: request, message: nil, notice: notice, status: .ok)
    }

    private func renderCycle(request: Request, message: String?, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let week = try request.uri.queryParameters["week"].map { try CalendarDate.requested(String($0), field: "week", isoOnly: true) }
            .map(ReviewWeek.containing) ?? ReviewWeek.containing(now())
        let page = CyclePage(runs: try await jobs.runs(), configuration: configuration, now: now(), week: week, message: message, notice: notice)
        return try renderer.render("cycle", title: "Weekly cycle: scheduled jobs", context: page, status: status)
    }

    /// Runs a job for a week by hand (an administrator's action).
    @Sendable func postCycleRun(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = PostedFields(String(buffer: try await request.body.collect(upTo: 16 * 1024)))
        guard let job = CycleJob(rawValue: fields["job"]) else {
            return try await renderCycle(request: request, message: "Choose a job.", notice: nil, status: .unprocessableContent)
        }
        let date: CalendarDate
        do {
            date = try CalendarDate.input(fields["week"], field: "Week")
        } catch {
            return try await renderCycle(request: request, message: error.message, notice: nil, status: .unprocessableContent)
        }
        let week = ReviewWeek.containing(date)
        let (attempt, _) = try await runner.runRecorded(job, week: week, actor: actor(request, context), runnerID: CycleScheduler.defaultRunnerID)
        if case .busy = attempt {
            return try await renderCycle(request: request, message: "\(job.label) for \(week.label) is running in another process right now; try again in a minute.",
                                         notice: nil, status: .conflict)
        }
        // The outcome (success or the error) is in the job-run table the page shows.
        return Self.seeOther("/cycle?ran=\(job.rawValue)&week=\(week.monday.iso)")
    }

    @Sendable func configPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try renderer.render("config", title: "Running configuration", context: ConfigPage(configuration: configuration))
    }

    // MARK: API

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
        try await agendaResponse(week: try Self.week(context), version: try context.parameters.require("version", as: Int.self),
                                 request: request, context: context)
    }

    private func agendaResponse(week: ReviewWeek, version: Int?, request: Request, context: AppRequestContext) async throws -> Response {
        guard let stored = try await meetings.agenda(week: week, version: version, organisationID: organisationScope(request, context),
                                                     scope: recordScope(context)) else {
            throw HTTPError(.notFound, message: version == nil
                ? "no Level 2 agenda has been built for \(week.label); it is built at the timetable's agenda time, or run POST /api/cycle/level2-agenda/runs"
                : "no version \(version!) of the Level 2 agenda for \(week.label)")
        }
        let ids = Set(stored.content.cases.map(\.caseID))
        try await auditRead("level2_agenda", "\(week.monday.iso)/v\(stored.version)", caseIDs: ids.sorted())
        return try json(AgendaResponse(
            week: week, version: stored.version, builtAt: stored.builtAt, builtBy: stored.builtBy, agenda: stored.content,
            records: try await meetings.records(week: week).values.filter { ids.contains($0.caseID) }.sorted { $0.caseID < $1.caseID },
            actions: try await meetings.actions(caseIDs: Array(ids), upTo: week).filter { $0.week == week.monday },
            attendance: try await meetings.attendance(week: week)))
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
            try json(try await meetings.recordDecision(caseID: caseID, week: week, decision: body.decision, ask: body.ask, notes: body.notes,
                                                       actor: actor(request, context), scope: recordScope(context)))
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
            try json(try await meetings.addAction(caseID: caseID, week: week, description: body.description, agency: body.agency,
                                                  owner: body.owner, dueDate: body.dueDate, actor: actor(request, context),
                                                  scope: recordScope(context)), status: .created)
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
            try await meetings.recordAttendance(week: week, name: body.name, role: body.role ?? "", agency: body.agency,
                                                present: body.present ?? true, actor: actor(request, context))
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
            try json(try await meetings.recordChiefExecutiveDecision(caseID: caseID, week: week, decision: body.decision,
                                                                     notes: body.notes ?? "", actor: actor(request, context),
                                                                     scope: callScope(context)))
        }
    }

    @Sendable func apiCycle(_ request: Request, context: AppRequestContext) async throws -> Response {
        struct Body: Encodable {
            let configuration: String
            let nextDue: Date
            let nextJobs: [String]
            let runs: [CycleJobRunRecord]
            let failures: Int
        }
        let runs = try await jobs.runs()
        let next = configuration.policy.timetable.nextDue(after: now())
        return try json(Body(configuration: configuration.source, nextDue: next.at, nextJobs: next.jobs.map(\.description), runs: runs,
                             failures: runs.filter { $0.status == .failed }.count))
    }

    struct RunRequest: Decodable {
        let week: String
    }

    /// 200 with what the job did; 409 when another process is running it; 500 with the error when it failed (recorded).
    @Sendable func apiRunJob(_ request: Request, context: AppRequestContext) async throws -> Response {
        let jobText = try context.parameters.require("job")
        guard let job = CycleJob(rawValue: jobText) else {
            throw HTTPError(.notFound, message: "no job \(jobText); jobs are \(CycleJob.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let body = try await Self.decode(RunRequest.self, request, what: "a job run (\"week\": the Monday as yyyy-mm-dd)")
        let week = try Self.week(body.week)
        let (attempt, result) = try await runner.runRecorded(job, week: week, actor: actor(request, context), runnerID: CycleScheduler.defaultRunnerID)
        struct Body: Encodable {
            let job: String
            let week: ReviewWeek
            let status: String
            let message: String
            let escalation: EscalationRun?
            let agendaVersion: Int?
        }
        let status: (String, HTTPResponse.Status) = switch attempt {
        case .succeeded: ("succeeded", .ok)
        case .failed: ("failed", .internalServerError)
        case .busy: ("busy", .conflict)
        default: ("skipped", .ok)
        }
        return try json(Body(job: job.rawValue, week: week, status: status.0, message: Self.describe(attempt, result),
                             escalation: result?.escalation, agendaVersion: result?.agendaVersion), status: status.1)
    }

    @Sendable func apiConfig(_ request: Request, context: AppRequestContext) async throws -> Response {
        struct Rule: Encodable {
            let id: String
            let title: String
            let level: String
            let enabled: Bool
            let description: String
        }
        struct Body: Encodable {
            let source: String
            let configuration: CycleConfiguration
            let rules: [Rule]
        }
        let policy = configuration.policy.escalation
        return try json(Body(source: configuration.source, configuration: configuration, rules: EscalationRuleID.allCases.map {
            Rule(id: $0.rawValue, title: $0.title, level: $0.level.rawValue, enabled: policy.isEnabled($0), description: $0.description(using: policy))
        }))
    }

    // MARK: Shared

    static func week(_ context: AppRequestContext) throws -> ReviewWeek {
        try week(try context.parameters.require("week"))
    }

    static func week(_ text: String) throws -> ReviewWeek {
        let date = try CalendarDate.requested(text, field: "week", isoOnly: true)
        guard let week = ReviewWeek(monday: date) else {
            throw HTTPError(.badRequest, message: "week \(text) is not a Monday; weeks are keyed by their Monday (\(date.mondayOfWeek.iso))")
        }
        return week
    }

    static func actionFields(agency: String, due: String) throws -> (Agency, CalendarDate) {
        guard let agency = Agency(rawValue: agency) else { throw MeetingRecordError.invalid("Choose the agency responsible for the action.") }
        do {
            return (agency, try CalendarDate.input(due, field: "Due date"))
        } catch {
            throw MeetingRecordError.invalid(error.message)
        }
    }

    /// What was typed, to show again beside its form, when the refusal is about
    /// the input (not about the case, which the page may not even show).
    static func typed(_ form: MeetingTypedInput.Form, caseID: Int64?, _ fields: PostedFields, _ error: MeetingRecordError) -> MeetingTypedInput? {
        guard case let .invalid(message) = error else { return nil }
        return MeetingTypedInput(form: form, caseID: caseID, fields: fields, message: message)
    }

    static func status(_ error: MeetingRecordError) -> HTTPResponse.Status {
        if case .refused = error { return .notFound }
        return .unprocessableContent
    }

    /// Runs a recording; a refused one answers `{"error": {"message": …}}` with 404 or 422.
    static func recording(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as MeetingRecordError {
            return try json(["error": ["message": error.description]], status: status(error))
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, what: String) async throws -> T {
        let buffer = try await request.body.collect(upTo: 256 * 1024)
        do {
            return try JSONDecoder().decode(T.self, from: Data(String(buffer: buffer).utf8))
        } catch {
            throw HTTPError(.badRequest, message: "the body is not \(what): \(ReviewRoutes.describe(error))")
        }
    }

    static func describe(_ attempt: CycleJobAttempt, _ result: CycleJobResult?) -> String {
        switch attempt {
        case .succeeded: return result?.message ?? "done"
        case .busy: return "another process is running this job for this week right now; try again in a minute"
        case .alreadyDone: return "already done"
        case let .waitingToRetry(until): return "waiting to retry at \(DisplayFormat.instant(until))"
        case let .failed(error, attempts, _): return "failed (attempt \(attempts)): \(error)"
        }
    }

    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
