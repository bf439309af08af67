import Hummingbird
import Store
import Workflow

/// Turns the plan layer's refusals into HTTP answers with their messages:
/// unknown things are 404, edits the rules refuse are 422, anything else
/// propagates (and is logged as a 500 without detail).
enum PlanHTTPErrors {
    static func map(_ error: any Error) -> any Error {
        switch error {
        case let error as PlanStoreError:
            switch error {
            case .noPlan, .unknownAction, .unknownSubAction, .unknownMetric, .unknownPriority:
                return HTTPError(.notFound, message: error.description)
            case .alreadyImported:
                return HTTPError(.conflict, message: error.description)
            case .invalidNote, .blankAuthor, .unknownPerson:
                return HTTPError(.unprocessableContent, message: error.description)
            }
        case let error as PlanEditError:
            return HTTPError(.unprocessableContent, message: error.description)
        default:
            return error
        }
    }

    /// Runs `body`, mapping plan errors to HTTP errors.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw map(error)
        }
    }

    /// The message to show beside a form field, when the error is one a user can fix.
    static func fieldMessage(_ error: any Error) -> String? {
        switch error {
        case let error as PlanStoreError:
            switch error {
            case .invalidNote, .blankAuthor, .unknownPerson, .unknownSubAction: return error.description
            default: return nil
            }
        case let error as PlanEditError: return error.description
        default: return nil
        }
    }
}
