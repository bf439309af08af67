import Foundation
import Store
import StrandedCore

/// The demo's stays extract for the acute sites, consistent with its weekly
/// lists: every stay a list shows (ended a few days after its last list when
/// a later list no longer has it), and the short stays no weekly list could
/// see (admitted and gone between two lists), so many that the aim reads
/// about 84–91% by site and week. Deterministic, as the rest of the demo.
struct DemoStays {
    let store: StayStore

    init(database: Database) {
        store = StayStore(database: database)
    }

    /// Records the stays admitted up to `today`; returns how many.
    func record(today: CalendarDate, strandedDays: Int) async throws -> Int {
        let listed = try await store.listedAcuteStays()
        var stays: [Stay] = []
        for row in listed {
            let h = DemoBoardRounds.stableHash(row.patientKey)
            // Gone by the next list: discharged a few days after the last one that had them.
            let ended = row.nextList.map { min(row.lastListed.adding(days: 1 + Int(h % 6)), $0.adding(days: -1)) }
            stays.append(
                Stay(
                    siteID: row.siteID,
                    wardCode: row.wardCode,
                    patientKey: row.patientKey,
                    admissionDate: row.admissionDate,
                    endedOn: ended,
                    destination: ended.map { _ in h % 5 == 0 ? .careHome : .usualResidence }
                )
            )
        }
        // The short stays: per site and admission week, enough to bring the share near its target.
        struct Cell: Hashable {
            let site: Int64
            let week: CalendarDate
        }
        var cells: [Cell: (admissions: Int, movedOn: Int)] = [:]
        for stay in stays {
            let cell = Cell(site: stay.siteID, week: stay.admissionDate.mondayOfWeek)
            var counts = cells[cell, default: (0, 0)]
            counts.admissions += 1
            if stay.movedOn(withinDays: strandedDays) { counts.movedOn += 1 }
            cells[cell] = counts
        }
        let firstWeek = listed.map(\.lastListed).min()
        for (cell, counts) in cells.sorted(by: { ($0.key.site, $0.key.week) < ($1.key.site, $1.key.week) }) {
            // Weeks before the first list only hold the long stays that list still had.
            guard let firstWeek, cell.week >= firstWeek.mondayOfWeek, cell.week <= today else { continue }
            let target = 0.84 + Double(DemoBoardRounds.stableHash("\(cell.site)/\(cell.week.iso)") % 8) / 100
            let short = max(0, Int(((target * Double(counts.admissions) - Double(counts.movedOn)) / (1 - target)).rounded(.up)))
            for n in 0..<short {
                let h = DemoBoardRounds.stableHash("\(cell.site)/\(cell.week.iso)/\(n)")
                let admitted = cell.week.adding(days: n % 7)
                guard admitted <= today else { continue }
                let end = admitted.adding(days: Int(h % UInt64(strandedDays)))
                stays.append(
                    Stay(
                        siteID: cell.site,
                        wardCode: "AMU",
                        patientKey: PatientKey.localPatientID("DEMO-\(cell.site)-\(cell.week.iso)-\(n)").stored,
                        admissionDate: admitted,
                        endedOn: end <= today ? end : nil,
                        destination: end <= today ? (h % 9 == 0 ? .communityBed : .usualResidence) : nil
                    )
                )
            }
        }
        return try await store.record(stays, source: .demo, by: "Demo stays extract").added
    }
}
