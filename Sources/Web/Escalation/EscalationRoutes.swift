import Foundation
import Hummingbird
import Store
import StrandedCore
import Workflow

/// Escalation: the Level 2 meeting (its index, a page per case, the whole
/// agenda for print) and its recording, the chief executive call's list and
/// decisions, the weekly scheduler's runs and the running configuration.
/// Pages work without JavaScript (POST, then 303 back to the case; a refused
/// recording shows the page again with the message, 422). JSON under `/api/level2`, `/api/ce`, `/api/cycle`, `/api/config`.
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
    let renderer: PageRenderer
    let configuration: CycleConfiguration
    let audit: AuditTrail
    /// What wards say could have prevented their patients' stays, for the agenda's top themes.
    let themes: ThemeService
    var now: @Sendable () -> Date = { Date() }

    init(dependencies: AppDependencies) {
        meetings = MeetingService(database: dependencies.database, policy: dependencies.policy)
        runner = CycleRunner(
            database: dependencies.database,
            configuration: dependencies.configuration,
            summaryBuilder: dependencies.summaryBuilder
        )
        renderer = dependencies.renderer
        configuration = dependencies.configuration
        audit = AuditTrail(database: dependencies.database)
        themes = ThemeService(database: dependencies.database, policy: dependencies.policy)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/level2", use: weeksPage)
        router.get("/level2/{week}", use: agendaPage)
        router.get("/level2/{week}/print", use: agendaPrintPage)
        router.get("/level2/{week}/versions/{version}", use: agendaVersionPage)
        router.get("/level2/{week}/cases/{caseID}", use: casePage)
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

    /// What the signed-in user may see: administrators and unscoped
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
}
