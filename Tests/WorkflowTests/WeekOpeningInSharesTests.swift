import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport

@testable import Workflow

/// A week is opened in shares of its sites, side by side on connections of
/// their own (``Database/bulkConnections``): the forms, their drafts and the
/// discharged marks must be what one transaction over every site makes, and
/// openers that split the sites differently must not collide.
@Suite("Opening a week in shares of its sites")
struct WeekOpeningInSharesTests {
    static let siteCodes = (1...5).map { "S\($0)" }
    static let monday1 = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!
    static let monday2 = ReviewWeek(monday: CalendarDate(iso: "2026-11-23")!)!

    /// Four stranded patients a site (LoS 15 on the 16th), a fifth stranded
    /// only the week after (LoS 11 on the 23rd), when each site's first
    /// patient has gone home.
    ///
    /// `ward` puts every patient of `sites` on that ward instead of W0 and W1.
    static func list(week: Int, sites: ArraySlice<String> = siteCodes[...], ward: String? = nil) -> String {
        var text = "site_code,ward_code,nhs_number,admission_date,family_name,given_name,age,delay_reason\n"
        for (siteIndex, site) in siteCodes.enumerated() where sites.contains(site) {
            for patient in 0..<5 where !(week == 2 && patient == 0) {
                let admitted = patient == 4 ? "2026-11-12" : "2026-11-01"
                let wardCode = ward ?? "W\(patient % 2)"
                text += "\(site),\(wardCode),\(nhs(100 + siteIndex * 10 + patient)),\(admitted),Family\(patient),Given,80,care package at home\n"
            }
        }
        return text
    }

    /// Imports a list without opening its week.
    func importList(_ text: String, dated date: String, into database: Database) async throws {
        var importer = WardListImporter(database: database, policy: .standard)
        importer.opensReviewWeek = false
        let url = URL(fileURLWithPath: try makeScratchDirectory("shares")).appendingPathComponent("list-\(date).csv")
        try Data(text.utf8).write(to: url)
        let report = try await importer.importFile(
            at: url, source: .cli, displayName: "list-\(date).csv", snapshotDate: CalendarDate(iso: date), today: CalendarDate(iso: "2026-11-23")!
        )
        #expect(report.verdict == .accepted)
    }

    /// A database holding both weeks' lists, imported without opening their weeks.
    func importedYear(_ database: Database) async throws {
        try await SiteReferenceImporter(database: database).importCSV(
            "organisation_code,organisation_name,site_code,site_name,setting\n"
                + Self.siteCodes.map { "R9A,Northshire Hospitals,\($0),Site \($0),acute" }.joined(separator: "\n")
        )
        try await importList(Self.list(week: 1), dated: "2026-11-16", into: database)
        try await importList(Self.list(week: 2), dated: "2026-11-23", into: database)
    }

    /// The same database with another number of bulk connections.
    func sharing(_ database: Database, in connections: Int) -> Database {
        Database(client: database.client, migrator: database.migrator, bulkConnections: connections)
    }

    /// Each form as text: its site, ward, week, list line, draft and marks.
    func formsAsText(_ database: Database) async throws -> [String] {
        try await database.client.query(
            """
            SELECT concat_ws(' ', s.code, w.code, f.week_start, r.nhs_number, f.los, f.status, f.discharged, f.review::text) AS form
            FROM level1_form f JOIN ward w ON w.id = f.ward_id JOIN site s ON s.id = w.site_id
            JOIN list_row r ON r.import_id = f.source_import AND r.site_id = w.site_id AND r.line_no = f.source_line
            ORDER BY 1
            """
        ).map { try $0.decode("form") }
    }

    @Test func sharesOpenWhatOneTransactionOpens() async throws {
        try await TestCluster.withDatabase { whole in
            try await TestCluster.withDatabase { shared in
                try await importedYear(whole)
                try await importedYear(shared)
                for (database, connections) in [(whole, 1), (shared, 3)] {
                    let opener = WeekOpener(database: sharing(database, in: connections), policy: .standard)
                    // Each site's first patient left during week 1 (absent from
                    // the list of the 23rd, already imported): that form is marked.
                    #expect(try await opener.open(week: Self.monday1) == WeekOpening(created: 20, refreshed: 0, discharged: 5))
                    #expect(try await opener.open(week: Self.monday2) == WeekOpening(created: 20, refreshed: 0, discharged: 0))
                }
                let forms = try await formsAsText(whole)
                #expect(forms.count == 40)
                #expect(try await formsAsText(shared) == forms)
            }
        }
    }

    @Test func openersThatSplitTheSitesDifferentlyOpenEachFormOnce() async throws {
        try await TestCluster.withDatabase(poolSize: 8) { database in
            try await importedYear(database)
            let openings = try await withThrowingTaskGroup(of: WeekOpening.self) { group in
                for connections in [1, 2, 3, 5] {
                    group.addTask { try await WeekOpener(database: sharing(database, in: connections), policy: .standard).open(week: Self.monday1) }
                }
                return try await group.reduce(into: [WeekOpening]()) { $0.append($1) }
            }
            #expect(openings.map(\.created).reduce(0, +) == 20)
            let forms: Int = try await database.client.query("SELECT count(*)::int AS n FROM level1_form").first!.decode("n")
            #expect(forms == 20)
        }
    }

    @Test func aReplacedListMovesItsSitesFormsAndNoOthers() async throws {
        try await TestCluster.withDatabase { database in
            try await importedYear(database)
            let opener = WeekOpener(database: sharing(database, in: 2), policy: .standard)
            _ = try await opener.open(week: Self.monday1)
            let before = try await formsAsText(database)
            // S1's list of the 16th sent again, corrected: everyone on ward W9.
            try await importList(Self.list(week: 1, sites: ["S1"], ward: "W9"), dated: "2026-11-16", into: database)
            #expect(try await opener.open(week: Self.monday1) == WeekOpening(created: 0, refreshed: 4, discharged: 0))
            let after = try await formsAsText(database)
            let moved = after.filter { $0.hasPrefix("S1 W9 2026-11-16") }
            #expect(moved.count == 4)
            #expect(after.filter { !$0.hasPrefix("S1 ") } == before.filter { !$0.hasPrefix("S1 ") })
            #expect(try await opener.open(week: Self.monday1) == WeekOpening(created: 0, refreshed: 0, discharged: 0))
        }
    }
}
