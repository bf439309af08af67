import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport
import Testing

@testable import Web

/// Every 5xx leaves an error-level line with the request id and the error,
/// and no patient data or query string; the client gets a generic message.
@Suite("Server errors are logged with their request id")
struct ServerErrorLoggingTests {
    struct Failure: Error, CustomStringConvertible {
        var description: String { #"could not store "Ann Smith" for 999 100 0046"# }
    }

    static func app(_ recorder: CapturedLog) -> some ApplicationProtocol {
        let router = Router(context: AppRequestContext.self)
        router.addMiddleware { ServerErrorMiddleware() }
        router.get("/thrown") { _, _ -> Response in throw Failure() }
        router.get("/http-500") { _, _ -> Response in throw HTTPError(.internalServerError, message: "template missing") }
        router.get("/returned") { _, _ in Response(status: .serviceUnavailable) }
        router.get("/fine") { _, _ in Response(status: .ok) }
        router.get("/refused") { _, _ -> Response in throw HTTPError(.badRequest, message: "from is not a date") }
        return Application(router: router, logger: recorder.logger)
    }

    @Test(arguments: ["/thrown", "/http-500", "/returned"])
    func aFiveHundredIsLoggedAtErrorWithTheRequestID(_ path: String) async throws {
        let recorder = CapturedLog()
        try await Self.app(recorder).test(.router) { client in
            let response = try await client.executeRequest(uri: path + "?nhs=9991000046&name=Smith", method: .get, headers: [:], body: nil)
            #expect(response.status.code >= 500)
            let errors = recorder.entries.filter { $0.level == .error }
            #expect(errors.count == 1)
            let line = try #require(errors.first)
            let id = try #require(line.metadata["hb.request.id"]?.description)
            #expect(!id.isEmpty)
            #expect(line.metadata["hb.request.path"]?.description == path)
            let logged = "\(line.message) \(line.metadata)"
            for leaked in ["9991000046", "999 100 0046", "Ann Smith", "Smith", "nhs="] {
                #expect(!logged.contains(leaked), "the log line carries \(leaked)")
            }
            if path != "/returned" {
                #expect(line.metadata["error.type"] != nil)
                let body = String(buffer: response.body)
                #expect(body.contains("Something went wrong on our side"))
                #expect(body.contains(id))
                #expect(!body.contains("Ann") && !body.contains("template missing"))
            }
        }
    }

    @Test func fourHundredsAndSuccessesLogNoError() async throws {
        let recorder = CapturedLog()
        try await Self.app(recorder).test(.router) { client in
            let refused = try await client.executeRequest(uri: "/refused", method: .get, headers: [:], body: nil)
            #expect(refused.status == .badRequest)
            #expect(String(buffer: refused.body).contains("from is not a date"))
            _ = try await client.executeRequest(uri: "/fine", method: .get, headers: [:], body: nil)
        }
        #expect(recorder.entries.filter { $0.level == .error }.isEmpty)
    }
}
