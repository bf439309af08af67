import Foundation
import StrandedCore

/// One row of a stays extract, read but not yet matched to a site.
public struct StayFileRow: Sendable, Equatable {
    public let line: Int
    public let siteCode: String
    public let wardCode: String
    public let patientKey: PatientKey
    public let admissionDate: CalendarDate
    public let endedOn: CalendarDate?
    public let destination: StayDestination?
}

/// Reads a stays extract (CSV, UTF-8 with or without BOM, comma or tab, a
/// header row with case-insensitive names): each row read, or an issue
/// naming its line and column. The file's rules are Schema/stays.md.
public enum StayFile {
    public static let required = ["site_code", "ward_code", "admission_date"]
    public static let identifiers = ["nhs_number", "local_patient_id"]
    public static let optional = ["discharge_date", "destination"]

    /// The file could not be read at all (not CSV, no header, a required column missing).
    public typealias Unreadable = UnreadableFile

    public static func read(_ bytes: [UInt8]) throws -> (rows: [StayFileRow], issues: [RowIssue]) {
        let file = try ColumnFile.read(bytes, required: required, identifiers: identifiers, optional: optional)
        var rows: [StayFileRow] = []
        var issues: [RowIssue] = []
        // A stay is (site, patient, admission date); a second row for it is a mistake, not an update.
        var firstLine: [String: Int] = [:]
        for record in file.records {
            func value(_ column: String) -> String { file.value(column, in: record) }
            if ColumnFile.isBlank(record) { continue }
            var rowIssues: [RowIssue] = []
            func issue(_ column: String?, _ value: String?, _ reason: String) {
                rowIssues.append(RowIssue(line: record.line, column: column, value: value, reason: reason))
            }
            for column in required where value(column).isEmpty {
                issue(column, nil, "\(column) is empty; every row needs it")
            }
            func date(_ column: String) -> CalendarDate? {
                let text = value(column)
                guard !text.isEmpty else { return nil }
                guard let date = CalendarDate(isoOrUK: text) else {
                    issue(column, String(text.prefix(20)), "not a date; use yyyy-mm-dd or dd/mm/yyyy")
                    return nil
                }
                return date
            }
            let admission = date("admission_date")
            let ended = date("discharge_date")
            if let admission, let ended, ended < admission {
                issue("discharge_date", ended.iso, "before the admission date \(admission.iso); a stay cannot end before it begins")
            }
            let destinationText = value("destination").lowercased()
            let destination = StayDestination(rawValue: destinationText)
            if !destinationText.isEmpty, destination == nil {
                issue(
                    "destination",
                    String(destinationText.prefix(30)),
                    "not a destination; use one of \(StayDestination.allCases.map(\.rawValue).joined(separator: ", ")) or leave it empty"
                )
            }
            if destination != nil, value("discharge_date").isEmpty {
                issue("destination", destinationText, "a destination needs the discharge_date the stay ended on")
            }
            let nhsText = value("nhs_number")
            let nhs = NHSNumber(nhsText)
            if !nhsText.isEmpty, nhs == nil {
                issue("nhs_number", maskNHSNumber(nhsText), "not a valid NHS number (10 digits, Modulus 11)")
            }
            let local = value("local_patient_id")
            if nhsText.isEmpty, local.isEmpty {
                issue(nil, nil, "name the patient: nhs_number or local_patient_id")
            }
            let key = PatientKey(nhsNumber: nhs, localPatientID: local.isEmpty ? nil : local)
            if rowIssues.isEmpty, let key, let admission {
                let stay = value("site_code").uppercased() + "\u{1F}" + key.stored + "\u{1F}" + admission.iso
                if let earlier = firstLine[stay] {
                    issue(nil, nil, "the same stay (site, patient and admission date) as line \(earlier); send each stay once")
                } else {
                    firstLine[stay] = record.line
                }
            }
            guard rowIssues.isEmpty, let key, let admission else {
                issues += rowIssues
                continue
            }
            rows.append(
                StayFileRow(
                    line: record.line,
                    siteCode: value("site_code").uppercased(),
                    wardCode: value("ward_code"),
                    patientKey: key,
                    admissionDate: admission,
                    endedOn: ended,
                    destination: destination
                )
            )
        }
        return (rows, issues)
    }
}
