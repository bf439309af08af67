import Foundation
import StrandedCore
import Testing

@testable import Web

/// The form's views build their Mustache dictionaries by hand; they must
/// mean exactly what reflecting them meant, or a template would lose a value.
@Suite("Views that build their own Mustache fields")
struct MustacheFieldsProviderTests {
    @Test func theFormFieldsAreWhatReflectionGave() async throws {
        let fragments = ReviewFormFragments(renderer: try await PageRenderer(), policy: .standard)
        let blank = ReviewFormInput(review: Level1Review())
        let filled = ReviewFormInput(review: ReviewFormInputTests.review)
        let problems = [
            FormProblem(field: "q1.primary", message: "Choose the main reason.", kind: .missing),
            FormProblem(field: "q2.actions[0].owner", message: "Say who owns this action.", kind: .missing),
            FormProblem(field: "q3.themes[1]", message: "Not a theme.", kind: .invalid),
            FormProblem(field: "outcome.ask", message: "Say what Level 2 is asked.", kind: .missing),
        ]
        for (input, problems) in [(blank, []), (filled, problems), (blank, problems)] {
            var view = ReviewFieldsView(
                formID: 7,
                version: 3,
                input: input,
                problems: problems,
                updatedBy: "A Nurse",
                taxonomy: .standard,
                themes: .standard,
                fragments: fragments
            )
            #expect(Self.text(MustacheFields.flatten(view)) == Self.text(MustacheFields.reflected(view)))
            view.weekDays = WeekDaysView(days: [], week: ReviewWeek.containing(CalendarDate(iso: "2026-11-18")!),
                                         today: CalendarDate(iso: "2026-11-18")!, wardID: 4)
            #expect(Self.text(MustacheFields.flatten(view)) == Self.text(MustacheFields.reflected(view)))
        }
        #expect(Self.text(MustacheFields.flatten(LoSBadge.badges(30, thresholds: .standard)))
            == Self.text(MustacheFields.reflected(LoSBadge.badges(30, thresholds: .standard))))
    }

    /// A flattened value as text with its dictionaries' keys in order; a
    /// key that is false is left out, as an absent one is: a section renders
    /// both alike (a field's message is false rather than absent, so its
    /// look-up stops there instead of climbing the context stack).
    static func text(_ value: Any) -> String {
        switch value {
        case let fields as [String: Any]:
            let present = fields.keys.filter { (fields[$0] as? Bool) != false }.sorted()
            return "{" + present.map { "\($0): \(text(fields[$0]!))" }.joined(separator: ", ") + "}"
        case let items as [Any]:
            return "[" + items.map(text).joined(separator: ", ") + "]"
        default:
            return "\(type(of: value))(\(value))"
        }
    }
}
