import Foundation

extension Level1Review {
    /// Values that cannot be kept, whatever the form's state: free text with
    /// control characters (NUL included) or over the field's limit, and
    /// dates outside ``CalendarDate/acceptedYears``. Unlike
    /// ``problems(taxonomy:)`` these stop a draft being saved too, because
    /// the database cannot hold them or the pages showing them would swell.
    /// Field keys are the JSON paths of ``FormProblem``; the messages name the
    /// fields as the form labels them.
    public func unacceptableInput() -> [FormProblem] {
        var fields: [(key: String, field: FreeTextField, text: String?)] = q1.reasons.enumerated().map { index, entry in
            ("q1.reasons[\(index)].code", FreeTextField("Delay reason \(index + 1)", .code), entry.code.rawValue)
        }
        fields.append(("q1.narrative", FreeTextField("Why this patient needs to remain in hospital", .note), q1.narrative))
        for (index, action) in q2.actions.enumerated() {
            fields.append(("q2.actions[\(index)].description", FreeTextField("Action \(index + 1): what is being done", .note), action.description))
            fields.append(("q2.actions[\(index)].owner", FreeTextField("Action \(index + 1): by whom", .name), action.owner))
        }
        fields += [
            ("q3.narrative", FreeTextField("What could have been done", .note), q3.narrative),
            ("q3.learningTheme", FreeTextField("Learning theme", .name), q3.learningTheme),
            ("reviewers.health", FreeTextField("Health reviewer", .name), reviewers.health),
            ("reviewers.socialCare", FreeTextField("Social care reviewer", .name), reviewers.socialCare),
        ]
        if case let .escalateToLevel2(ask)? = outcome {
            fields.append(("outcome.ask", FreeTextField("What the ward needs from the Level 2 meeting", .note), ask))
        }
        var problems = fields.compactMap { key, field, text in field.problem(text).map { FormProblem(field: key, message: $0, kind: .invalid) } }
        var dates: [(key: String, name: String, date: CalendarDate?)] = q2.actions.enumerated().map { index, action in
            ("q2.actions[\(index)].dueDate", "Action \(index + 1): due by", action.dueDate)
        }
        dates.append(("q2.expectedDischargeDate", "The expected discharge date", q2.expectedDischargeDate))
        for (key, name, date) in dates {
            guard let date, !date.isAccepted else { continue }
            do {
                _ = try CalendarDate.input(date.iso, field: name)
            } catch {
                problems.append(FormProblem(field: key, message: error.message, kind: .invalid))
            }
        }
        return problems
    }
}
