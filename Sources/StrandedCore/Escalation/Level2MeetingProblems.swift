import Foundation

/// What is wrong with something recorded at the Level 2 meeting, in words
/// for the chair; nil when it can be recorded. (A decision's own check is
/// `Level2Decision.problem(decision:ask:)`.)
public enum Level2MeetingProblems {
    /// An agreed action needs a description and an owner (both trimmed).
    public static func agreedAction(description: String, owner: String) -> String? {
        if FormProblem.isBlank(description) { return "An agreed action needs a description: say what will be done." }
        if FormProblem.isBlank(owner) { return "An agreed action needs an owner: name the person or role who will do it." }
        return nil
    }

    /// An attendee needs a name.
    public static func attendee(name: String) -> String? {
        FormProblem.isBlank(name) ? "Give the attendee's name." : nil
    }
}
