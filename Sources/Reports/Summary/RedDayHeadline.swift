import StrandedCore

/// The summary's line on red days: the last whole week's red bed-days from
/// the board rounds, the red share of stranded patients' days against the
/// week before, and the top red reasons with the agency responsible.
public enum RedDayHeadline {
    /// - Parameters:
    ///   - week: the last whole week's figures (the summary's week is still under way).
    ///   - previous: the week before it, for the change in the stranded share.
    ///   - topReasons: `week`'s top red reasons, most red days first.
    public static func line(week: RedDayTrend.Week, previous: RedDayTrend.Week?, topReasons: [RedDayTrend.Reason]) -> String {
        let when = "week of \(week.week.iso)"
        guard week.recordedDays > 0 else { return "Red bed-days, \(when): no board rounds recorded." }
        let share = Int((Double(week.redBedDays) * 100 / Double(week.recordedDays)).rounded())
        var line = "Red bed-days, \(when): \(week.redBedDays) of \(week.recordedDays) patient-days at board rounds (\(share)%)"
        if let stranded = week.strandedRedPercent {
            line += "; stranded patients' days \(stranded)% red"
            if let before = previous?.strandedRedPercent { line += " (\(before)% the week before)" }
        }
        line += "."
        if !topReasons.isEmpty {
            line += " Top red reasons: " + topReasons.map { "\($0.label), \($0.agency) (\($0.redDays))" }.joined(separator: "; ") + "."
        }
        return line
    }
}
