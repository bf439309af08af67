import Foundation
import StrandedCore

/// One row of a red/green days file, read but not yet matched to a patient
/// or checked against the policy (see Schema/red-days.md).
public struct RedDayFileRow: Sendable, Equatable {
    public let line: Int
    public let siteCode: String
    public let wardCode: String
    public let date: CalendarDate
    public let nhsNumber: String?
    public let localPatientID: String?
    public let caseReference: CaseReference?
    public let status: String
    public let reason: String
}

/// Reads a red/green days file (CSV, UTF-8 with or without BOM, comma or
/// tab, a header row with case-insensitive names): each row read, or an issue
/// naming its line and column. The file's rules are Schema/red-days.md.
public enum RedDayFile {
    public static let required = ["site_code", "ward_code", "date", "status"]
    public static let identifiers = ["nhs_number", "local_patient_id", "case_reference"]
    public static let optional = ["reason"]

    /// The file could not be read at all (not CSV, no header, a required column missing).
    public typealias Unreadable = UnreadableFile

    public static func read(_ bytes: [UInt8]) throws -> (rows: [RedDayFileRow], issues: [RowIssue]) {
        let file = try ColumnFile.read(bytes, required: required, identifiers: identifiers, optional: optional)
        var rows: [RedDayFileRow] = []
        var issues: [RowIssue] = []
        for record in file.records {
            func value(_ column: String) -> String { file.value(column, in: record) }
            if ColumnFile.isBlank(record) { continue }
            var rowIssues: [RowIssue] = []
            for column in required where value(column).isEmpty {
                rowIssues.append(RowIssue(line: record.line, column: column, value: nil, reason: "\(column) is empty; every row needs it"))
            }
            let date = CalendarDate(isoOrUK: value("date"))
            if !value("date").isEmpty, date == nil {
                rowIssues.append(
                    RowIssue(
                        line: record.line,
                        column: "date",
                        value: String(value("date").prefix(20)),
                        reason: "not a date; use yyyy-mm-dd or dd/mm/yyyy"
                    )
                )
            }
            let nhs = value("nhs_number")
            if !nhs.isEmpty, NHSNumber(nhs) == nil {
                rowIssues.append(
                    RowIssue(
                        line: record.line,
                        column: "nhs_number",
                        value: maskNHSNumber(nhs),
                        reason: "not a valid NHS number (10 digits, Modulus 11)"
                    )
                )
            }
            let referenceText = value("case_reference")
            let reference = CaseReference(parsing: referenceText)
            if !referenceText.isEmpty, reference == nil {
                rowIssues.append(
                    RowIssue(
                        line: record.line,
                        column: "case_reference",
                        value: String(referenceText.prefix(20)),
                        reason: "not a case reference; use the form C-000157"
                    )
                )
            }
            if nhs.isEmpty, value("local_patient_id").isEmpty, referenceText.isEmpty {
                rowIssues.append(
                    RowIssue(line: record.line, column: nil, value: nil, reason: "name the patient: nhs_number, local_patient_id or case_reference")
                )
            }
            guard rowIssues.isEmpty, let date else {
                issues += rowIssues
                continue
            }
            rows.append(
                RedDayFileRow(
                    line: record.line,
                    siteCode: value("site_code"),
                    wardCode: value("ward_code"),
                    date: date,
                    nhsNumber: nhs.isEmpty ? nil : nhs,
                    localPatientID: value("local_patient_id").isEmpty ? nil : value("local_patient_id"),
                    caseReference: reference,
                    status: value("status"),
                    reason: value("reason")
                )
            )
        }
        return (rows, issues)
    }
}
