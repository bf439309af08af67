import Foundation
import Reports
import Store
import StrandedCore
import TestSupport
import Testing

@testable import Workflow

@Suite("Trend exports carry the board rounds' red days and the aim measured on stays")
struct TrendExportBoardRoundAimTests {
    /// Four acute admissions in the week of 2 Nov 2026: a same-day discharge,
    /// two moved on within six days (one home, one to a community bed), one
    /// sent to another acute hospital (still in acute care, so not moved on).
    static let stays = """
        site_code,ward_code,nhs_number,local_patient_id,admission_date,discharge_date,destination
        ACU1,AMU,\(nhs(11)),,2026-11-02,2026-11-02,usual-residence
        ACU1,AMU,\(nhs(12)),,2026-11-03,2026-11-09,community-bed
        ACU1,AMU,,RX1-1,2026-11-08,2026-11-10,usual-residence
        ACU1,AMU,,RX1-2,2026-11-04,2026-11-05,other-acute

        """

    /// Wednesday 18 Nov: Adams red (awaiting placement), Brown green; both stranded that day.
    func recordWednesday(_ database: Database) async throws {
        let s = try await RedDayServiceTests.setUp(database)
        _ = try await s.service.record(
            ward: s.ward,
            date: RedDayServiceTests.wednesday,
            entries: [
                DayEntryInput(target: RedDayServiceTests.stay(s.adams), status: "red", reason: "awaiting-placement"),
                DayEntryInput(target: RedDayServiceTests.stay(s.brown), status: "green", reason: nil),
            ],
            source: .page,
            by: "Sister Jones",
            now: RedDayServiceTests.now
        )
    }

    func export(_ database: Database, format: String) async throws -> String {
        let service = TrendService(database: database, policy: .standard)
        let request = try TrendRequest.parse(
            from: "2026-11-02",
            to: "2026-11-16",
            scope: "system",
            code: nil,
            format: format,
            publication: false,
            suppressBelow: nil,
            latest: CalendarDate(iso: "2026-11-16")!
        )
        return try await service.export(request)
    }

    @Test func theWideAndLongExportsHaveRedBedDaysTheRedShareReasonsAgenciesAndTheAim() async throws {
        try await TestCluster.withDatabase { database in
            try await recordWednesday(database)
            let report = try await StayImporter(database: database).importCSV(Array(Self.stays.utf8), by: "test")
            #expect(report.accepted)

            let csv = try await export(database, format: "csv")
            let lines = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = try #require(lines.first)
            func value(_ column: String, week: String) throws -> String {
                let index = try #require(header.firstIndex(of: column), "no column \(column)")
                let row = try #require(lines.first { $0.first == week }, "no row for \(week)")
                return row[index]
            }
            // Wednesday 18 Nov: Adams red (awaiting placement, an agency of both), Brown green; both stranded that day.
            #expect(try value("board_round_days", week: "2026-11-16") == "2")
            #expect(try value("red_bed_days", week: "2026-11-16") == "1")
            #expect(try value("stranded_red_days_pct", week: "2026-11-16") == "50")
            #expect(try value("red_reason_awaiting_placement", week: "2026-11-16") == "1")
            #expect(try value("red_days_agency_both", week: "2026-11-16") == "1")
            #expect(try value("red_days_agency_social_care", week: "2026-11-16") == "0")
            // The week of 2 Nov: 4 admissions, 3 moved on within 0–6 days.
            #expect(try value("aim_acute_admissions", week: "2026-11-02") == "4")
            #expect(try value("aim_moved_on", week: "2026-11-02") == "3")
            #expect(try value("aim_moved_on_pct", week: "2026-11-02") == "75")
            // No board round that week: blank, not 0.
            #expect(try value("red_bed_days", week: "2026-11-02") == "")

            let long = try await export(database, format: "long")
            #expect(long.contains("2026-11-02,SYSTEM,Whole system,aim_moved_on_pct,75\r\n"))
            #expect(long.contains("2026-11-16,SYSTEM,Whole system,red_bed_days,1\r\n"))

            let json = try await export(database, format: "json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let aim = try #require(document["aim"] as? [String: Any])
            #expect(aim["band_low_pct"] as? Int == 85 && aim["band_high_pct"] as? Int == 90)
        }
    }

    @Test func withoutStaysTheAimIsBlankAndTheJSONSaysWhy() async throws {
        try await TestCluster.withDatabase { database in
            _ = try await RedDayServiceTests.setUp(database)
            let csv = try await export(database, format: "csv")
            let header = try #require(csv.split(separator: "\r\n").first).split(separator: ",").map(String.init)
            let index = try #require(header.firstIndex(of: "aim_acute_admissions"))
            for row in csv.split(separator: "\r\n").dropFirst() {
                #expect(row.split(separator: ",", omittingEmptySubsequences: false)[index] == "")
            }
            let json = try await export(database, format: "json")
            #expect(json.contains(AdmissionsAim.notMeasured))
        }
    }

    @Test func theSummaryHeadlineGivesLastWeeksRedBedDaysAndTopReasons() async throws {
        try await TestCluster.withDatabase { database in
            try await recordWednesday(database)
            let service = EscalationSummaryService(database: database, policy: .standard, delivery: .none)
            // The summary of the week of 23 Nov reads the last whole week, the board rounds of 16–22 Nov.
            let frozen = try await service.build(week: ReviewCycleTests.monday2, builtBy: "Test Builder")
            let line = try #require(frozen.summary.redDays)
            #expect(line.hasPrefix("Red bed-days, week of 2026-11-16: 1 of 2 patient-days at board rounds (50%); stranded patients' days 50% red."))
            #expect(line.contains("Top red reasons: Awaiting placement"))
            #expect(frozen.html.contains("1 of 2 patient-days"))
            #expect(frozen.markdown.contains("1 of 2 patient-days"))
        }
    }
}
