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
import Workflow

/// The Level 2 meeting's and the chief executive call's free text: NUL and
/// over-long text are refused (422) naming the field, the typed form comes
/// back; and the call's list never shows the patient's names or NHS number
/// typed into an ask, however the number is written.
@Suite("Level 2 and the chief executive call: hostile free text and identifiers")
struct MeetingHostileTextTests {
    static let week = Level2PagesTests.week

    @Test(arguments: [
        ("decision=keep-at-level2&ask=&notes=typed%00notes", "Notes contains an invisible control character (NUL)", ""),
        (
            "decision=refer-to-ce&notes=Discussed&ask=" + HostileInput.overLong,
            "Ask of the chief executive call is 4,001 characters long; the limit is 4,000", ">Discussed</textarea>"
        ),
    ])
    func aLevel2DecisionWithBadTextIsRefusedAndKept(_ form: String, _ message: String, _ kept: String) async throws {
        try await TestCluster.withDatabase { database in
            let (fixture, brown) = try await Level2PagesTests().escalated(database)
            let chair = try await SignedIn.create(database, roles: [RoleGrant(.level2)])
            try await fixture.app().test(.router) { raw in
                let response = try await HostileInput.post(chair.client(raw), "/level2/\(Self.week)/cases/\(brown)", form: form)
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"decision-error-\(brown)\">\(message)"))
                #expect(html.contains(kept.isEmpty ? "typed" : kept))
            }
        }
    }

    @Test func anAgreedActionAndAttendanceWithBadTextAreRefusedAndKept() async throws {
        try await TestCluster.withDatabase { database in
            let (fixture, brown) = try await Level2PagesTests().escalated(database)
            let chair = try await SignedIn.create(database, roles: [RoleGrant(.level2)])
            try await fixture.app().test(.router) { raw in
                let client = chair.client(raw)
                var response = try await HostileInput.post(
                    client,
                    "/level2/\(Self.week)/cases/\(brown)/actions",
                    form: "description=\(HostileInput.overLong)&owner=Head+of+commissioning&agency=social-care&due_date=2026-11-23"
                )
                #expect(response.status == .unprocessableContent)
                var html = String(buffer: response.body)
                #expect(html.contains("id=\"action-error-\(brown)\">What will be done is 4,001 characters long; the limit is 4,000"))
                #expect(html.contains("value=\"Head of commissioning\""))
                #expect(html.contains("value=\"2026-11-23\""))

                response = try await HostileInput.post(
                    client,
                    "/level2/\(Self.week)/attendance",
                    form: "name=Alex%00Morgan&role=Chair&agency=nhs&present=yes"
                )
                #expect(response.status == .unprocessableContent)
                html = String(buffer: response.body)
                #expect(html.contains("id=\"attendance-error\">Name contains an invisible control character (NUL)"))
                #expect(html.contains("value=\"Chair\""))

                response = try await HostileInput.send(
                    client,
                    "/api/level2/\(Self.week)/cases/\(brown)/decision",
                    method: .post,
                    json: #"{"notes": "a\u0000b"}"#
                )
                #expect(response.status == .unprocessableContent)
                #expect(HostileInput.errorMessage(response)?.hasPrefix("Notes contains an invisible control character") == true)
                response = try await HostileInput.send(
                    client,
                    "/api/level2/\(Self.week)/attendance",
                    method: .post,
                    json: #"{"name": "Alex", "role": "\#(String(repeating: "r", count: 201))", "agency": "nhs"}"#
                )
                #expect(response.status == .unprocessableContent)
                #expect(HostileInput.errorMessage(response)?.hasPrefix("Role is 201 characters long; the limit is 200") == true)
            }
            let recorded: [Int64] = try await database.client.query("SELECT count(*)::bigint AS n FROM level2_attendance").map { try $0.decode("n") }
            #expect(recorded == [0])
        }
    }

    @Test func theCallListScrubsTheAskAndRefusesBadDecisionNotes() async throws {
        try await TestCluster.withDatabase { database in
            let (fixture, brown) = try await Level2PagesTests().escalated(database)
            let chair = try await SignedIn.create(database, roles: [RoleGrant(.level2)])
            let admin = try await SignedIn.create(database, roles: [RoleGrant(.administrator)])
            let executive = try await SignedIn.create(database, roles: [RoleGrant(.executive)])
            try await fixture.app().test(.router) { raw in
                // Brown, Bob is 999 000 0026; the ask names him and another number, written with dots.
                var response = try await HostileInput.post(
                    chair.client(raw),
                    "/level2/\(Self.week)/cases/\(brown)",
                    form: "decision=refer-to-ce&ask=re+999.000.0026+and+999+100+0046%2C+Bob+BROWN+needs+a+bed&notes="
                )
                #expect(response.status == .seeOther)
                response = try await HostileInput.send(
                    admin.client(raw),
                    "/api/cycle/ce-summary/runs",
                    method: .post,
                    json: #"{"week": "\#(Self.week)"}"#
                )
                #expect(response.status == .ok)
                let client = executive.client(raw)
                for uri in ["/ce/\(Self.week)", "/api/ce/\(Self.week)"] {
                    let body = String(buffer: try await HostileInput.get(client, uri).body)
                    #expect(body.contains("re [removed] and [removed], [removed] [removed] needs a bed"))
                    for identifier in ["999.000.0026", "999 100 0046", "Bob", "BROWN", "Brown"] {
                        #expect(!body.contains(identifier), "\(uri) shows \(identifier)")
                    }
                }
                response = try await HostileInput.post(client, "/ce/\(Self.week)/cases/\(brown)", form: "decision=resolved&notes=Funded%00today")
                #expect(response.status == .unprocessableContent)
                let html = String(buffer: response.body)
                #expect(html.contains("Notes contains an invisible control character (NUL)"))
                #expect(html.contains("Funded"))
                #expect(html.contains("<option value=\"resolved\" selected>"))
                response = try await HostileInput.send(
                    client,
                    "/api/ce/\(Self.week)/cases/\(brown)/decision",
                    method: .post,
                    json: #"{"decision": "resolved", "notes": "\#(HostileInput.overLong)"}"#
                )
                #expect(response.status == .unprocessableContent)
                #expect(HostileInput.errorMessage(response)?.hasPrefix("Notes is 4,001 characters long; the limit is 4,000") == true)
            }
        }
    }
}
