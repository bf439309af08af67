import Foundation
import Logging
import Store
import StrandedCore
import WardListImport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// At the list time each fed site's census becomes that week's ward list,
/// through the same importer as a file (same validation, same report, the
/// same cases and journeys), recorded as from the feed. Sites without a feed
/// still send files; a fed site's file for the week, if one came, is
/// superseded like any later list.
public struct FeedWardLists: Sendable {
    let store: FeedStore
    let importer: WardListImporter
    let logger: Logger

    public init(database: Database, policy: StrandedPolicy, logger: Logger = Logger(label: "stranded.feed")) {
        store = FeedStore(database: database)
        importer = WardListImporter(database: database, policy: policy, logger: logger)
        self.logger = logger
    }

    /// Imports the census at `instant` (the week's list time) as the list of
    /// `week`; nil when no site is fed.
    public func importCensus(week: ReviewWeek, at instant: Date, today: CalendarDate = .today()) async throws -> ImportReport? {
        let fed = try await store.fedSiteIDs()
        guard !fed.isEmpty else { return nil }
        let mapping = try await store.mapping()
        let entries = try await store.census(at: instant, mapping: mapping, siteIDs: fed)
        guard !entries.isEmpty else { return nil }
        // The importer reads files; the census is patient data, so it is
        // written only to a private (0700) directory, 0600, and removed at once.
        let directory = try Self.privateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let url = URL(fileURLWithPath: directory).appendingPathComponent("feed-census.csv")
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FeedListFailure(description: "cannot create the census file (errno \(errno))") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: Data(Self.csv(entries).utf8))
        try handle.close()
        let report = try await importer.importFile(
            at: url,
            source: .feed,
            displayName: "feed census \(week.monday.iso)",
            snapshotDate: HL7Time.calendarDate(instant),
            today: today
        )
        logger.info("ward list made from the feed", metadata: ["week": "\(week)", "verdict": "\(report.verdict)", "rows": "\(report.importedRows)"])
        return report
    }

    struct FeedListFailure: Error, CustomStringConvertible {
        let description: String
    }

    static func privateDirectory() throws -> String {
        var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("stranded-feed-XXXXXX").path.utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw FeedListFailure(description: "cannot create a private temporary directory (errno \(errno))")
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The census as a ward list file (Schema/ward-list.md).
    static func csv(_ entries: [FeedCensusEntry]) -> String {
        var text = "site_code,ward_code,nhs_number,local_patient_id,spell_id,admission_date,family_name,given_name,date_of_birth\n"
        for entry in entries {
            let fields = [
                entry.siteCode, entry.wardCode, entry.nhsNumber?.digits ?? "", entry.localPatientID ?? "", entry.spellID,
                entry.admissionDate.iso, entry.familyName ?? "", entry.givenName ?? "", entry.dateOfBirth?.iso ?? "",
            ]
            text += fields.map(quoted).joined(separator: ",") + "\n"
        }
        return text
    }

    static func quoted(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
