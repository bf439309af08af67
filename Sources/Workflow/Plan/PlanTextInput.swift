import StrandedCore

/// The free-text inputs of plan edits, each with its name as the action
/// page labels it and its limit; checked before anything is written.
public enum PlanTextInput: String, Sendable, Hashable {
    case note, author, due, accountable, responsible

    public var field: FreeTextField {
        switch self {
        case .note: FreeTextField("Progress", .note)
        case .author: FreeTextField("Your name", .name)
        case .due: FreeTextField("Due", .name)
        case .accountable: FreeTextField("Accountable", .note)
        case .responsible: FreeTextField("Responsible", .note)
        }
    }

    /// Throws the first refusal among `inputs`.
    static func check(_ inputs: [(PlanTextInput, String?)]) throws(PlanEditError) {
        for (input, text) in inputs {
            if let message = input.field.problem(text) { throw .unacceptableText(field: input, message: message) }
        }
    }
}
