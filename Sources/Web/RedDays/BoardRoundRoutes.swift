import Foundation
import Hummingbird
import Store
import StrandedCore
import Workflow

/// The daily board round: `/wards/{id}/days/{date}` for people (no
/// JavaScript needed: POST, then 303 back to the page; a refused round comes
/// back 422 with each message beside its row and everything typed kept) and
/// `PUT /api/wards/{id}/days/{date}` for electronic whiteboards.
struct BoardRoundRoutes: Sendable {
    let service: RedDayService
    let renderer: PageRenderer
    let audit: AuditTrail
    /// The clock, replaceable in tests.
    var now: @Sendable () -> Date = { Date() }

    init(dependencies: AppDependencies) {
        service = RedDayService(database: dependencies.database, policy: dependencies.policy)
        renderer = dependencies.renderer
        audit = AuditTrail(database: dependencies.database)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/wards/{wardID}/days", use: todayPage)
        router.get("/wards/{wardID}/days/{date}", use: page)
        router.post("/wards/{wardID}/days/{date}", use: post)
        router.get("/api/wards/{wardID}/days/{date}", use: apiRead)
        router.put("/api/wards/{wardID}/days/{date}", use: apiPut)
    }

    // MARK: Pages

    @Sendable func todayPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ward = try await requireWard(context)
        return Response(status: .seeOther, headers: [.location: "/wards/\(ward.id)/days/\(service.today(now: now()).iso)"])
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ward = try await requireWard(context)
        let date = try requireDate(context)
        let q = request.uri.queryParameters
        var notice: String?
        if let recorded = q["recorded"].flatMap({ Int(String($0)) }), let corrected = q["corrected"].flatMap({ Int(String($0)) }) {
            notice = "Board round saved: \(recorded) day\(recorded == 1 ? "" : "s") recorded, \(corrected) corrected."
        }
        return try await render(ward: ward, date: date, typed: nil, rowErrors: [:], dateError: nil, notice: notice, status: .ok)
    }

    @Sendable func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ward = try await requireWard(context)
        let date = try requireDate(context)
        let body = try await request.body.collect(upTo: 512 * 1024)
        let fields = PostedFields(String(buffer: body))
        // Rows by index until the first missing one; a row left unmarked is skipped.
        var typed: [String: BoardRoundTyped] = [:]
        var order: [String] = []
        var index = 0
        while index < 2000, case let token = fields["p\(index)"], !token.isEmpty {
            let entry = BoardRoundTyped(status: fields["s\(index)"], reason: fields["r\(index)"])
            typed[token] = entry
            order.append(token)
            index += 1
        }
        let marked = order.filter { !(typed[$0]!.status.isEmpty && typed[$0]!.reason.isEmpty) }
        let entries = marked.map { token -> DayEntryInput in
            let entry = typed[token]!
            return DayEntryInput(target: Self.stay(token), status: entry.status, reason: entry.reason)
        }
        switch try await service.record(
            ward: ward,
            date: date,
            entries: entries,
            source: .page,
            by: context.identity?.displayName ?? "ward",
            now: now()
        ) {
        case let .recorded(result):
            return Response(
                status: .seeOther,
                headers: [.location: "/wards/\(ward.id)/days/\(date.iso)?recorded=\(result.recorded)&corrected=\(result.corrected)"]
            )
        case let .refused(dateProblem, rows):
            var rowErrors: [String: String] = [:]
            for problem in rows { rowErrors[marked[problem.index]] = problem.message }
            return try await render(
                ward: ward,
                date: date,
                typed: typed,
                rowErrors: rowErrors,
                dateError: dateProblem?.message,
                notice: nil,
                status: .unprocessableContent
            )
        }
    }

    private func render(
        ward: BoardRoundWard,
        date: CalendarDate,
        typed: [String: BoardRoundTyped]?,
        rowErrors: [String: String],
        dateError: String?,
        notice: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let patients = try await service.patients(ward: ward, date: date)
        try await auditRead(ward: ward, date: date)
        let page = BoardRoundPage(
            ward: ward,
            date: date,
            today: service.today(now: now()),
            patients: patients,
            policy: service.policy.redDays,
            typed: typed,
            rowErrors: rowErrors,
            dateError: dateError,
            notice: notice
        )
        return try renderer.render("board-round", title: "\(page.wardName): board round", context: page, status: status, noStore: true)
    }

    /// A row's hidden token back into the stay it names; nil (refused as "name the patient") when mangled.
    static func stay(_ token: String) -> DayTarget? {
        let parts = token.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let admission = CalendarDate(iso: parts[1]) else { return nil }
        return .stay(patientKey: String(parts[0]), admissionDate: admission)
    }

    // MARK: API

    struct APIEntry: Decodable {
        let caseReference: String?
        let nhsNumber: String?
        let localPatientId: String?
        let status: String?
        let reason: String?

        var target: DayTarget? {
            if let caseReference { return CaseReference(parsing: caseReference).map(DayTarget.caseReference) }
            if let nhsNumber { return .nhsNumber(nhsNumber) }
            if let localPatientId { return .localPatientID(localPatientId) }
            return nil
        }
    }

    struct APIDay: Encodable {
        let caseReference: String?
        let nhsNumber: String?
        let localPatientId: String?
        let admissionDate: CalendarDate
        let lengthOfStay: Int
        let status: DayStatus?
        let reason: String?
        let redDays: RedDayCounts
    }

    struct APIRefusal: Encodable {
        let error: APIError.Body
        let problems: [DayEntryRowProblem]
    }

    @Sendable func apiRead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ward = try await requireWard(context)
        let date = try requireDate(context)
        let patients = try await service.patients(ward: ward, date: date)
        try await auditRead(ward: ward, date: date)
        let week = ReviewWeek.containing(date)
        return try json(
            patients.map { p in
                APIDay(
                    caseReference: p.caseID.map { CaseReference(caseID: $0).description },
                    nhsNumber: p.nhsNumber,
                    localPatientId: p.localPatientID,
                    admissionDate: p.admissionDate,
                    lengthOfStay: p.lengthOfStay,
                    status: p.day(on: date)?.status,
                    reason: p.day(on: date)?.reason,
                    redDays: RedDayCounts(days: p.days, week: week)
                )
            }
        )
    }

    /// 200 with what changed; 422 naming each refused entry by position and field (nothing stored).
    @Sendable func apiPut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ward = try await requireWard(context)
        let date = try requireDate(context)
        let buffer = try await request.body.collect(upTo: 8 * 1024 * 1024)
        let entries: [APIEntry]
        do {
            entries = try JSONDecoder().decode([APIEntry].self, from: Data(String(buffer: buffer).utf8))
        } catch {
            throw HTTPError(
                .badRequest,
                message:
                    "the body is not a list of days: send a JSON array of {\"caseReference\" or \"nhsNumber\" or \"localPatientId\", \"status\": \"red\" or \"green\", \"reason\"} (\(ReviewRoutes.describe(error)))"
            )
        }
        switch try await service.record(
            ward: ward,
            date: date,
            entries: entries.map { DayEntryInput(target: $0.target, status: $0.status, reason: $0.reason) },
            source: .api,
            by: context.identity?.displayName ?? "api",
            now: now()
        ) {
        case let .recorded(result): return try json(result)
        case let .refused(dateProblem?, _):
            return try json(
                APIRefusal(
                    error: .init(message: dateProblem.message),
                    problems: [DayEntryRowProblem(index: -1, field: "date", message: dateProblem.message)]
                ),
                status: .unprocessableContent
            )
        case let .refused(nil, rows):
            let first = rows.first.map { "entry \($0.index + 1), \($0.field): \($0.message)" } ?? "the days were refused"
            let more = rows.count > 1 ? " (and \(rows.count - 1) more)" : ""
            return try json(APIRefusal(error: .init(message: "nothing was recorded: " + first + more), problems: rows), status: .unprocessableContent)
        }
    }

    // MARK: Shared

    private func requireWard(_ context: AppRequestContext) async throws -> BoardRoundWard {
        let wardID = try context.parameters.require("wardID", as: Int64.self)
        guard let ward = try await service.ward(id: wardID, scope: context.scope) else { throw HTTPError(.notFound, message: "no ward \(wardID)") }
        return ward
    }

    private func requireDate(_ context: AppRequestContext) throws -> CalendarDate {
        try CalendarDate.requested(try context.parameters.require("date"), field: "date", isoOnly: true)
    }

    /// Reads of patient-identifiable pages are audited (DESIGN.md §7).
    private func auditRead(ward: BoardRoundWard, date: CalendarDate) async throws {
        try await audit.record(AuditEntry(action: "read", entityType: "board_round", entityID: "\(ward.id)/\(date.iso)"))
    }
}
