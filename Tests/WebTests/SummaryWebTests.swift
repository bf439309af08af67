import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Reports
import Store
import StrandedCore
import TestSupport
import Testing
import Web
import Workflow

/// What a test webhook receiver has been sent, and how it should answer.
actor WebhookRecorder {
    private(set) var bodies: [Data] = []
    /// Answers 503 to this many requests before answering 204.
    var failuresLeft: Int

    init(failuresLeft: Int) { self.failuresLeft = failuresLeft }

    func receive(_ body: Data) -> HTTPResponse.Status {
        bodies.append(body)
        if failuresLeft > 0 {
            failuresLeft -= 1
            return .serviceUnavailable
        }
        return .noContent
    }
}

@Suite("Chief executive summary: pages, API and webhook")
struct SummaryWebTests {
    static let week = ReviewWebFixture.week

    /// A real HTTP listener on a free local port, answering POST /hook.
    func withReceiver(_ recorder: WebhookRecorder, slow: Bool = false, _ body: @Sendable @escaping (Int) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 4 * 1024 * 1024)
            if slow { try await Task.sleep(for: .seconds(3)) }
            return Response(status: await recorder.receive(Data(bytes.readableBytesView)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    @Test func aFailingWebhookIsRetriedByTheDeliveryServiceUntilItSucceeds() async throws {
        try await TestCluster.withDatabase { database in
            _ = try await ReviewWebFixture(database: database)
            let recorder = WebhookRecorder(failuresLeft: 2)
            try await withReceiver(recorder) { port in
                let delivery = SummaryDeliveryConfiguration(
                    webhook: URL(string: "http://127.0.0.1:\(port)/hook?token=secret")!,
                    timeout: .seconds(5),
                    maxAttempts: 5,
                    initialBackoff: .zero,
                    pollInterval: .milliseconds(50)
                )
                let service = EscalationSummaryService(database: database, policy: .standard, delivery: delivery)
                // The build tries once straight away: the receiver answers 503.
                let frozen = try await service.build(week: ReviewWeek(monday: CalendarDate(iso: Self.week)!)!, builtBy: "Webhook Test")
                var record = try #require(try await service.store.deliveries(summaryIDs: [frozen.id]).first)
                #expect(record.status == .pending && record.attempts == 1)
                #expect(record.lastError?.contains("HTTP 503") == true)

                // The daemon's retry loop takes it from there.
                let retries = SummaryDeliveryService(service: service, logger: Logger(label: "test"))
                let task = Task { try await retries.run() }
                let clock = ContinuousClock()
                let giveUp = clock.now + .seconds(15)
                while clock.now < giveUp {
                    record = try #require(try await service.store.deliveries(summaryIDs: [frozen.id]).first)
                    if record.status != .pending { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                task.cancel()
                _ = try? await task.value
                #expect(record.status == .delivered && record.attempts == 3 && record.lastError == nil)

                let bodies = await recorder.bodies
                #expect(bodies.count == 3)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let payload = try decoder.decode(SummaryWebhookPayload.self, from: try #require(bodies.last))
                #expect(payload.kind == "stranded.ce-summary" && payload.version == 1 && payload.week.monday.iso == Self.week)
                #expect(payload.summary == frozen.summary && payload.markdown == frozen.markdown)
                let text = String(decoding: bodies.last!, as: UTF8.self)
                for hidden in ["Adams", "Brown", "9990000018", "9990000026"] { #expect(!text.contains(hidden)) }
            }
        }
    }

    @Test func aWebhookThatDoesNotAnswerInTimeFailsAndIsGivenUpAfterTheLastAttempt() async throws {
        try await TestCluster.withDatabase { database in
            _ = try await ReviewWebFixture(database: database)
            let recorder = WebhookRecorder(failuresLeft: 0)
            try await withReceiver(recorder, slow: true) { port in
                let delivery = SummaryDeliveryConfiguration(
                    webhook: URL(string: "http://127.0.0.1:\(port)/hook")!,
                    timeout: .seconds(1),
                    maxAttempts: 1,
                    initialBackoff: .zero
                )
                let service = EscalationSummaryService(database: database, policy: .standard, delivery: delivery)
                let frozen = try await service.build(week: ReviewWeek(monday: CalendarDate(iso: Self.week)!)!, builtBy: "Timeout Test")
                let record = try #require(try await service.store.deliveries(summaryIDs: [frozen.id]).first)
                #expect(record.status == .failed && record.attempts == 1)
                #expect(record.lastError?.contains("did not answer within 1 s") == true)
            }
        }
    }

    @Test func pagesAndAPI() async throws {
        try await TestCluster.withDatabase { database in
            _ = try await ReviewWebFixture(database: database)
            let app = buildApplication(
                configuration: .init(),
                dependencies: try await AppDependencies.forTests(database: database),
                logger: Logger(label: "test")
            )
            // An executive, signed in (session on pages, bearer token on the API).
            let executive = try await SignedIn.create(database, roles: [RoleGrant(.executive)], username: "ceo")
            try await app.test(.router) { raw in
                let client = executive.client(raw)
                try await client.execute(uri: "/summary", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("No summaries have been built yet"))
                }
                try await client.execute(uri: "/summary/\(Self.week)", method: .get) { response in
                    #expect(response.status == .notFound)
                }
                try await client.execute(
                    uri: "/api/summaries/2026-11-17/builds",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"builtBy":"API"}"#)
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("2026-11-16"))
                }
                // Signed in, the builder is known: no name needs typing (version 1 records the API token).
                try await client.execute(
                    uri: "/api/summaries/\(Self.week)/builds",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: "{}")
                ) { response in
                    #expect(response.status == .created)
                    #expect(response.headers[.location] == "/summary/\(Self.week)/versions/1")
                }
                for expected in 2...2 {
                    try await client.execute(
                        uri: "/api/summaries/\(Self.week)/builds",
                        method: .post,
                        headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"builtBy":"API Test"}"#)
                    ) { response in
                        #expect(response.status == .created)
                        #expect(response.headers[.location] == "/summary/\(Self.week)/versions/\(expected)")
                    }
                }
                try await client.execute(uri: "/summary/\(Self.week)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    let html = String(buffer: response.body)
                    // The escalation figures are wired from the database now (the lead's SummaryRoutes wiring).
                    #expect(html.contains("version 2") && !html.contains("Escalation data not connected"))
                    #expect(html.contains(SummaryStyle.path))
                    for hidden in ["Adams", "Brown", "9990000018"] { #expect(!html.contains(hidden)) }
                }
                try await client.execute(uri: "/summary/\(Self.week)/versions/1", method: .get) { response in
                    #expect(String(buffer: response.body).contains("version 1"))
                }
                try await client.execute(uri: "/summary/\(Self.week)/versions/3", method: .get) { response in
                    #expect(response.status == .notFound)
                }
                try await client.execute(uri: "/summary/\(Self.week).md", method: .get) { response in
                    #expect(response.headers[.contentType]?.hasPrefix("text/markdown") == true)
                    #expect(String(buffer: response.body).hasPrefix("# Escalation summary"))
                }
                try await client.execute(uri: "/api/summaries/\(Self.week)?version=1", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = String(buffer: response.body)
                    #expect(body.contains("\"version\":1") && body.contains("\"headline\""))
                }
                try await client.execute(uri: SummaryStyle.path, method: .get) { response in
                    #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
                    #expect(String(buffer: response.body) == SummaryStyle.css)
                }
                // The page's form: a Tuesday is refused with the Monday named; a Monday builds version 3.
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                try await client.execute(
                    uri: "/summary",
                    method: .post,
                    headers: form,
                    body: ByteBuffer(string: "week=2026-11-17&builtBy=Page+Test")
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(String(buffer: response.body).contains("16/11/2026"))
                }
                // Signed in, a blank name is no longer refused: the version records the signed-in user.
                try await client.execute(
                    uri: "/summary",
                    method: .post,
                    headers: form,
                    body: ByteBuffer(string: "week=\(Self.week)&builtBy=")
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/summary/\(Self.week)/versions/3")
                }
                try await client.execute(
                    uri: "/summary",
                    method: .post,
                    headers: form,
                    body: ByteBuffer(string: "week=\(Self.week)&builtBy=Page+Test")
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/summary/\(Self.week)/versions/4")
                }
                try await client.execute(uri: "/summary", method: .get) { response in
                    let page = String(buffer: response.body)
                    #expect(page.contains("/summary/\(Self.week)/versions/2") && page.contains("/summary/\(Self.week)/versions/1"))
                    // Who built it is the signed-in user, not a typed name.
                    #expect(page.contains("ceo"))
                    #expect(!page.contains("Page Test"))
                    #expect(page.contains("none configured"))
                }
                // The build form is a browser's POST end to end: `_csrf` in the body, the cookie only.
                try await raw.execute(uri: "/summary", method: .get, headers: [.cookie: executive.cookie]) { response in
                    #expect(String(buffer: response.body).contains("name=\"_csrf\" value=\"\(executive.csrf)\""))
                }
                let csrf = executive.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                try await raw.execute(
                    uri: "/summary",
                    method: .post,
                    headers: [.cookie: executive.cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "_csrf=\(csrf)&week=\(Self.week)")
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/summary/\(Self.week)/versions/5")
                }
                try await raw.execute(
                    uri: "/summary",
                    method: .post,
                    headers: [.cookie: executive.cookie, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "week=\(Self.week)")
                ) { response in
                    #expect(response.status == .forbidden)
                }
            }
        }
    }
}
