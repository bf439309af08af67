import Foundation
import Testing

@testable import StrandedCore

@Suite("Review week")
struct ReviewWeekTests {
    private static func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }
    private static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test(
        "every day of a week belongs to its Monday",
        arguments: [
            "2025-01-06", "2025-01-07", "2025-01-08", "2025-01-09", "2025-01-10", "2025-01-11", "2025-01-12",
        ]
    )
    func containing(iso: String) {
        #expect(ReviewWeek.containing(Self.date(iso)).monday == Self.date("2025-01-06"))
    }

    @Test func onlyMondaysKeyAWeek() {
        #expect(ReviewWeek(monday: Self.date("2025-01-06")) != nil)
        #expect(ReviewWeek(monday: Self.date("2025-01-07")) == nil)
    }

    @Test func previousAndNextAcrossYearEnd() throws {
        let week = try #require(ReviewWeek(monday: Self.date("2024-12-30")))
        #expect(week.next.monday == Self.date("2025-01-06"))
        #expect(week.previous.monday == Self.date("2024-12-23"))
        #expect(week.adding(weeks: 52).monday == Self.date("2025-12-29"))
        #expect(week.weeks(until: week.adding(weeks: -3)) == -3)
        #expect(week.contains(Self.date("2025-01-05")))
        #expect(!week.contains(Self.date("2025-01-06")))
        #expect(week.sunday == Self.date("2025-01-05"))
        #expect(week.dates.count == 7)
        #expect(week < week.next)
    }

    @Test func weekOfAnInstantFollowsLondonCalendar() {
        // 23:30 UTC on Sun 6 Jul 2025 is 00:30 BST on Mon 7 Jul: the new week.
        #expect(ReviewWeek.containing(Self.instant("2025-07-06T23:30:00Z")).monday == Self.date("2025-07-07"))
        // In winter London is on UTC: 23:30 UTC Sunday is still Sunday.
        #expect(ReviewWeek.containing(Self.instant("2025-01-12T23:30:00Z")).monday == Self.date("2025-01-06"))
    }

    @Test func labels() throws {
        let week = try #require(ReviewWeek(monday: Self.date("2025-01-06")))
        #expect(week.label == "w/c 6 Jan 2025")
        #expect(week.longLabel == "Week commencing Monday 6 January 2025")
        #expect(week.description == "2025-01-06")
    }

    @Test(
        "ISO week numbers",
        arguments: [
            ("2024-12-30", "2025-W01"), ("2025-01-06", "2025-W02"), ("2021-01-04", "2021-W01"),
            ("2020-12-28", "2020-W53"), ("2026-12-28", "2026-W53"), ("2025-12-22", "2025-W52"),
        ]
    )
    func isoWeek(monday: String, expected: String) throws {
        #expect(try #require(ReviewWeek(monday: Self.date(monday))).isoWeek == expected)
    }

    @Test func codableIsTheMondayAndRefusesOtherDays() throws {
        let week = ReviewWeek.containing(Self.date("2025-03-05"))
        let data = try JSONEncoder().encode([week])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-03-03"]"#)
        #expect(try JSONDecoder().decode([ReviewWeek].self, from: data) == [week])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ReviewWeek].self, from: Data(#"["2025-03-04"]"#.utf8))
        }
    }
}
