import Foundation
import Store
import StrandedCore
import WardListImport

/// What importing a stays extract did.
public struct StayImportReport: Sendable, Codable, Equatable {
    /// True when every row was recorded; false when nothing was (any row with an issue refuses the file).
    public var accepted: Bool
    public var dataRows: Int
    public var recording: StayRecording
    /// Every problem found, by line and column (NHS numbers masked).
    public var issues: [RowIssue]
}

/// Imports a stays extract (Schema/stays.md): every row read and its site
/// checked (registered, acute: the aim is about acute admissions), then all
/// stays recorded in one transaction, or none. Sending the same file again
/// changes nothing.
public struct StayImporter: Sendable {
    let store: StayStore

    public init(database: Database) {
        store = StayStore(database: database)
    }

    public func importCSV(_ bytes: [UInt8], by author: String) async throws -> StayImportReport {
        let (rows, readIssues) = try StayFile.read(bytes)
        var issues = readIssues
        let sites = try await store.sites(codes: Array(Set(rows.map(\.siteCode))))
        var stays: [Stay] = []
        for row in rows {
            guard let site = sites[row.siteCode] else {
                issues.append(
                    RowIssue(
                        line: row.line,
                        column: "site_code",
                        value: row.siteCode,
                        reason: "no site \(row.siteCode) is registered; check the code or register the site first"
                    )
                )
                continue
            }
            guard site.isAcute else {
                issues.append(
                    RowIssue(
                        line: row.line,
                        column: "site_code",
                        value: row.siteCode,
                        reason: "\(row.siteCode) is a community site; a stays extract measures acute admissions, so send acute sites' stays only"
                    )
                )
                continue
            }
            stays.append(
                Stay(
                    siteID: site.id,
                    wardCode: row.wardCode,
                    patientKey: row.patientKey.stored,
                    admissionDate: row.admissionDate,
                    endedOn: row.endedOn,
                    destination: row.destination
                )
            )
        }
        issues.sort { $0.line < $1.line }
        guard issues.isEmpty else {
            return StayImportReport(accepted: false, dataRows: rows.count + readIssues.count, recording: StayRecording(), issues: issues)
        }
        let recording = try await store.record(stays, source: .import, by: author)
        return StayImportReport(accepted: true, dataRows: rows.count, recording: recording, issues: [])
    }
}
