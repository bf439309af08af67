import Foundation
import Hummingbird
import Mustache
import NIOCore
import Store
import StrandedCore
import Workflow

/// The Level 1 ward review: `/api/wards/…` and `/api/forms/…` for
/// machines, `/wards` and `/forms` pages for people. The pages work without
/// JavaScript: POST, then 303 to the page; a refused save shows the page
/// again with the message beside each field (422) or both versions (409).
struct ReviewRoutes: Sendable {
    let service: ReviewService
    let renderer: PageRenderer
    /// The clock, replaceable in tests.
    var now: @Sendable () -> Date = { Date() }
    let pageCache = ReviewPageCache()
    let audit: AuditTrail
    /// The board rounds' days, for the counts beside each case and the form's week.
    let redDays: RedDayService
    /// The form's fixed pieces, rendered once for the configured policy.
    let fragments: ReviewFormFragments

    init(dependencies: AppDependencies) {
        service = ReviewService(database: dependencies.database, policy: dependencies.policy)
        audit = AuditTrail(database: dependencies.database)
        redDays = RedDayService(database: dependencies.database, policy: dependencies.policy)
        renderer = dependencies.renderer
        fragments = ReviewFormFragments(renderer: dependencies.renderer, policy: dependencies.policy)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/wards/{wardID}/weeks/{week}", use: apiWardWeek)
        router.get("/api/forms/{id}", use: apiForm)
        router.put("/api/forms/{id}", use: apiSave)
        router.post("/api/forms/{id}/complete", use: apiComplete)
        router.get("/wards", use: wardPicker)
        router.get("/wards/{wardID}", use: wardWeekPage)
        router.get("/wards/{wardID}/print", use: printPage)
        router.get("/forms/{id}", use: formPage)
        router.post("/forms/{id}", use: postForm)
    }

    // MARK: API

    struct WardWeekResponse: Encodable {
        let ward: WardInfo
        let week: ReviewWeek
        let deadline: Date
        let forms: [FormSummary]
    }

    struct FormSummary: Encodable {
        let id: Int64
        let caseID: Int64
        let patientKey: String
        let nhsNumber: String?
        let familyName: String?
        let givenName: String?
        let age: Int?
        let admissionDate: CalendarDate
        let lengthOfStay: Int
        let status: FormStatus
        let discharged: Bool
        let version: Int
        let lastReviewedAt: Date?
        let href: String

        init(_ form: Level1FormRecord) {
            id = form.id
            caseID = form.caseID
            patientKey = form.patientKey
            nhsNumber = form.nhsNumber
            familyName = form.familyName
            givenName = form.givenName
            age = form.age
            admissionDate = form.admissionDate
            lengthOfStay = form.lengthOfStay
            status = form.status
            discharged = form.discharged
            version = form.version
            lastReviewedAt = form.lastReviewedAt
            href = "/api/forms/\(form.id)"
        }
    }

    struct FormResponse: Encodable {
        let form: Level1FormRecord
        let deadline: Date
        /// Everything standing between the form and complete (empty when complete).
        let problems: [FormProblem]
    }

    /// `{"message": "…"}`, the shape of every API error (Schema/openapi.yaml).
    struct ErrorBody: Encodable {
        let message: String
    }

    struct ConflictResponse: Encodable {
        let error: ErrorBody
        let yours: Submitted
        let current: Level1FormRecord

        struct Submitted: Encodable {
            let version: Int?
            let review: Level1Review?
        }
    }

    struct IncompleteResponse: Encodable {
        let error: ErrorBody
        let problems: [FormProblem]
        let form: Level1FormRecord
    }

    struct SaveRequest: Decodable {
        let version: Int?
        let review: Level1Review?
    }

    /// Who is saving: the signed-in user's name, or the API token's. Never
    /// typed: a name typed into a form proves nothing about who saved it.
    static func author(_ context: AppRequestContext) -> String? { context.identity?.displayName }

    @Sendable func apiWardWeek(_ request: Request, context: AppRequestContext) async throws -> Response {
        let wardID = try context.parameters.require("wardID", as: Int64.self)
        let text = try context.parameters.require("week")
        let date = try CalendarDate.requested(text, field: "week", isoOnly: true)
        guard let week = ReviewWeek(monday: date) else {
            throw HTTPError(.badRequest, message: "week \(text) is not a Monday; weeks are keyed by their Monday (\(date.mondayOfWeek.iso))")
        }
        guard let ward = try await service.ward(id: wardID, scope: context.scope) else { throw HTTPError(.notFound, message: "no ward \(wardID)") }
        let forms = try await service.wardWeek(wardID: wardID, week: week, scope: context.scope)
        try await auditRead(ward: wardID, week: week)
        return try json(WardWeekResponse(ward: ward, week: week, deadline: service.deadline(of: week), forms: forms.map(FormSummary.init)))
    }

