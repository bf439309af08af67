import Foundation
import StrandedCore

/// How a case's red days read on the pages that discuss it.
enum RedDayText {
    /// "2 this week · 5 in all · longest run 3", or "None recorded".
    static func short(_ counts: RedDayCounts?) -> String {
        guard let counts, counts.recordedDays > 0 else { return "None recorded" }
        return "\(counts.thisWeek) this week · \(counts.total) in all · longest run \(counts.longestRun)"
    }
}

/// The Level 1 form's summary of the week's board-round days, which replaces
/// the single red/green choice the form used to ask for.
struct WeekDaysView {
    let summary: String
    let totals: String
    let boardRoundHref: String

    init(days: [RecordedDay], week: ReviewWeek, today: CalendarDate, wardID: Int64) {
        let week7 = WeekOfDays(days: days, week: week, upTo: today)
        let counts = RedDayCounts(days: days, week: week)
        var parts = ["\(week7.red) red", "\(week7.green) green"]
        if week7.unrecorded > 0 { parts.append("\(week7.unrecorded) not recorded") }
        summary = "This week's days so far: " + parts.joined(separator: ", ") + "."
        totals =
            counts.recordedDays == 0
            ? "No board-round days recorded for this stay yet."
            : "In this stay: \(counts.total) red day\(counts.total == 1 ? "" : "s"), the longest run \(counts.longestRun) day\(counts.longestRun == 1 ? "" : "s")."
        boardRoundHref = "/wards/\(wardID)/days"
    }
}
