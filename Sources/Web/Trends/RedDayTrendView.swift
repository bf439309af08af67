import Foundation
import Reports
import StrandedCore

/// The dashboard's red bed-days section: a table per week and the top reasons.
struct RedDayTrendView {
    struct Row {
        let week: String
        let redBedDays: Int
        let recordedDays: Int
        let strandedShare: String
    }

    struct Reason {
        let agency: String
        let label: String
        let redDays: Int
    }

    let rows: [Row]
    let reasons: [Reason]
    let hasReasons: Bool
    let hasDays: Bool

    init(_ trend: RedDayTrend) {
        rows = trend.weeks.reversed().map {
            Row(
                week: DisplayFormat.date($0.week),
                redBedDays: $0.redBedDays,
                recordedDays: $0.recordedDays,
                strandedShare: $0.strandedRedPercent.map { "\($0)%" } ?? "–"
            )
        }
        reasons = trend.topReasons.map { Reason(agency: $0.agency, label: $0.label, redDays: $0.redDays) }
        hasReasons = !reasons.isEmpty
        hasDays = trend.weeks.contains { $0.recordedDays > 0 }
    }
}
