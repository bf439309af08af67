import Store
import StrandedCore

/// The free-text fields (and the one date) the Level 2 meeting and the
/// chief executive call record, named as their pages label them, each with its limit. Checked
/// before anything is written, so the page and the API refuse the same text
/// with the same message (422) instead of the database failing on it.
enum MeetingTextFields {
    static let ask = FreeTextField("Ask of the chief executive call", .note)
    static let notes = FreeTextField("Notes", .note)
    static let actionDescription = FreeTextField("What will be done", .note)
    static let actionOwner = FreeTextField("Owner", .name)
    static let attendeeName = FreeTextField("Name", .name)
    static let attendeeRole = FreeTextField("Role", .name)

    /// An agreed action's due date, within the accepted years.
    static func checkDue(_ date: CalendarDate) throws(MeetingRecordError) {
        guard !date.isAccepted else { return }
        do {
            _ = try CalendarDate.input(date.iso, field: "Due date")
        } catch {
            throw .invalid(error.message)
        }
    }

    /// Throws the first problem among `fields` (field and its text).
    static func check(_ fields: [(FreeTextField, String?)]) throws(MeetingRecordError) {
        for (field, text) in fields {
            if let problem = field.problem(text) { throw .invalid(problem) }
        }
    }
}