    @Sendable func apiForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await requireForm(context)
        try await auditRead(form)
        return try json(formResponse(form))
    }

    /// 200 with the saved form; 409 with both versions when `version` is stale.
    @Sendable func apiSave(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await decodeBody(request)
        guard let version = body.version else {
            throw HTTPError(.badRequest, message: "give the version of the form you edited (\"version\"): it stops two people overwriting each other")
        }
        guard let review = body.review else { throw HTTPError(.badRequest, message: "give the form's answers (\"review\")") }
        if let refused = try unacceptable(review) { return refused }
        switch try await service.saveDraft(id: id, version: version, review: review, by: Self.author(context), scope: context.scope) {
        case .notFound: throw HTTPError(.notFound, message: "no form \(id)")
        case let .conflict(current): return try json(conflict(current, version: version, review: review), status: .conflict)
        case let .saved(form): return try json(formResponse(form))
        }
    }

    /// 200 when complete; 422 with the problems (the review sent, if any, is
    /// saved as a draft first); 409 on a stale version.
    @Sendable func apiComplete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await decodeBody(request, allowEmpty: true)
        if body.review != nil, body.version == nil {
            throw HTTPError(.badRequest, message: "give the version of the form you edited (\"version\") with the answers")
        }
        if let review = body.review, let refused = try unacceptable(review) { return refused }
        switch try await service.complete(id: id, version: body.version, review: body.review, by: Self.author(context), scope: context.scope) {
        case .notFound: throw HTTPError(.notFound, message: "no form \(id)")
        case let .conflict(current): return try json(conflict(current, version: body.version, review: body.review), status: .conflict)
        case let .incomplete(form, problems):
            return try json(
                IncompleteResponse(
                    error: .init(message: "the form is not complete: \(problems.count) field\(problems.count == 1 ? "" : "s") to fill in or correct"),
                    problems: problems,
                    form: form
                ),
                status: .unprocessableContent
            )
        case let .completed(form): return try json(formResponse(form))
        }
    }

    /// 422 naming each field whose text cannot be stored (nothing is saved), or nil.
    private func unacceptable(_ review: Level1Review) throws -> Response? {
        let problems = review.unacceptableInput()
        guard let first = problems.first else { return nil }
        struct Body: Encodable {
            let error: ErrorBody
            let problems: [FormProblem]
        }
        let message =
            problems.count == 1
            ? first.message : "\(first.message) (and \(problems.count - 1) more field\(problems.count == 2 ? "" : "s") to correct)"
        return try json(Body(error: .init(message: message), problems: problems), status: .unprocessableContent)
    }

    private func formResponse(_ form: Level1FormRecord) -> FormResponse {
        FormResponse(
            form: form,
            deadline: service.due(of: form),
            problems: form.review.problems(taxonomy: service.policy.delayReasons)
                + form.review.themeProblems(taxonomy: service.policy.preventionThemes)
        )
    }

    private func conflict(_ current: Level1FormRecord, version: Int?, review: Level1Review?) -> ConflictResponse {
        ConflictResponse(
            error: .init(
                message:
                    "form \(current.id) was saved by \(current.updatedBy ?? "someone else") since you opened it (your version \(version.map(String.init) ?? "none"), now version \(current.version)); nothing was overwritten: merge your answers into the current version and save with version \(current.version)"
            ),
            yours: .init(version: version, review: review),
            current: current
        )
    }

    private func decodeBody(_ request: Request, allowEmpty: Bool = false) async throws -> SaveRequest {
        let buffer = try await request.body.collect(upTo: 1024 * 1024)
        if allowEmpty, buffer.readableBytes == 0 { return SaveRequest(version: nil, review: nil) }
        do {
            return try JSONDecoder().decode(SaveRequest.self, from: Data(String(buffer: buffer).utf8))
        } catch {
            throw HTTPError(.badRequest, message: "the body is not a form save: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.dataCorrupted(context), let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "at \(path): ") + context.debugDescription
        case let DecodingError.keyNotFound(key, context):
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            return "\(path) is missing"
        default:
            return "\(error)"
        }
    }

    // MARK: Pages

    @Sendable func wardPicker(_ request: Request, context: AppRequestContext) async throws -> Response {
        let week = try await requestedWeek(request)
        let page = WardPickerPage(
            week: week,
            deadline: service.deadline(of: week),
            wards: try await service.wards(week: week, scope: context.scope),
            weeks: try await service.weeks()
        )
        return try renderer.render("ward-picker", title: "Wards: Level 1 reviews", context: page)
    }

    @Sendable func wardWeekPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let wardID = try context.parameters.require("wardID", as: Int64.self)
        let week = try await requestedWeek(request)
        let now = now()
        // Scope first: a cached page is never a way round it. The scope
        // check, the audited read and the page's freshness stamp are one statement.
        guard let (ward, stamp) = try await service.wardForPage(id: wardID, week: week, scope: context.scope, audit: Self.wardRead(wardID, week))
        else { throw HTTPError(.notFound, message: "no ward \(wardID)") }
        // Per session too: the layout carries the signed-in user and their CSRF token.
        let key = ReviewPageCache.Key(
            wardID: wardID,
            week: week.monday.iso,
            minute: Int(now.timeIntervalSince1970 / 60),
            stamp: stamp,
            viewer: context.identity?.sessionHash ?? context.identity?.username ?? ""
        )
        let (service, redDays, renderer, scope) = (service, redDays, renderer, context.scope)
        let html = try await pageCache.page(key) {
            let forms = try await service.wardWeek(wardID: wardID, week: week, scope: scope)
            let page = WardWeekPage(
                ward: ward,
                week: week,
                forms: forms,
                redDays: try await redDays.counts(caseIDs: forms.map(\.caseID), week: week),
                deadline: service.deadline(of: week),
                now: now,
                thresholds: service.policy.thresholds,
                dueOf: service.due(of:)
            )
            guard let rendered = renderer.html("ward-week", title: "\(page.wardName): Level 1 reviews, \(week.label)", context: page) else {
                throw HTTPError(.internalServerError, message: "page template ward-week is missing")
            }
            return rendered
        }
        // Patient data: never kept by browsers or proxies.
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    @Sendable func printPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let wardID = try context.parameters.require("wardID", as: Int64.self)
        guard let ward = try await service.ward(id: wardID, scope: context.scope) else { throw HTTPError(.notFound, message: "no ward \(wardID)") }
        let week = try await requestedWeek(request)
        let forms = try await service.wardWeek(wardID: wardID, week: week, scope: context.scope)
        try await auditRead(ward: wardID, week: week, action: "print")
        let page = PrintPage(
            ward: ward,
            week: week,
            forms: forms,
            redDays: try await redDays.counts(caseIDs: forms.map(\.caseID), week: week),
            now: now(),
            policy: service.policy
        )
        return try renderer.render("ward-print", title: "Level 1 review forms: \(page.wardName), \(week.label)", context: page, noStore: true)
    }

    @Sendable func formPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        // The scope check, the audited read, the next form and the case's days: one statement.
        guard let (form, nextID, days) = try await service.formForPage(id: id, scope: context.scope) else {
            throw HTTPError(.notFound, message: "no form \(id)")
        }
        let notice: String? =
            switch request.uri.queryParameters["saved"].map(String.init) {
            case "draft"?: "Draft saved."
            case "complete"?: form.status == .escalated ? "Form complete: the case is escalated to Level 2." : "Form complete."
            default: nil
            }
        return try await renderForm(
            form,
            input: ReviewFormInput(review: form.review),
            version: form.version,
            problems: [],
            updatedBy: Self.author(context) ?? "",
            notice: notice,
            status: .ok,
            nextID: .some(nextID),
            days: days
        )
    }

    /// Save draft (`action=save`) or complete (`action=complete`).
    @Sendable func postForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.body.collect(upTo: 256 * 1024)
        let fields = PostedFields(String(buffer: body))
        let input = ReviewFormInput(posted: fields)
        let author = Self.author(context) ?? ""
        guard let version = Int(fields["version"]) else {
            throw HTTPError(.badRequest, message: "the form has no version; open it again from the ward list")
        }
        let completing = fields["action"] == "complete"
        let (review, unreadable) = input.review()
        if !unreadable.isEmpty {
            // Nothing saved: show what was typed with what could not be read.
            guard let form = try await service.form(id: id, scope: context.scope) else { throw HTTPError(.notFound, message: "no form \(id)") }
            return try await renderForm(
                form,
                input: input,
                version: version,
                problems: unreadable,
                updatedBy: author,
                notice: nil,
                status: .unprocessableContent
            )
        }
        if completing {
            switch try await service.complete(id: id, version: version, review: review, by: author, scope: context.scope) {
            case .notFound: throw HTTPError(.notFound, message: "no form \(id)")
            case let .conflict(current): return try renderConflict(current, input: input, version: version, updatedBy: author)
            case let .incomplete(saved, problems):
                return try await renderForm(
                    saved,
                    input: input,
                    version: saved.version,
                    problems: problems,
                    updatedBy: author,
                    notice: "Draft saved, but the form is not complete yet: see the messages below.",
                    status: .unprocessableContent
                )
            case .completed: return Self.seeOther("/forms/\(id)?saved=complete")
            }
        }
        switch try await service.saveDraft(id: id, version: version, review: review, by: author, scope: context.scope) {
        case .notFound: throw HTTPError(.notFound, message: "no form \(id)")
        case let .conflict(current): return try renderConflict(current, input: input, version: version, updatedBy: author)
        case .saved: return Self.seeOther("/forms/\(id)?saved=draft")
        }
    }

    private func renderForm(
        _ form: Level1FormRecord,
        input: ReviewFormInput,
        version: Int,
        problems: [FormProblem],
        updatedBy: String,
        notice: String?,
        status: HTTPResponse.Status,
        nextID known: Int64?? = nil,
        days knownDays: [RecordedDay]? = nil
    ) async throws -> Response {
        let nextID: Int64?
        if let known { nextID = known } else { nextID = try await service.nextToReview(wardID: form.wardID, week: form.week, excluding: form.id) }
        var days = knownDays ?? []
        if knownDays == nil { days = try await redDays.days(caseIDs: [form.caseID])[form.caseID] ?? [] }
        let page = FormPage(
            form: form,
            input: input,
            version: version,
            problems: problems,
            updatedBy: updatedBy,
            notice: notice,
            nextHref: nextID.map { "/forms/\($0)" },
            deadline: service.due(of: form),
            now: now(),
            policy: service.policy,
            fragments: fragments,
            weekDays: WeekDaysView(
                days: days,
                week: form.week,
                today: redDays.today(now: now()),
                wardID: form.wardID
            )
        )
        return try renderer.render("review-form", title: "Level 1 review: \(form.patientName)", context: page, status: status, noStore: true)
    }

    private func renderConflict(_ current: Level1FormRecord, input: ReviewFormInput, version: Int, updatedBy: String) throws -> Response {
        let page = ConflictPage(
            current: current,
            input: input,
            submittedVersion: version,
            updatedBy: updatedBy,
            deadline: service.due(of: current),
            now: now(),
            policy: service.policy,
            fragments: fragments
        )
        return try renderer.render(
            "review-conflict",
            title: "Someone else saved this form: \(current.patientName)",
            context: page,
            status: .conflict,
            noStore: true
        )
    }

    // MARK: Shared

    private func requireForm(_ context: AppRequestContext) async throws -> Level1FormRecord {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let form = try await service.form(id: id, scope: context.scope) else { throw HTTPError(.notFound, message: "no form \(id)") }
        return form
    }

    /// Reads of patient-identifiable pages are audited (DESIGN.md §7).
    private func auditRead(_ form: Level1FormRecord) async throws {
        try await audit.record(
            AuditEntry(
                action: "read",
                entityType: "level1_form",
                entityID: String(form.id),
                caseID: form.caseID,
                nhsNumber: form.nhsNumber
            )
        )
    }

    private func auditRead(ward: Int64, week: ReviewWeek, action: String = "read") async throws {
        try await audit.record(Self.wardRead(ward, week, action: action))
    }

    static func wardRead(_ ward: Int64, _ week: ReviewWeek, action: String = "read") -> AuditEntry {
        AuditEntry(action: action, entityType: "ward_week", entityID: "\(ward)/\(week.monday.iso)")
    }

    /// `?week=yyyy-mm-dd` (any day of the week), else the default week.
    private func requestedWeek(_ request: Request) async throws -> ReviewWeek {
        if let text = request.uri.queryParameters["week"].map(String.init), !text.isEmpty {
            return ReviewWeek.containing(try CalendarDate.requested(text, field: "week"))
        }
        return try await service.defaultWeek(now: now())
    }

    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

}
