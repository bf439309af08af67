import Foundation
import Hummingbird
import Store
import StrandedCore
import Workflow

/// The weekly scheduler's job runs, as a page and as JSON, and running a job by hand.
extension EscalationRoutes {
    @Sendable func cyclePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Only known job ids make a notice: the query string is not echoed.
        let notice = request.uri.queryParameters["ran"].flatMap { CycleJob(rawValue: String($0)) }
            .map { "\($0.label): run. Its result is in the table below." }
        return try await renderCycle(request: request, message: nil, notice: notice, status: .ok)
    }

    func renderCycle(request: Request, message: String?, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let week =
            try request.uri.queryParameters["week"].map { try CalendarDate.requested(String($0), field: "week", isoOnly: true) }
            .map(ReviewWeek.containing) ?? ReviewWeek.containing(now())
        let page = CyclePage(runs: try await runner.runs(), configuration: configuration, now: now(), week: week, message: message, notice: notice)
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
            return try await renderCycle(
                request: request,
                message: "\(job.label) for \(week.label) is running in another process right now; try again in a minute.",
                notice: nil,
                status: .conflict
            )
        }
        // The outcome (success or the error) is in the job-run table the page shows.
        return Self.seeOther("/cycle?ran=\(job.rawValue)&week=\(week.monday.iso)")
    }

    @Sendable func apiCycle(_ request: Request, context: AppRequestContext) async throws -> Response {
        struct Body: Encodable {
            let configuration: String
            let nextDue: Date
            let nextJobs: [String]
            let runs: [CycleJobRunRecord]
            let failures: Int
        }
        let runs = try await runner.runs()
        let next = configuration.policy.timetable.nextDue(after: now())
        return try json(
            Body(
                configuration: configuration.source,
                nextDue: next.at,
                nextJobs: next.jobs.map(\.description),
                runs: runs,
                failures: runs.filter { $0.status == .failed }.count
            )
        )
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
        let (attempt, result) = try await runner.runRecorded(
            job,
            week: week,
            actor: actor(request, context),
            runnerID: CycleScheduler.defaultRunnerID
        )
        struct Body: Encodable {
            let job: String
            let week: ReviewWeek
            let status: String
            let message: String
            let escalation: EscalationRun?
            let agendaVersion: Int?
        }
        let status: (String, HTTPResponse.Status) =
            switch attempt {
            case .succeeded: ("succeeded", .ok)
            case .failed: ("failed", .internalServerError)
            case .busy: ("busy", .conflict)
            default: ("skipped", .ok)
            }
        return try json(
            Body(
                job: job.rawValue,
                week: week,
                status: status.0,
                message: Self.describe(attempt, result),
                escalation: result?.escalation,
                agendaVersion: result?.agendaVersion
            ),
            status: status.1
        )
    }
}
