import StrandedCore
import Testing

@Suite("Length-of-stay histogram and reported lines")
struct LengthOfStayHistogramTests {
    /// Stays 7, 10, 12, 13 and 40, kept from day 7.
    static let histogram = LengthOfStayHistogram(
        startDays: 7,
        counts: [1, 0, 0, 1, 0, 1, 1] + Array(repeating: 0, count: 26) + [1]
    )

    @Test func countsAndRanksFromAnyLineAtOrAboveItsStart() {
        let histogram = Self.histogram
        #expect([7, 10, 11, 13, 14, 40, 41].map(histogram.patients(atLeast:)) == [5, 4, 3, 2, 1, 1, 0])
        #expect(histogram.patients(atLeast: 3) == 5)  // nothing below its start is kept
        #expect(histogram.medianStay(atLeast: 7) == 12)
        #expect(histogram.medianStay(atLeast: 10) == 12.5)  // 10, 12, 13, 40
        #expect(histogram.percentile90Stay(atLeast: 10) == 40)
        #expect(histogram.medianStay(atLeast: 41) == nil)
    }

    @Test func reportedLinesAreTheBandsAndTheTwoLines() {
        #expect(StrandedThresholds.standard.reportedLines == LengthOfStayBand.standard)
        #expect(StrandedThresholds.standard.lowestReportedDays == 7)
        let local = StrandedThresholds(strandedDays: 10, superStrandedDays: 14, bands: [.init(minimumDays: 30)])
        #expect(local.reportedLines.map(\.minimumDays) == [10, 14, 30])
        #expect(local.lowestReportedDays == 10)
        // A band below the stranded line moves where the figures start; the thresholds stay valid.
        let wide = StrandedThresholds(strandedDays: 10, superStrandedDays: 21)
        #expect(wide.lowestReportedDays == 7)
        #expect(wide.reportedLines.map(\.minimumDays) == [7, 10, 14, 21, 50, 100])
        #expect(wide.problems().isEmpty)
    }
}
