import Foundation
import Reports
import StrandedCore

/// The dashboard's aim section: acute admissions moved on before the
/// stranded line, by admission week against the configured band, or "not
/// measured" where the unit has no stays (never a census proxy).
struct AimTrendView {
    struct Row {
        let week: String
        let admissions: Int
        let movedOn: Int
        let share: String
        let standing: String
    }

    let heading: String
    let notMeasured: String?
    let rows: [Row]

    init(_ weeks: [AimWeek]?, thresholds: StrandedThresholds) {
        let band = thresholds.aim
        heading = "Acute admissions moved on within 0–\(thresholds.strandedDays - 1) days (aim \(band.label))"
        notMeasured = weeks == nil ? AdmissionsAim.notMeasured : nil
        rows = (weeks ?? []).reversed().map { week in
            let standing: String
            if let share = week.share {
                switch band.standing(of: share) {
                case .below: standing = "below the aim"
                case .within: standing = "within the aim"
                case .above: standing = "above the aim"
                }
            } else {
                standing = "no admissions"
            }
            return Row(
                week: DisplayFormat.date(week.weekStart),
                admissions: week.admissions,
                movedOn: week.movedOn,
                share: week.share.map { "\(Int((100 * $0).rounded()))%" } ?? "–",
                standing: week.complete ? standing : standing + " (provisional: stays still running)"
            )
        }
    }
}
