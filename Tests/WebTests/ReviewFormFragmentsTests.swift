import Foundation
import Mustache
import StrandedCore
import Testing

@testable import Web

/// The form's fixed pieces are rendered ahead (``ReviewFormFragments``):
/// the form must come out exactly as rendering every piece on the page did.
@Suite("The form's fragments rendered ahead")
struct ReviewFormFragmentsTests {
    /// Posted forms, including made-up codes and values and text that needs escaping.
    static let posted = [
        "",
        "reason=nursing-home&reason=not-a-code%3Cx%3E&primary=not-a-code%3Cx%3E&q1_narrative=A%20%26%20B%20%3Cb%3E%22q%22%20'a'&action_rows=3"
            + "&a0_id=x&a0_description=Call%20%22them%22&a0_owner=OT&a0_agency=social-care&a0_due=2026-11-20&a0_done=1"
            + "&a1_description=d&a1_agency=bogus&a2_agency=nhs&edd=2026-12-01&pathway=2&q3_narrative=earlier%20referral%20to%20social%20care"
            + "&theme=early-referral&theme=zzz%3C&learning_theme=%3Cother%3E&reviewer_health=H&reviewer_social=S&outcome=escalate-to-level2&ask=help",
        "reason=therapy&pathway=9&a0_agency=&outcome=managed-at-ward",
    ]

    @Test func theFormIsWhatRenderingEachPieceGave() async throws {
        let renderer = try await PageRenderer()
        var library = renderer.library
        try library.register("{{#fields}}{{> review-fields}}{{/fields}}", named: "fields-only")
        let ahead = ReviewFormFragments(renderer: renderer, policy: .standard)
        let eachTime = ReviewFormFragments.renderedEachTime(renderer: renderer)
        let problems = [
            FormProblem(field: "q1.primary", message: "Choose the main reason.", kind: .missing),
            FormProblem(field: "q2.actions[0].owner", message: "Say who owns this action.", kind: .missing),
            FormProblem(field: "q3.themes[1]", message: "Not a theme.", kind: .invalid),
        ]
        var inputs = [ReviewFormInput(review: Level1Review()), ReviewFormInput(review: ReviewFormInputTests.review)]
        inputs += Self.posted.map { ReviewFormInput(posted: PostedFields($0)) }
        for input in inputs {
            for problems in [[], problems] {
                let html = [ahead, eachTime].map { fragments in
                    let view = ReviewFieldsView(
                        formID: 7,
                        version: 3,
                        input: input,
                        problems: problems,
                        updatedBy: "A <Nurse>",
                        taxonomy: .standard,
                        themes: .standard,
                        fragments: fragments
                    )
                    return library.render(["csrf": "token", "fields": MustacheFields.flatten(view)], withTemplate: "fields-only") ?? ""
                }
                #expect(html[0] == html[1])
                #expect(html[0].contains("<select id=\"q2-pathway\" name=\"pathway\"><option value=\"\""))
            }
        }
        // A made-up code is shown (escaped), as it was posted.
        let odd = ReviewFormInput(posted: PostedFields(Self.posted[1]))
        let view = ReviewFieldsView(
            formID: 7, version: 1, input: odd, problems: [], updatedBy: "", taxonomy: .standard, themes: .standard, fragments: ahead
        )
        #expect(view.reasonRows.rows.last?.contains("value=\"not-a-code&lt;x&gt;\" checked") == true)
        #expect(view.themePicker.themeRows.rows.last?.contains("zzz&lt; (not in the list of themes)") == true)
    }
}
