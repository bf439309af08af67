import Foundation
import Reports
import StrandedCore
import Workflow

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
    /// The share by week against the band (complete weeks), as SVG; nil when not measured.
    let chart: String?
    /// Said when a total counts only some of its acute sites: the others have no stays.
    let partial: String?
    let rows: [Row]

    init(_ figures: AimFigures.UnitFigures, weeks chartWeeks: [CalendarDate], thresholds: StrandedThresholds) {
        let weeks = figures.weeks
        let band = thresholds.aim
        heading = "Acute admissions moved on within 0–\(thresholds.strandedDays - 1) days (aim \(band.label))"
        notMeasured = weeks == nil ? AdmissionsAim.notMeasured : nil
        chart = weeks.map { TrendCharts.aim($0, weeks: chartWeeks, thresholds: thresholds).svg }
        if weeks != nil, !figures.unmeasuredSites.isEmpty {
            partial =
                "Counts the acute sites with stays (\(figures.measuredSites.joined(separator: ", "))); "
                + "not measured at \(figures.unmeasuredSites.joined(separator: ", ")): needs admissions data."
        } else {
            partial = nil
        }
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
