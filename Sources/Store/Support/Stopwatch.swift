/// Where an operation's time went, as named laps: for a debug log line that
/// says which step of an import was slow, without a profiler.
public struct Stopwatch: Sendable {
    private var last = ContinuousClock.now
    public private(set) var laps: [(name: String, duration: Duration)] = []

    public init() {}

    /// Ends the current lap, naming what it measured.
    public mutating func lap(_ name: String) {
        let now = ContinuousClock.now
        laps.append((name, now - last))
        last = now
    }

    public mutating func append(contentsOf other: Stopwatch) {
        laps += other.laps
        last = ContinuousClock.now
    }

    /// "rows 0.742 s, cases 0.481 s, …"
    public var summary: String {
        laps.map { lap in
            let seconds = Double(lap.duration.components.seconds) + Double(lap.duration.components.attoseconds) / 1e18
            return "\(lap.name) \((seconds * 1000).rounded() / 1000) s"
        }.joined(separator: ", ")
    }
}
