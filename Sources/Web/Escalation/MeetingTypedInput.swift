import Foundation

/// What was typed into a meeting form that was refused (Level 2 decision,
/// agreed action, attendance; the chief executive call's decision), so the
/// page shown again keeps it, with the message beside that form.
struct MeetingTypedInput {
    enum Form { case decision, action, attendance, chiefExecutiveDecision }
    let form: Form
    /// The case the form was for; nil for attendance.
    let caseID: Int64?
    let fields: PostedFields
    let message: String

    /// The typed fields when they belong to `form` for `caseID`, else nil.
    func fields(for form: Form, caseID: Int64? = nil) -> PostedFields? {
        self.form == form && self.caseID == caseID ? fields : nil
    }
}
