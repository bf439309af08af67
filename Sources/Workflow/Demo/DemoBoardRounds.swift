import Foundation
import Store
import StrandedCore

/// The demo's board rounds: every patient on every ward marked each day,
/// mostly green, with realistic runs of red days for the patients whose
/// discharge is delayed (a package of care, a placement, an assessment) and
/// the odd red day for anyone (a test result or a senior review that did not
/// happen). Deterministic, so the demo looks the same on every machine.
struct DemoBoardRounds {
    let service: RedDayService

    init(database: Database, policy: StrandedPolicy) {
        service = RedDayService(database: database, policy: policy)
    }

    /// Records the days of `week` up to `today` for every ward with forms that week.
    func record(week: ReviewWeek, wardIDs: [Int64], today: CalendarDate) async throws -> Int {
        var recorded = 0
        for wardID in wardIDs {
            guard let ward = try await service.ward(id: wardID, scope: .all) else { continue }
            var days: [DayToRecord] = []
            for date in week.dates where date <= today {
                for patient in try await service.patients(ward: ward, date: date) {
                    days.append(
                        DayToRecord(
                            patientKey: patient.patientKey,
                            admissionDate: patient.admissionDate,
                            caseID: patient.caseID,
                            day: Self.day(for: patient, on: date, reasons: service.policy.redDays)
                        )
                    )
                }
            }
            recorded += try await service.store.record(days, ward: ward, source: .demo, by: "Demo board round", actor: .system).recorded
        }
        return recorded
    }

    static let delayReasons = ["awaiting-package-of-care", "awaiting-placement", "awaiting-social-care-assessment", "awaiting-equipment"]
    static let dayReasons = ["awaiting-result", "awaiting-senior-review", "awaiting-test", "awaiting-therapy", "awaiting-transport"]

    /// A third of stranded patients are delayed: red runs of two to five days
    /// with a green day between; everyone else is red about one day in twelve.
    static func day(for patient: BoardRoundPatient, on date: CalendarDate, reasons: RedDayPolicy) -> RecordedDay {
        let h = stableHash(patient.patientKey)
        let dayNumber = date.daysSinceEpoch
        let configured = Set(reasons.reasons.map(\.code))
        func pick(_ list: [String], _ n: Int) -> String {
            let usable = list.filter(configured.contains)
            return usable.isEmpty ? reasons.reasons[n % reasons.reasons.count].code : usable[n % usable.count]
        }
        let delayed = patient.lengthOfStay >= 7 && h % 3 == 0
        if delayed {
            let cycle = 4 + Int(h % 4)  // 4–7 days: a red run of cycle−2, then two green days
            if (dayNumber + Int(h % 7)) % cycle < cycle - 2 {
                return RecordedDay(date: date, status: .red, reason: pick(delayReasons, Int(h / 3) + dayNumber / cycle))
            }
            return RecordedDay(date: date, status: .green)
        }
        if (UInt64(dayNumber) &* 2_654_435_761 &+ h) % 12 == 0 {
            return RecordedDay(date: date, status: .red, reason: pick(dayReasons, Int(h % 5) + dayNumber))
        }
        return RecordedDay(date: date, status: .green)
    }

    /// FNV-1a: Swift's `Hasher` is seeded per process, and the demo must not change between runs.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
