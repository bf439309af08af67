import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Requests the hostile-input tests send, in one place.
enum HostileInput {
    /// Over the 4,000-character limit of notes and answers.
    static let overLong = String(repeating: "x", count: 4_001)

    static func post(_ client: any TestClientProtocol, _ uri: String, form: String) async throws -> TestResponse {
        try await client.executeRequest(
            uri: uri,
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form)
        )
    }

    static func send(_ client: any TestClientProtocol, _ uri: String, method: HTTPRequest.Method, json: String) async throws -> TestResponse {
        try await client.executeRequest(uri: uri, method: method, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.executeRequest(uri: uri, method: .get, headers: [:], body: nil)
    }

    /// `{"error": {"message": …}}`'s message.
    static func errorMessage(_ response: TestResponse) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["message"] as? String
    }
}
