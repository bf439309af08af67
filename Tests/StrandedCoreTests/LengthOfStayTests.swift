import Foundation
import Testing

@testable import StrandedCore

@Suite("Length of stay and age bands")
struct LengthOfStayTests {
    private static func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    @Test func mondayToMondayIsSeven() throws {
        let stay = try #require(LengthOfStay(admitted: Self.date("2025-01-06"), snapshot: Self.date("2025-01-13")))
        #expect(stay.days == 7)
        #expect(stay.isStranded(using: .standard))
        #expect(!stay.isSuperStranded(using: .standard))
    }

    @Test func sameDayIsZeroAndAdmissionAfterSnapshotIsRefused() {
        #expect(LengthOfStay(admitted: Self.date("2025-01-06"), snapshot: Self.date("2025-01-06"))?.days == 0)
        #expect(LengthOfStay(admitted: Self.date("2025-01-07"), snapshot: Self.date("2025-01-06")) == nil)
        #expect(LengthOfStay(days: -1) == nil)
    }

    @Test func acrossLeapDayCountsTheTwentyNinth() {
        // 2024 is a leap year: 22 Feb → 7 Mar spans 29 Feb.
        #expect(LengthOfStay(admitted: Self.date("2024-02-22"), snapshot: Self.date("2024-03-07"))?.days == 14)
        #expect(LengthOfStay(admitted: Self.date("2023-02-22"), snapshot: Self.date("2023-03-07"))?.days == 13)
        #expect(LengthOfStay(admitted: Self.date("2024-02-28"), snapshot: Self.date("2024-03-01"))?.days == 2)
        #expect(LengthOfStay(admitted: Self.date("2023-12-31"), snapshot: Self.date("2024-12-31"))?.days == 366)
    }

    @Test func acrossClockChangesIsWholeCalendarDays() throws {
        // BST began Sun 30 Mar 2025 and ended Sun 26 Oct 2025: each week still counts 7.
        #expect(LengthOfStay(admitted: Self.date("2025-03-24"), snapshot: Self.date("2025-03-31"))?.days == 7)
        #expect(LengthOfStay(admitted: Self.date("2025-10-20"), snapshot: Self.date("2025-10-27"))?.days == 7)

        // From instants, the London calendar date is what counts: 23:30 UTC on
        // Sun 30 Mar 2025 is already Monday 31 Mar in London (00:30 BST).
        let formatter = ISO8601DateFormatter()
        let admittedAt = try #require(formatter.date(from: "2025-03-24T09:00:00Z"))
        let listedAt = try #require(formatter.date(from: "2025-03-30T23:30:00Z"))
        let admitted = CalendarDate.today(in: .london, now: admittedAt)
        let listed = CalendarDate.today(in: .london, now: listedAt)
        #expect(listed == Self.date("2025-03-31"))
        #expect(LengthOfStay(admitted: admitted, snapshot: listed)?.days == 7)
        // Dividing the elapsed seconds by 86,400 would have said 6.
        #expect(Int(listedAt.timeIntervalSince(admittedAt) / 86_400) == 6)
    }

    @Test(
        "stranded and super stranded thresholds",
        arguments: [
            (6, false, false), (7, true, false), (20, true, false), (21, true, true), (200, true, true),
        ]
    )
    func thresholds(days: Int, stranded: Bool, superStranded: Bool) throws {
        let stay = try #require(LengthOfStay(days: days))
        #expect(stay.isStranded(using: .standard) == stranded)
        #expect(stay.isSuperStranded(using: .standard) == superStranded)
    }

    @Test func configurableThresholds() throws {
        let local = StrandedThresholds(strandedDays: 5, superStrandedDays: 14)
        let stay = try #require(LengthOfStay(days: 14))
        #expect(stay.isStranded(using: local))
        #expect(stay.isSuperStranded(using: local))
        #expect(!stay.isSuperStranded(using: .standard))
        #expect(StrandedThresholds(strandedDays: 10, superStrandedDays: 5).problems().count == 1)
        #expect(StrandedThresholds.standard.problems().isEmpty)
    }

    @Test(
        "highest band",
        arguments: [
            (6, nil), (7, 7), (13, 7), (14, 14), (21, 21), (49, 21), (50, 50), (99, 50), (100, 100), (400, 100),
        ] as [(Int, Int?)]
    )
    func band(days: Int, band: Int?) throws {
        #expect(try #require(LengthOfStay(days: days)).band(using: .standard)?.minimumDays == band)
    }

    @Test func cumulativeBandsAndLabels() throws {
        #expect(try #require(LengthOfStay(days: 23)).bands(using: .standard).map(\.label) == ["7+", "14+", "21+"])
        #expect(LengthOfStayBand.standard.map(\.label) == ["7+", "14+", "21+", "50+", "100+"])
        #expect(LengthOfStayBand.days21.id == "los-21-plus")
    }

    @Test func thresholdsDecodeWithDefaultsAndRefuseUnknownKeys() throws {
        let partial = try JSONDecoder().decode(StrandedThresholds.self, from: Data(#"{"strandedDays": 10}"#.utf8))
        #expect(partial == StrandedThresholds(strandedDays: 10))
        #expect(partial.superStrandedDays == 21)
        let bands = try JSONDecoder().decode(StrandedThresholds.self, from: Data(#"{"bands": [28, 7, 7]}"#.utf8))
        #expect(bands.bands == [.days7, LengthOfStayBand(minimumDays: 28)])
        #expect(try JSONDecoder().decode(StrandedThresholds.self, from: Data("{}".utf8)) == .standard)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(StrandedThresholds.self, from: Data(#"{"superStranded": 28}"#.utf8))
        }
        let roundTrip = try JSONDecoder().decode(StrandedThresholds.self, from: JSONEncoder().encode(StrandedThresholds.standard))
        #expect(roundTrip == .standard)
    }

    @Test(
        "age bands",
        arguments: [
            (0, AgeBand.under18), (17, .under18), (18, .from18to64), (64, .from18to64), (65, .from65to74),
            (74, .from65to74), (75, .from75to84), (84, .from75to84), (85, .from85), (103, .from85),
        ]
    )
    func ageBands(age: Int, band: AgeBand) {
        #expect(AgeBand(age: age) == band)
    }

    @Test func ageBandLabelsAndDatesOfBirth() {
        #expect(AgeBand.allCases.map(\.label) == ["under 18", "18–64", "65–74", "75–84", "85+"])
        #expect(AgeBand(age: -1) == nil)
        #expect(AgeBand.age(dateOfBirth: Self.date("1940-06-15"), on: Self.date("2025-06-14")) == 84)
        #expect(AgeBand.age(dateOfBirth: Self.date("1940-06-15"), on: Self.date("2025-06-15")) == 85)
        #expect(AgeBand(dateOfBirth: Self.date("1940-06-15"), on: Self.date("2025-06-15")) == .from85)
        // Born on a leap day: the birthday falls on 1 March in a common year.
        #expect(AgeBand.age(dateOfBirth: Self.date("1960-02-29"), on: Self.date("2025-02-28")) == 64)
        #expect(AgeBand.age(dateOfBirth: Self.date("1960-02-29"), on: Self.date("2025-03-01")) == 65)
        #expect(AgeBand.age(dateOfBirth: Self.date("2025-01-02"), on: Self.date("2025-01-01")) == nil)
    }
}
