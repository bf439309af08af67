import Foundation

/// One simulated week: the import, its SQL peer and the bare `\copy` floor, in seconds.
struct WeekFigures {
    var importTime = 0.0
    var peerTime = 0.0
    var floorTime = 0.0
    /// Cases opened/continuing/discharged by the import, as its report gives them.
    var cases = ""

    var ratio: Double { importTime / peerTime }
}

/// The 1-, 5- and 15-minute load averages: the machine is shared, and a figure
/// taken while others build is not one taken on a quiet machine.
func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return "load average " + text.split(separator: " ").prefix(3).joined(separator: " ")
}
