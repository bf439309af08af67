import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Store
import TestSupport
import Testing
import Web

/// Dates in paths and query strings outside 1900–2100 (or no dates at all)
/// are a 400 naming the field, never a 500.
@Suite("Out-of-range dates in paths and query strings")
struct QueryDateRangeTests {
    @Test(arguments: [
        ("/admin/audit?from=0001-01-01", "from \"0001-01-01\" is outside the years 1900–2100"),
        ("/admin/audit?to=2101-01-01", "to \"2101-01-01\" is outside the years 1900–2100"),
        ("/admin/audit.csv?from=-0001-01-01", "from \"-0001-01-01\" is not a date"),
        ("/trends?to=0001-01-01", "to \"0001-01-01\" is outside the years 1900–2100"),
        ("/api/trends?from=1899-12-31", "from \"1899-12-31\" is outside the years 1900–2100"),
        ("/wards?week=0001-01-01", "week \"0001-01-01\" is outside the years 1900–2100"),
        ("/level2/0001-01-01", "week \"0001-01-01\" is outside the years 1900–2100"),
        ("/api/ce/2101-01-03", "week \"2101-01-03\" is outside the years 1900–2100"),
        ("/cycle?week=0001-01-01", "week \"0001-01-01\" is outside the years 1900–2100"),
        ("/summary/0001-01-01", "week \"0001-01-01\" is outside the years 1900–2100"),
    ])
    func isA400NamingTheField(_ uri: String, _ message: String) async throws {
        try await TestCluster.withDatabase { database in
            let admin = try await SignedIn.create(database, roles: [RoleGrant(.administrator)])
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: .init(label: "test")
            )
            try await app.test(.router) { raw in
                let response = try await HostileInput.get(admin.client(raw), uri)
                #expect(response.status == .badRequest)
                // Pages escape quotes for HTML, API answers for JSON: compare the text itself.
                let body = String(buffer: response.body).replacingOccurrences(of: "&quot;", with: "\"")
                    .replacingOccurrences(of: "\\\"", with: "\"")
                #expect(body.contains(message))
            }
        }
    }
}
