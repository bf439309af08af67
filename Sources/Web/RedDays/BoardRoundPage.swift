import Foundation
import Store
import StrandedCore
import Workflow

/// What a board-round row holds as typed: kept when the page comes back with errors.
struct BoardRoundTyped: Equatable {
    var status: String
    var reason: String
}

/// The daily board round of one ward: one row per patient with a red/green
/// pair and a reason select, one submit for the ward.
struct BoardRoundPage {
    struct Option {
        let code: String
        let label: String
        let selected: Bool
    }

    struct Row {
        let index: Int
        let token: String
        let name: String
        let nhsNumber: String
        let los: Int
        let red: Bool
        let green: Bool
        let reasons: [Option]
        let counts: String
        let error: String?
    }

    struct Problem {
        let href: String
        let message: String
    }

    let wardName: String
    let siteName: String
    let action: String
    let dateLabel: String
    let weekHref: String
    let previousHref: String
    let nextHref: String?
    let todayHref: String?
    let editable: Bool
    let windowNote: String
    let notice: String?
    let rows: [Row]
    let hasRows: Bool
    let errors: [Problem]
    let hasErrors: Bool

    /// The hidden value naming a row's stay; the page shows the same patient.
    static func token(_ patient: BoardRoundPatient) -> String { patient.patientKey + "|" + patient.admissionDate.iso }

    init(
        ward: BoardRoundWard,
        date: CalendarDate,
        today: CalendarDate,
        patients: [BoardRoundPatient],
        policy: RedDayPolicy,
        typed: [String: BoardRoundTyped]?,
        rowErrors: [String: String],
        dateError: String?,
        notice: String?
    ) {
        wardName = ward.name.map { "\($0) (\(ward.code))" } ?? ward.code
        siteName = ward.siteName
        action = "/wards/\(ward.id)/days/\(date.iso)"
        dateLabel = "\(DisplayFormat.weekdays[date.isoWeekday - 1]) \(DisplayFormat.date(date))"
        weekHref = "/wards/\(ward.id)?week=\(date.mondayOfWeek.iso)"
        previousHref = "/wards/\(ward.id)/days/\(date.adding(days: -1).iso)"
        nextHref = date < today ? "/wards/\(ward.id)/days/\(date.adding(days: 1).iso)" : nil
        todayHref = date == today ? nil : "/wards/\(ward.id)/days/\(today.iso)"
        editable = policy.dateProblem(date, today: today) == nil
        windowNote =
            editable
            ? "Days can be corrected for \(policy.correctionWindowDays) days; every correction is recorded with who made it."
            : "This day is outside the \(policy.correctionWindowDays)-day correction window, so it is shown as recorded and cannot be changed."
        self.notice = notice
        let week = ReviewWeek.containing(date)
        rows = patients.enumerated().map { index, patient in
            let token = Self.token(patient)
            let recorded = patient.day(on: date)
            let status = typed?[token]?.status ?? recorded?.status.rawValue ?? ""
            let reason = typed?[token]?.reason ?? recorded?.reason ?? ""
            let counts = RedDayCounts(days: patient.days, week: week)
            return Row(
                index: index,
                token: token,
                name: patient.displayName,
                nhsNumber: DisplayFormat.nhsNumber(patient.nhsNumber),
                los: patient.lengthOfStay,
                red: status == "red",
                green: status == "green",
                reasons: policy.reasons.map { Option(code: $0.code, label: $0.label, selected: $0.code == reason) },
                counts: counts.recordedDays == 0
                    ? "None recorded" : "\(counts.thisWeek) this week, \(counts.total) in all, longest run \(counts.longestRun)",
                error: rowErrors[token]
            )
        }
        hasRows = !rows.isEmpty
        var problems: [Problem] = []
        if let dateError { problems.append(Problem(href: "#board-round", message: dateError)) }
        for row in rows {
            if let error = row.error { problems.append(Problem(href: "#s\(row.index)-green", message: "\(row.name): \(error)")) }
        }
        errors = problems
        hasErrors = !problems.isEmpty
    }
}
