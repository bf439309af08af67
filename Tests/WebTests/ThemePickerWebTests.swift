import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import StrandedCore
import TestSupport
import Testing
import Web
import Workflow

@Suite("The prevention-theme picker on the Level 1 form")
struct ThemePickerWebTests {
    @Test func themesAreTickedSavedSuggestedAndCheckedAtCompletion() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let forms = try await ReviewService(database: database, policy: .standard).wardWeek(
                wardID: fixture.wardID,
                week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!
            )
            let form = forms[0]
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                try await client.execute(uri: "/forms/\(form.id)", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("Prevention themes"))
                    #expect(html.contains("<label for=\"theme-0\" class=\"inline-label\">Therapy assessment late"))
                    #expect(html.contains("name=\"theme\" value=\"housing\""))
                    #expect(html.contains("<label for=\"q3-learningTheme\">Other theme"))
                    #expect(!html.contains("(suggested)"))
                }
                let draft =
                    "version=1&action=save&action_rows=0&q3_narrative=Physio+on+day+one%3B+earlier+social+worker+referral"
                    + "&theme=late-social-care-assessment&learning_theme=Weekend+discharges"
                try await client.execute(
                    uri: "/forms/\(form.id)",
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: draft)
                ) { response in
                    #expect(response.status == .seeOther)
                }
                let saved = try #require(try await ReviewService(database: database, policy: .standard).form(id: form.id))
                #expect(saved.review.q3.themes == ["late-social-care-assessment"])
                #expect(saved.review.q3.learningTheme == "Weekend discharges")
                try await client.execute(uri: "/forms/\(form.id)", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("value=\"late-social-care-assessment\" checked"))
                    #expect(!html.contains("value=\"late-therapy-assessment\" checked"))
                    // Suggested from the saved answer, not ticked for the ward.
                    #expect(html.contains("Therapy assessment late <strong class=\"suggested\">(suggested)</strong>"))
                    #expect(html.contains("Social care assessment requested late <strong class=\"suggested\">(suggested)</strong>"))
                    #expect(!html.contains("Housing <strong class=\"suggested\">"))
                    #expect(html.contains("value=\"Weekend discharges\""))
                }
                // A theme not in the configured list cannot complete the form: 422 naming it, beside the picker.
                let unknown = "version=2&action=complete&action_rows=0&q3_narrative=x&theme=made-up"
                try await client.execute(
                    uri: "/forms/\(form.id)",
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: unknown)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let html = String(buffer: response.body)
                    #expect(html.contains("id=\"q3-themes-error\""))
                    #expect(html.contains("Prevention theme 1 (&quot;made-up&quot;) is not in the list of themes"))
                    #expect(html.contains("href=\"#q3-themes\""))
                    #expect(html.contains("made-up (not in the list of themes)"))
                }
            }
        }
    }
}
