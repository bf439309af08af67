import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing
import Web

/// A plan note is free text like any other: a NUL or a pasted document is
/// refused naming the field and its limit, and the action page keeps the text.
@Suite("Plan notes: hostile free text")
struct PlanHostileTextTests {
    @Test(arguments: [
        ("text=Workshop%00held", "Progress contains an invisible control character (NUL)"),
        ("text=" + HostileInput.overLong, "Progress is 4,001 characters long; the limit is 4,000"),
    ])
    func theActionPageRefusesTheNoteBesideTheFieldAndKeepsIt(_ text: String, _ message: String) async throws {
        try await PlanPagesTests.withSeededApp { client in
            let response = try await HostileInput.post(client, "/plan/actions/H2", form: "form=note&author=Ann+Officer&target=&date=&" + text)
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("id=\"note-text-error\">\(message)"))
            #expect(html.contains(text.hasPrefix("text=Workshop") ? "Workshop" : ">\(HostileInput.overLong)</textarea>"))
        }
    }

    @Test func theAPIRefusesANULAndAPastedDocument() async throws {
        try await PlanPagesTests.withSeededApp { client in
            var response = try await HostileInput.send(
                client,
                "/api/plan/actions/A1/notes",
                method: .post,
                json: #"{"author": "API client", "text": "a\u0000b"}"#
            )
            #expect(response.status == .unprocessableContent)
            #expect(HostileInput.errorMessage(response)?.hasPrefix("Progress contains an invisible control character (NUL)") == true)
            let document = String(repeating: "Lorem ipsum dolor sit amet. ", count: 68_000)
            response = try await HostileInput.send(
                client,
                "/api/plan/actions/A1/notes",
                method: .post,
                json: #"{"author": "API client", "text": "\#(document)"}"#
            )
            #expect(response.status == .unprocessableContent)
            #expect(HostileInput.errorMessage(response)?.contains("the limit is 4,000") == true)
            response = try await HostileInput.get(client, "/api/plan/actions/A1")
            #expect(response.body.readableBytes < 200_000)
        }
    }
}
