import Foundation
import Mustache
import StrandedCore
import Testing

@testable import Store
@testable import Web

/// The form page's views and the layout's context build their Mustache
/// dictionaries by hand (``MustacheFieldsProvider``): the whole page must
/// come out byte for byte as rendering the reflected views did.
@Suite("The form page from its own Mustache fields")
struct FormPageFieldsTests {
    static func record(review: Level1Review, version: Int, name: String?) -> Level1FormRecord {
        let week = ReviewWeek.containing(CalendarDate(iso: "2026-11-18")!)
        return Level1FormRecord(
            id: 42, caseID: 157, week: week, wardID: 4, wardCode: "W<4>", wardName: name, siteCode: "S1",
            siteName: "St \"Synthetic\" & Co", snapshotDate: week.monday, lengthOfStay: 30, patientKey: "P1",
            nhsNumber: "9434765919", familyName: "O'Test <b>", givenName: "Ann & Co", dateOfBirth: nil, age: 81,
            admissionDate: CalendarDate(iso: "2026-10-19")!, review: review, prefill: review, status: .inProgress,
            discharged: version > 2, version: version, updatedAt: Date(timeIntervalSince1970: 1_795_000_000),
            updatedBy: version > 1 ? "A <Nurse>" : nil, completedAt: nil,
            openedAt: Date(timeIntervalSince1970: 1_794_900_000), lastReviewedAt: nil
        )
    }

    @Test func theFormPageIsWhatReflectionGave() async throws {
        let renderer = try await PageRenderer()
        let fragments = ReviewFormFragments(renderer: renderer, policy: .standard)
        let problems = [
            FormProblem(field: "q1.primary", message: "Choose the main reason.", kind: .missing),
            FormProblem(field: "q2.actions[0].owner", message: "Say who owns <this> action.", kind: .missing),
            FormProblem(field: "outcome.ask", message: "Say what Level 2 is asked.", kind: .missing),
        ]
        let cases: [(Level1FormRecord, [FormProblem], String?, String?)] = [
            (Self.record(review: Level1Review(), version: 1, name: nil), [], nil, nil),
            (Self.record(review: ReviewFormInputTests.review, version: 2, name: "Oak & Elm"), problems, "Draft saved.", "/forms/43"),
            (Self.record(review: ReviewFormInputTests.review, version: 3, name: "Oak"), [], "Form complete.", nil),
        ]
        for (form, problems, notice, next) in cases {
            let page = FormPage(
                form: form,
                input: ReviewFormInput(review: form.review),
                version: form.version,
                problems: problems,
                updatedBy: "A <Nurse>",
                notice: notice,
                nextHref: next,
                deadline: Date(timeIntervalSince1970: 1_795_100_000),
                now: Date(timeIntervalSince1970: 1_795_050_000),
                policy: .standard,
                fragments: fragments,
                weekDays: WeekDaysView(days: [], week: form.week, today: CalendarDate(iso: "2026-11-18")!, wardID: 4)
            )
            let signedIn = SignedInView(
                displayName: "A <Nurse>", username: "nurse", roles: "ward", csrfToken: "tok&en", isAdministrator: false,
                menu: NavigationMenu.all
            )
            let (built, reflected) = SignedInView.$current.withValue(signedIn) {
                let context = PageContext(title: "Level 1 review: \(form.patientName)", page: page)
                return (
                    renderer.library.render(MustacheFields.flatten(context), withTemplate: "review-form") ?? "",
                    renderer.library.render(MustacheFields.reflected(context), withTemplate: "review-form") ?? ""
                )
            }
            #expect(!built.isEmpty)
            #expect(built == reflected)
            #expect(built.contains("Signed in as A &lt;Nurse&gt;"))
        }
    }
}
