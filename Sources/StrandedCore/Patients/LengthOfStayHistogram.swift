/// Patients per day of length of stay, from ``startDays`` up:
/// `counts[i]` patients had a stay of `startDays + i` days.
///
/// The trend figures keep one per ward and week (summed for sites and the
/// system), so every band's count, the median and the 90th percentile of any
/// group of wards are exact, whichever lines the thresholds draw above ``startDays``.
public struct LengthOfStayHistogram: Hashable, Sendable {
    /// The stay of `counts[0]`.
    public let startDays: Int
    public let counts: [Int]

    public init(startDays: Int, counts: [Int]) {
        self.startDays = startDays
        self.counts = counts
    }

    /// Patients whose stay is `days` or more. Lines below ``startDays`` are
    /// not kept, so they count only the patients from there up.
    public func patients(atLeast days: Int) -> Int {
        counts.dropFirst(max(0, days - startDays)).reduce(0, +)
    }

    /// The median stay of the patients at `days` or more (the mean of the two
    /// middle stays when their number is even); nil when there are none.
    public func medianStay(atLeast days: Int) -> Double? {
        let total = patients(atLeast: days)
        guard total > 0 else { return nil }
        let high = stay(atRank: total / 2 + 1, atLeast: days)
        if total % 2 == 1 { return Double(high) }
        return Double(stay(atRank: total / 2, atLeast: days) + high) / 2
    }

    /// The 90th percentile stay of the patients at `days` or more, nearest
    /// rank (the ⌈0.9 n⌉-th stay); nil when there are none.
    public func percentile90Stay(atLeast days: Int) -> Int? {
        let total = patients(atLeast: days)
        guard total > 0 else { return nil }
        return stay(atRank: (total * 9 + 9) / 10, atLeast: days)
    }

    /// The stay of the `rank`-th shortest (1-based) of the patients at `days` or more.
    func stay(atRank rank: Int, atLeast days: Int) -> Int {
        let skipped = max(0, days - startDays)
        var seen = 0
        for (index, count) in counts.enumerated().dropFirst(skipped) {
            seen += count
            if seen >= rank { return startDays + index }
        }
        return startDays + counts.count - 1
    }
}
