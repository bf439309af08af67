import Foundation
import Hummingbird
import Store
import StrandedCore
import Workflow

/// Parsing and answering helpers shared by the escalation pages and API.
extension EscalationRoutes {
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
