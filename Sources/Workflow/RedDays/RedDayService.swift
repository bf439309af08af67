import Foundation
import Store
import StrandedCore

/// Which patient a board-round entry is for.
public enum DayTarget: Sendable, Equatable {
    /// The stay as the board-round page names it (stored patient key and admission date).
    case stay(patientKey: String, admissionDate: CalendarDate)
    /// A case, by its reference (`C-000157`).
    case caseReference(CaseReference)
    /// A patient on the ward's list, by NHS number (as the list has it).
    case nhsNumber(String)
    /// A patient on the ward's list, by the site's local patient id.
    case localPatientID(String)
}

/// One entry of a board round as sent: who, and the day as typed.
public struct DayEntryInput: Sendable, Equatable {
    public var target: DayTarget?
    public var status: String?
    public var reason: String?

    public init(target: DayTarget?, status: String?, reason: String?) {
        self.target = target
        self.status = status
        self.reason = reason
    }
}

/// Why one entry (by its position in what was sent) was refused.
public struct DayEntryRowProblem: Sendable, Equatable, Codable {
    /// 0-based position in the entries sent.
    public let index: Int
    public let field: String
    public let message: String

    public init(index: Int, field: String, message: String) {
        self.index = index
        self.field = field
        self.message = message
    }
}

/// The outcome of recording a board round.
public enum BoardRoundResult: Sendable, Equatable {
    case recorded(DayRecording)
    /// Nothing was recorded: the date cannot be recorded (`date`) or some
    /// entries are wrong (`rows`).
    case refused(date: DayEntryProblem?, rows: [DayEntryRowProblem])
}

/// The daily board round as a service: a ward's patients for a date and
/// recording their red and green days (the page, the API and the CSV import
/// alike), judged by the configured red-day rules.
public struct RedDayService: Sendable {
    let store: RedDayStore
    /// The running rules: red reasons, correction window, the time zone of "today".
    public let policy: StrandedPolicy

    public init(database: Database, policy: StrandedPolicy) {
        store = RedDayStore(database: database)
        self.policy = policy
    }

    /// Today on the service's calendar (the timetable's time zone).
    public func today(now: Date) -> CalendarDate {
        CalendarDate.today(in: policy.timetable.timeZone, now: now)
    }

    public func ward(id: Int64, scope: RecordScope) async throws -> BoardRoundWard? {
        try await store.ward(id: id, scope: scope)
    }

    public func patients(ward: BoardRoundWard, date: CalendarDate) async throws -> [BoardRoundPatient] {
        try await store.patients(ward: ward, date: date)
    }

    /// Changes whenever a day of the ward is recorded or corrected.
    public func wardStamp(wardID: Int64) async throws -> String {
        try await store.wardStamp(wardID: wardID)
    }

    /// Every recorded day of each case's stay.
    public func days(caseIDs: [Int64]) async throws -> [Int64: [RecordedDay]] {
        try await store.days(caseIDs: caseIDs)
    }

    /// Each case's red-day counts as at the end of `week`; cases never marked have none.
    public func counts(caseIDs: [Int64], week: ReviewWeek) async throws -> [Int64: RedDayCounts] {
        try await days(caseIDs: caseIDs).mapValues { RedDayCounts(days: $0, week: week) }
    }

    /// Records the ward's board round for `date`: all entries or none. Each
    /// entry must name a patient on the ward's board round for that date, and
    /// be red with a configured reason or green without one; the date must be
    /// within the correction window of today.
    public func record(
        ward: BoardRoundWard,
        date: CalendarDate,
        entries: [DayEntryInput],
        source: DaySource,
        by author: String,
        now: Date,
        actor: AuditActor = .currentOrSystem
    ) async throws -> BoardRoundResult {
        switch try await check(ward: ward, date: date, entries: entries, now: now) {
        case let .failure(refusal): return refusal.result
        case let .success(days): return .recorded(try await store.record(days, ward: ward, source: source, by: author, actor: actor))
        }
    }

    /// The days `entries` would record, or why not (as ``record(ward:date:entries:source:by:now:actor:)`` judges them).
    func check(
        ward: BoardRoundWard,
        date: CalendarDate,
        entries: [DayEntryInput],
        now: Date,
        listed: [BoardRoundPatient]? = nil
    ) async throws -> Result<[DayToRecord], Refusal> {
        if let problem = policy.redDays.dateProblem(date, today: today(now: now)) {
            return .failure(Refusal(.refused(date: problem, rows: [])))
        }
        let patients: [BoardRoundPatient]
        if let listed {
            patients = listed
        } else {
            patients = try await store.patients(ward: ward, date: date)
        }
        var problems: [DayEntryRowProblem] = []
        var days: [DayToRecord] = []
        var seen: [String: Int] = [:]
        let lookup = PatientLookup(patients)
        for (index, entry) in entries.enumerated() {
            guard let patient = lookup.find(entry.target) else {
                let message =
                    entry.target == nil
                    ? "Name the patient: a case reference, NHS number or local patient id."
                    : "This patient is not on \(ward.code)'s list for \(date.iso); check the identifier, or the ward."
                problems.append(DayEntryRowProblem(index: index, field: "patient", message: message))
                continue
            }
            let stay = patient.patientKey + "|" + patient.admissionDate.iso
            if let first = seen[stay] {
                problems.append(
                    DayEntryRowProblem(index: index, field: "patient", message: "The same patient as entry \(first + 1); send each patient once.")
                )
                continue
            }
            seen[stay] = index
            switch policy.redDays.entry(date: date, status: entry.status, reason: entry.reason) {
            case let .failure(problem):
                problems.append(DayEntryRowProblem(index: index, field: problem.field, message: problem.message))
            case let .success(day):
                days.append(DayToRecord(patientKey: patient.patientKey, admissionDate: patient.admissionDate, caseID: patient.caseID, day: day))
            }
        }
        guard problems.isEmpty else { return .failure(Refusal(.refused(date: nil, rows: problems))) }
        return .success(days)
    }

    /// A refused board round, as an error so it can travel in a `Result`.
    struct Refusal: Error {
        let result: BoardRoundResult
        init(_ result: BoardRoundResult) { self.result = result }
    }

    /// A ward's patients by each way an entry may name them.
    struct PatientLookup {
        var byStay: [String: BoardRoundPatient] = [:]
        var byCase: [Int64: BoardRoundPatient] = [:]
        var byKey: [String: BoardRoundPatient] = [:]
        var byLocalID: [String: BoardRoundPatient] = [:]

        init(_ patients: [BoardRoundPatient]) {
            for p in patients {
                byStay[p.patientKey + "|" + p.admissionDate.iso] = p
                if let id = p.caseID { byCase[id] = p }
                byKey[p.patientKey] = byKey[p.patientKey] ?? p
                if let local = p.localPatientID { byLocalID[local] = byLocalID[local] ?? p }
            }
        }

        func find(_ target: DayTarget?) -> BoardRoundPatient? {
            switch target {
            case nil: return nil
            case let .stay(key, admission)?: return byStay[key + "|" + admission.iso]
            case let .caseReference(reference)?: return byCase[reference.caseID]
            case let .nhsNumber(text)?: return NHSNumber(text).flatMap { byKey[PatientKey.nhsNumber($0).stored] }
            case let .localPatientID(id)?: return byLocalID[id.trimmingCharacters(in: .whitespaces)]
            }
        }
    }
}
