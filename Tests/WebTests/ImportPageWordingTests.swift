import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Store
import StrandedCore
import TestSupport
import Testing
import Workflow

@testable import Web

/// What a data clerk reads on the import pages: counts that say what
/// happened, the page's own terms, and the file format as a page.
@Suite("Import pages in a data clerk's terms")
struct ImportPageWordingTests {
    static func upload(_ client: some TestClientProtocol, csv: String, snapshotDate: String?, fileName: String = "week.csv") async throws -> String {
        var parts: [(name: String, fileName: String?, content: String)] = []
        if let snapshotDate { parts.append(("snapshot_date", nil, snapshotDate)) }
        parts.append(("file", fileName, csv))
        var location = ""
        try await client.execute(
            uri: "/imports",
            method: .post,
            headers: [.contentType: "multipart/form-data; boundary=XyZ123"],
            body: ByteBuffer(string: ImportAPITests.multipart(parts))
        ) { response in
            #expect(response.status == .seeOther)
            location = response.headers[.location] ?? ""
        }
        return location
    }

    @Test func aRejectedUploadSaysNothingWasImportedInThePagesTerms() async throws {
        try await TestCluster.withDatabase { database in
            let app = try await ImportAPITests.app(database, spool: try makeScratchDirectory("uploads"))
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            // One bad row in two: over the 5% threshold, so the whole file is rejected.
            let csv = "site_code,ward_code,nhs_number,admission_date\nACU1,W1,9990000018,2026-11-01\nR9Z99,W1,9990000026,2026-11-10\n"
            try await app.test(.router) { raw in
                let client = clerk.client(raw)
                let location = try await Self.upload(client, csv: csv, snapshotDate: "2026-11-16")
                try await client.execute(uri: location, method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("nothing was imported"))
                    #expect(html.contains("2 data rows read, 1 with errors: nothing imported"))
                    #expect(!html.contains("1 imported"))
                    #expect(html.contains("uploaded on this page"))
                    #expect(!html.contains("via api"))
                    #expect(html.contains("ask an administrator to register the site"))
                    #expect(!html.contains("stranded sites add"))
                    #expect(html.contains("16 Nov 2026"))
                    #expect(html.contains("href=\"/imports/format"))
                }
                try await client.execute(uri: "/imports", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("uploaded on this page"))
                    #expect(html.contains("href=\"/imports/format\""))
                }
                // No snapshot date anywhere: the message names the page's box.
                let undated = try await Self.upload(client, csv: ImportAPITests.good, snapshotDate: nil, fileName: "undated.csv")
                try await client.execute(uri: undated, method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("Snapshot date"))
                    #expect(!html.contains("--snapshot-date"))
                    #expect(!html.contains("query parameter"))
                }
            }
        }
    }

    @Test func operatorWordingFromOtherWaysInIsTranslatedOnThePage() {
        let message = ImportPageMessages.message(
            "no snapshot date: add a snapshot_date column, or give the date with the import (--snapshot-date yyyy-mm-dd, ?snapshot_date= on the API, or a yyyy-mm-dd in the inbox file name)"
        )
        #expect(message.text.contains("“Snapshot date” box"))
        #expect(!message.text.contains("--snapshot-date"))
        let header = ImportPageMessages.message("the header lacks admission_date (Schema/ward-list.md §2). Nothing was imported.")
        #expect(header.text == "the header lacks admission_date (the file format, section 2). Nothing was imported.")
        #expect(header.formatLink == "/imports/format#2-columns")
        #expect(
            ImportCounts.outcome(verdict: "rejected", dataRows: 5, importedRows: 4, invalidRows: 1)
                == "5 data rows read, 1 with errors: nothing imported"
        )
    }

    @Test func theFileFormatIsAPageOfTheService() async throws {
        try await TestCluster.withDatabase { database in
            let clerk = try await SignedIn.create(database, roles: [RoleGrant(.data)])
            try await AuthSessionTests.app(database).test(.router) { raw in
                try await clerk.client(raw).execute(uri: "/imports/format", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(html.contains("<h1>Ward list file format</h1>"))
                    #expect(html.contains("<h2 id=\"2-columns\">2. Columns</h2>"))
                    #expect(html.contains("<th scope=\"col\">column</th>"))
                    #expect(html.contains("<td><code>site_code</code></td>"))
                    #expect(html.contains("<ol>"))
                    #expect(html.contains("<pre><code"))
                    #expect(!html.contains("| rule |"))
                }
            }
        }
    }

    @Test func markdownIsEscapedAndItsBlocksRendered() {
        let html = MarkdownHTML.render(
            """
            # Title

            Some *stress* and **bold** <script> with `a|b`.

            | a | b |
            |---|---|
            | `x\\|y` | [link](/imports) |

            - one
              continued
            - two

            ```
            <raw>
            ```
            """
        )
        #expect(html.contains("<h2 id=\"title\">Title</h2>"))
        #expect(html.contains("<p>Some <em>stress</em> and <strong>bold</strong> &lt;script&gt; with <code>a|b</code>.</p>"))
        #expect(html.contains("<td><code>x|y</code></td><td><a href=\"/imports\">link</a></td>"))
        #expect(html.contains("<li>one continued</li>"))
        #expect(html.contains("<pre><code>&lt;raw&gt;</code></pre>"))
    }

    @Test func aWardRoleMustNameASiteAndWardThatExist() async throws {
        try await TestCluster.withDatabase { database in
            _ = try await ReviewWebFixture(database: database)
            let admin = try await SignedIn.create(database, roles: [RoleGrant(.administrator)])
            try await AuthSessionTests.app(database).test(.router) { raw in
                let client = admin.client(raw)
                func add(_ name: String, _ roles: String) async throws -> (HTTPResponse.Status, String) {
                    var result: (HTTPResponse.Status, String) = (.ok, "")
                    let body = "username=\(name)&display_name=Sister&roles=\(roles)&password=correct-horse-battery&_csrf=\(admin.csrf)"
                    try await client.execute(
                        uri: "/admin/users",
                        method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: body)
                    ) { response in
                        result = (response.status, String(buffer: response.body))
                    }
                    return result
                }
                let (wardStatus, wardPage) = try await add("sister1", "ward:ACU1/W99")
                #expect(wardStatus == .unprocessableContent)
                #expect(wardPage.contains("Roles: ward:ACU1/W99 names ward W99, which site ACU1 does not have"))
                let (siteStatus, sitePage) = try await add("sister2", "ward:R9A01/W1")
                #expect(siteStatus == .unprocessableContent)
                #expect(sitePage.contains("names site R9A01, which is not registered"))
                let (okStatus, _) = try await add("sister3", "ward:ACU1/W1")
                #expect(okStatus == .seeOther)
            }
        }
    }
}
