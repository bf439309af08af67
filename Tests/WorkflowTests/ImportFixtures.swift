import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import WardListImport
import Workflow

/// Small helpers for import tests: a registered system and files on disk.
struct ImportFixture {
    let database: Database
    let importer: WardListImporter
    let directory: String
    static let today = CalendarDate(iso: "2026-11-23")!

    init(database: Database, policy: StrandedPolicy = .standard) async throws {
        self.database = database
        importer = WardListImporter(database: database, policy: policy)
        directory = try makeScratchDirectory("import")
        try await SiteReferenceImporter(database: database).importCSV(
            """
            organisation_code,organisation_name,site_code,site_name,setting
            R9A,Northshire Hospitals,ACU1,Northshire General,acute
            R9B,Northshire Community,COM1,Riverside Community Hospital,community
            """
        )
    }

    /// Writes `text` to a file and imports it.
    func importText(_ text: String, name: String = "list.csv", snapshotDate: String? = nil, source: ImportSource = .cli) async throws -> ImportReport
    {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(UUID().uuidString + "-" + name)
        try Data(text.utf8).write(to: url)
        let report = try await importer.importFile(
            at: url,
            source: source,
            displayName: name,
            snapshotDate: snapshotDate.flatMap { CalendarDate(iso: $0) },
            today: Self.today
        )
        try await database.listsArrivedOnTime()
        return report
    }

    /// Writes `bytes` to a file and imports it.
    func importBytes(_ bytes: [UInt8], name: String = "list.csv", snapshotDate: String? = "2026-11-16") async throws -> ImportReport {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(UUID().uuidString + "-" + name)
        try Data(bytes).write(to: url)
        let report = try await importer.importFile(
            at: url,
            source: .cli,
            displayName: name,
            snapshotDate: snapshotDate.flatMap { CalendarDate(iso: $0) },
            today: Self.today
        )
        try await database.listsArrivedOnTime()
        return report
    }

    func scalar(_ sql: String) async throws -> Int {
        try await database.client.query(.init(unsafeSQL: sql))[0].decode("n")
    }
}

/// Valid synthetic NHS numbers (999 range) by index.
func nhs(_ index: Int) -> String {
    var stem = 999_000_000 + index
    while NHSNumber.make(stem: stem) == nil { stem += 100_000 }
    return NHSNumber.make(stem: stem)!.digits
}
