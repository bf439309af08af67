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

@Suite("The prevention themes page and its export")
struct ThemesPageWebTests {
    @Test func countsShowByWeekAndAgencyExportAsCSVAndBadParametersAre400() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let service = ReviewService(database: database, policy: .standard)
            let forms = try await service.wardWeek(wardID: fixture.wardID, week: ReviewWeek(monday: CalendarDate(iso: ReviewWebFixture.week)!)!)
            for (index, form) in forms.enumerated() {
                var review = form.review
                review.q3 = .init(narrative: "x", themes: index == 0 ? ["housing", "transport"] : ["transport"])
                _ = try await service.saveDraft(id: form.id, version: form.version, review: review, by: "Nurse")
            }
            let viewer = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            try await fixture.app().test(.router) { raw in
                let client = viewer.client(raw)
                try await client.execute(uri: "/themes?from=2026-11-16&to=2026-11-22", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(
                        html.contains(
                            "<th scope=\"row\"><a href=\"/themes/transport\">Transport</a></th><td>NHS</td><td>3</td><td><strong>3</strong></td>"
                        )
                    )
                    #expect(html.contains("<th scope=\"row\"><a href=\"/themes/housing\">Housing</a></th><td>Other</td><td>1</td>"))
                    #expect(html.contains("href=\"/themes/export.csv?from=2026-11-16&amp;to=2026-11-16\""))
                }
                try await client.execute(uri: "/themes?from=2026-11-16&to=2026-11-16&by=agency", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("<th scope=\"col\">NHS</th>"))
                    #expect(
                        html.contains("<th scope=\"row\">All themes</th><td></td><td>3</td><td>0</td><td>0</td><td>1</td><td><strong>4</strong></td>")
                    )
                }
                try await client.execute(uri: "/themes/export.csv?from=2026-11-16&to=2026-11-16", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                    let csv = String(buffer: response.body)
                    #expect(csv.hasPrefix("week,site_code,site_name,ward_code,ward_name,agency,theme_code,theme_label,cases\r\n"))
                    #expect(csv.contains("2026-11-16,ACU1,Northshire General,W1,Ward One,nhs,transport,Transport,3\r\n"))
                }
                try await client.execute(uri: "/themes?from=yesterday&by=site", method: .get) { response in
                    #expect(response.status == .badRequest)
                    let html = String(buffer: response.body)
                    #expect(html.contains("from &quot;yesterday&quot; is not a date"))
                    #expect(html.contains("value=\"yesterday\""))
                }
                try await client.execute(uri: "/themes?by=colour", method: .get) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("choose week, site, ward or agency"))
                }
                try await client.execute(uri: "/themes/export.csv?to=2026-01-01&from=2026-11-16", method: .get) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("is after to"))
                }
            }
        }
    }
}
