import Foundation
import Store
import StrandedCore
import WardListImport

/// What importing a red/green days file did.
public struct RedDayImportReport: Sendable, Codable, Equatable {
    /// True when every row was recorded; false when nothing was (any row with an issue refuses the file).
    public var accepted: Bool
    public var dataRows: Int
    public var recording: DayRecording
    /// Every problem found, by line and column (NHS numbers masked).
    public var issues: [RowIssue]
}

/// Imports a red/green days file (Schema/red-days.md): every row checked
/// as the board round checks it (the patient on that ward's list for that
/// date, the status and reason against the policy, the date within the
/// correction window), then all rows recorded in one transaction, or none.
/// Sending the same file again changes nothing (every day is unchanged).
public struct RedDayImporter: Sendable {
    let service: RedDayService

    public init(database: Database, policy: StrandedPolicy) {
        service = RedDayService(database: database, policy: policy)
    }

    public func importCSV(_ bytes: [UInt8], source: DaySource, by author: String, now: Date) async throws -> RedDayImportReport {
        let (rows, readIssues) = try RedDayFile.read(bytes)
        var issues = readIssues
        // Rows by ward and date, each group a board round.
        struct GroupKey: Hashable {
            let site: String
            let ward: String
            let date: CalendarDate
        }
        var groups: [GroupKey: [RedDayFileRow]] = [:]
        var order: [GroupKey] = []
        for row in rows {
            let key = GroupKey(site: row.siteCode, ward: row.wardCode, date: row.date)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(row)
        }
        let wards = try await service.store.wards(codes: Array(Set(order.map { $0.site + "/" + $0.ward })))
        // Each date's patients of every ward named, one query per date.
        var listed: [CalendarDate: [Int64: [BoardRoundPatient]]] = [:]
        for date in Set(order.map(\.date)) {
            let named = Set(order.filter { $0.date == date }.map { $0.site + "/" + $0.ward })
            listed[date] = try await service.store.listed(wards: named.compactMap { wards[$0] }, date: date)
        }
        var toRecord: [(ward: BoardRoundWard, days: [DayToRecord])] = []
        for key in order {
            let members = groups[key]!
            let wardKey = key.site + "/" + key.ward
            guard let ward = wards[wardKey] else {
                issues += members.map {
                    RowIssue(
                        line: $0.line,
                        column: "ward_code",
                        value: wardKey,
                        reason: "no ward \(wardKey) is registered; check the site and ward codes"
                    )
                }
                continue
            }
            let entries = members.map { row in
                DayEntryInput(
                    target: row.caseReference.map(DayTarget.caseReference) ?? row.nhsNumber.map(DayTarget.nhsNumber)
                        ?? row.localPatientID.map(DayTarget.localPatientID),
                    status: row.status,
                    reason: row.reason
                )
            }
            switch try await service.check(ward: ward, date: key.date, entries: entries, now: now, listed: listed[key.date]?[ward.id] ?? []) {
            case let .success(days): toRecord.append((ward, days))
            case let .failure(refusal):
                guard case let .refused(dateProblem, rowProblems) = refusal.result else { continue }
                if let dateProblem {
                    issues += members.map { RowIssue(line: $0.line, column: "date", value: key.date.iso, reason: dateProblem.message) }
                }
                issues += rowProblems.map { problem in
                    let column = problem.field == "patient" ? Self.identifierColumn(members[problem.index]) : problem.field
                    return RowIssue(line: members[problem.index].line, column: column, value: nil, reason: problem.message)
                }
            }
        }
        issues.sort { $0.line < $1.line }
        guard issues.isEmpty else {
            return RedDayImportReport(accepted: false, dataRows: rows.count + readIssues.count, recording: DayRecording(), issues: issues)
        }
        let recording = try await service.store.record(groups: toRecord, source: source, by: author)
        return RedDayImportReport(accepted: true, dataRows: rows.count, recording: recording, issues: [])
    }

    static func identifierColumn(_ row: RedDayFileRow) -> String {
        row.caseReference != nil ? "case_reference" : row.nhsNumber != nil ? "nhs_number" : "local_patient_id"
    }
}
