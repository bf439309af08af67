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
    public struct Unreadable: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static func read(_ bytes: [UInt8]) throws -> (rows: [RedDayFileRow], issues: [RowIssue]) {
        var records: [CSVRecord] = []
        var parser = CSVParser()
        do {
            try bytes.withUnsafeBufferPointer { try parser.feed($0) { records.append($0) } }
            try parser.finish { records.append($0) }
        } catch let error as CSVError {
            throw Unreadable(description: "the file is not readable CSV: \(error)")
        }
        guard let header = records.first else { throw Unreadable(description: "the file is empty; it needs a header row (see the format page)") }
        let names = header.fields.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw Unreadable(description: "the header row lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
        }
        guard identifiers.contains(where: names.contains) else {
            throw Unreadable(description: "the header row needs one of \(identifiers.joined(separator: ", ")) to name each patient")
        }
        let known = Set(required + identifiers + optional)
        if let unknown = names.first(where: { !$0.isEmpty && !known.contains($0) }) {
            throw Unreadable(
                description:
                    "the header row has the column \"\(String(unknown.prefix(40)))\", which this file does not take; columns: \((required + identifiers + optional).joined(separator: ", "))"
            )
        }
        var rows: [RedDayFileRow] = []
        var issues: [RowIssue] = []
        for record in records.dropFirst() {
            func value(_ column: String) -> String {
                guard let index = names.firstIndex(of: column), index < record.count else { return "" }
                return String(decoding: record[index], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            }
            if (0..<record.count).allSatisfy({ record[$0].isEmpty }) { continue }
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
