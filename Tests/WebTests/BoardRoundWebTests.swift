import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Web

/// The board round runs on today's date (the service's clock), so the fixture's
/// list from 16 Nov 2026 is the ward's latest list whatever day the test runs.
@Suite("The daily board round: page, API and access")
struct BoardRoundWebTests {
    static var today: CalendarDate { CalendarDate.today(in: .london) }

    static func tokens(_ html: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"name="p(\d+)" value="([^"]*)""#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            String(html[Range(match.range(at: 2), in: html)!]).replacingOccurrences(of: "&#124;", with: "|")
        }
    }

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._"))
        return ByteBuffer(
            string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        )
    }

    @Test func aWardRecordsItsRoundKeepsTypedValuesOnErrorsAndSeesTheCounts() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                let path = "/wards/\(fixture.wardID)/days/\(Self.today.iso)"
                try await client.execute(uri: "/wards/\(fixture.wardID)/days", method: .get) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == path)
                }
                try await client.execute(uri: "/wards/\(fixture.wardID)?week=\(ReviewWebFixture.week)", method: .get) { response in
                    #expect(String(buffer: response.body).contains("href=\"/wards/\(fixture.wardID)/days\""))
                }
                var tokens: [String] = []
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    let html = String(buffer: response.body)
                    tokens = Self.tokens(html)
                    // Every control labelled: each radio by its label, the group and the select by the patient.
                    #expect(html.contains("<label for=\"s0-green\""))
                    #expect(html.contains("<legend class=\"visually-hidden\">Day for BROWN, Bob</legend>"))
                    #expect(html.contains("<label for=\"r0\" class=\"visually-hidden\">Reason if red for BROWN, Bob</label>"))
                    #expect(html.contains("Save the board round"))
                }
                #expect(tokens.count == 4)
                // Brown red without a reason: refused, nothing stored, the typed values kept.
                let refused = [
                    ("_csrf", client.user.csrf), ("p0", tokens[0]), ("s0", "red"), ("r0", ""), ("p1", tokens[1]), ("s1", "green"),
                    ("r1", ""), ("p2", tokens[2]), ("s2", ""), ("r2", ""), ("p3", tokens[3]), ("s3", "green"), ("r3", "awaiting-test"),
                ]
                try await client.execute(
                    uri: path,
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: Self.form(refused)
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    let html = String(buffer: response.body)
                    #expect(html.contains("<p class=\"field-error\" id=\"e0\">Give the reason for the red day.</p>"))
                    #expect(html.contains("id=\"e3\">A green day has no red reason"))
                    #expect(html.contains("id=\"s0-red\" name=\"s0\" value=\"red\" checked"))
                    #expect(html.contains("<option value=\"awaiting-test\" selected>"))
                }
                #expect(try await database.client.query("SELECT count(*) AS n FROM board_round_day")[0].decode("n", as: Int.self) == 0)
                let good = [
                    ("_csrf", client.user.csrf), ("p0", tokens[0]), ("s0", "red"), ("r0", "awaiting-placement"), ("p1", tokens[1]),
                    ("s1", "green"), ("r1", ""), ("p2", tokens[2]), ("s2", ""), ("r2", ""), ("p3", tokens[3]), ("s3", "green"), ("r3", ""),
                ]
                try await client.execute(
                    uri: path,
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: Self.form(good)
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == path + "?recorded=3&corrected=0")
                }
                try await client.execute(uri: path + "?recorded=3&corrected=0", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("Board round saved: 3 days recorded, 0 corrected."))
                    #expect(html.contains("1 this week, 1 in all, longest run 1"))
                    #expect(html.contains("id=\"s1-green\" name=\"s1\" value=\"green\" checked"))
                }
            }
        }
    }

    @Test func theAPIRecordsByIdentifierAndNamesEachRefusedEntry() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                let path = "/api/wards/\(fixture.wardID)/days/\(Self.today.iso)"
                let body =
                    #"[{"nhsNumber": "999 000 0018", "status": "red", "reason": "awaiting-transport"}, {"caseReference": "C-999999", "status": "green"}]"#
                try await client.execute(uri: path, method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) {
                    response in
                    #expect(response.status == .unprocessableContent)
                    let json = try jsonObject(response.body)
                    let problems = json["problems"] as? [[String: Any]] ?? []
                    #expect(problems.map { $0["index"] as? Int } == [1])
                    #expect(problems.map { $0["field"] as? String } == ["patient"])
                    #expect(!String(buffer: response.body).contains("9990000018"))
                }
                let ok =
                    #"[{"nhsNumber": "9990000018", "status": "red", "reason": "awaiting-transport"}, {"nhsNumber": "9990000026", "status": "green"}]"#
                try await client.execute(uri: path, method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: ok)) {
                    response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"corrected":0,"recorded":2,"unchanged":0}"#)
                }
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#""reason":"awaiting-transport""#))
                }
                try await client.execute(uri: path, method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{")) {
                    response in
                    #expect(response.status == .badRequest)
                }
                let old = "/api/wards/\(fixture.wardID)/days/\(Self.today.adding(days: -8).iso)"
                try await client.execute(uri: old, method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(string: ok)) {
                    response in
                    #expect(response.status == .unprocessableContent)
                    #expect(String(buffer: response.body).contains("correct"))
                }
            }
        }
    }

    @Test func onlyTheWardsOwnStaffRecordTheirDays() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let other = try await SignedIn.create(database, roles: [RoleGrant(.ward, scope: ["ACU1/W9"])])
            let level2 = try await SignedIn.create(database, roles: [RoleGrant(.level2, scope: [])])
            try await fixture.app().test(.router) { raw in
                let path = "/wards/\(fixture.wardID)/days/\(Self.today.iso)"
                try await other.client(raw).execute(uri: path, method: .get) { #expect($0.status == .notFound) }
                try await other.client(raw).execute(uri: "/api" + path, method: .put, body: ByteBuffer(string: "[]")) {
                    #expect($0.status == .notFound)
                }
                try await level2.client(raw).execute(uri: path, method: .get) { #expect($0.status == .ok) }
                try await level2.client(raw).execute(
                    uri: path,
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: Self.form([("_csrf", level2.csrf)])
                ) { #expect($0.status == .forbidden) }
            }
        }
    }

    @Test func theWardWeekAndTheLevel1FormShowTheDaysAndTheFormSummarisesThem() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let store = RedDayStore(database: database)
            let ward = try #require(try await store.ward(id: fixture.wardID, scope: .all))
            let adams = try #require(try await store.patients(ward: ward, date: CalendarDate(iso: "2026-11-18")!).first { $0.familyName == "Adams" })
            // Monday and Tuesday of the list's week, red (the store, as the demo writes history, outside any window).
            _ = try await store.record(
                ["2026-11-16", "2026-11-17"].map {
                    DayToRecord(
                        patientKey: adams.patientKey,
                        admissionDate: adams.admissionDate,
                        caseID: adams.caseID,
                        day: RecordedDay(date: CalendarDate(iso: $0)!, status: .red, reason: "awaiting-package-of-care")
                    )
                },
                ward: ward,
                source: .demo,
                by: "test"
            )
            let formID: Int64 = try await database.client.query("SELECT id FROM level1_form WHERE case_id = \(adams.caseID!)")[0].decode("id")
            try await fixture.app().test(.router) { raw in
                let client = try await fixture.signedIn().client(raw)
                try await client.execute(uri: "/wards/\(fixture.wardID)?week=\(ReviewWebFixture.week)", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("<th scope=\"col\">Red days</th>"))
                    #expect(html.contains("<td>2 this week · 2 in all · longest run 2</td>"))
                    #expect(html.contains("<td>None recorded</td>"))
                }
                try await client.execute(uri: "/forms/\(formID)", method: .get) { response in
                    let html = String(buffer: response.body)
                    #expect(
                        html.contains("This week&#39;s days so far: 2 red, 0 green, 5 not recorded.")
                            || html.contains("This week's days so far: 2 red, 0 green, 5 not recorded.")
                    )
                    #expect(html.contains("In this stay: 2 red days, the longest run 2 days."))
                    #expect(!html.contains("name=\"day_status\""))
                }
                try await client.execute(
                    uri: "/api/forms/\(formID)",
                    method: .put,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"version": 1, "review": {"status": "green"}}"#)
                ) { response in
                    #expect(response.status == .ok)
                    let form = try jsonObject(response.body)["form"] as? [String: Any]
                    #expect((form?["review"] as? [String: Any])?["status"] as? String == "red")
                }
            }
        }
    }

    @Test func theTrendsPageShowsRedBedDaysAndTheTopReasons() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ReviewWebFixture(database: database)
            let store = RedDayStore(database: database)
            let ward = try #require(try await store.ward(id: fixture.wardID, scope: .all))
            let patients = try await store.patients(ward: ward, date: CalendarDate(iso: "2026-11-17")!)
            _ = try await store.record(
                patients.map {
                    DayToRecord(
                        patientKey: $0.patientKey,
                        admissionDate: $0.admissionDate,
                        caseID: $0.caseID,
                        day: $0.familyName == "Dale"
                            ? RecordedDay(date: CalendarDate(iso: "2026-11-17")!, status: .green)
                            : RecordedDay(date: CalendarDate(iso: "2026-11-17")!, status: .red, reason: "awaiting-placement")
                    )
                },
                ward: ward,
                source: .demo,
                by: "test"
            )
            let viewer = try await SignedIn.create(database, roles: [RoleGrant(.viewer)])
            try await fixture.app().test(.router) { raw in
                try await viewer.client(raw).execute(uri: "/trends?from=2026-11-16&to=2026-11-16", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(html.contains("<h2>Red bed-days</h2>"))
                    // Three red of four recorded; the three stranded patients' days all red.
                    #expect(html.contains("<td>16 Nov 2026</td><td class=\"num\">3</td><td class=\"num\">4</td><td class=\"num\">100%</td>"))
                    #expect(html.contains("<td>Awaiting placement</td><td>NHS and social care</td><td class=\"num\">3</td>"))
                }
            }
        }
    }
}
