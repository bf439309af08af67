import Foundation
import Histogram

/// Response times in microseconds, in an HdrHistogram (three significant
/// digits from 1 µs to 60 s): percentiles without keeping every sample.
public struct Latencies: Sendable {
    public private(set) var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1,
        highestTrackableValue: 60_000_000,
        numberOfSignificantValueDigits: .three
    )
    public private(set) var failures = 0
    public private(set) var bytes = 0

    public init() {}

    public var count: Int { Int(histogram.totalCount) }

    public mutating func record(_ duration: Duration, bytes: Int) {
        let micros = max(1, UInt64(seconds(duration) * 1_000_000))
        _ = histogram.record(min(micros, histogram.highestTrackableValue))
        self.bytes += bytes
    }

    public mutating func fail() { failures += 1 }

    public mutating func add(_ other: Latencies) {
        histogram.add(other.histogram)
        failures += other.failures
        bytes += other.bytes
    }

    /// The latency at `percentile` (0–100), in milliseconds.
    public func milliseconds(_ percentile: Double) -> Double {
        count == 0 ? .nan : Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    /// "p50 1.2 ms, p95 …, p99 …, max …".
    public var summary: String {
        String(
            format: "p50 %.1f ms, p90 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
            milliseconds(50),
            milliseconds(90),
            milliseconds(95),
            milliseconds(99),
            count == 0 ? .nan : Double(histogram.max) / 1000
        )
    }

    public var kilobytesPerResponse: Double { count == 0 ? 0 : Double(bytes) / Double(count) / 1024 }

    /// "p50 0.812 s, p90 …, p99 …, worst …": for operations timed in seconds.
    public var secondsSummary: String {
        String(
            format: "p50 %.3f s, p90 %.3f s, p99 %.3f s, worst %.3f s (%d runs)",
            milliseconds(50) / 1000,
            milliseconds(90) / 1000,
            milliseconds(99) / 1000,
            count == 0 ? .nan : Double(histogram.max) / 1_000_000,
            count
        )
    }
}
