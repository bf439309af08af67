import Foundation
import Reports
import Store
import StrandedCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the webhook receives: the version's identity, the model, and both
/// renderings (so a receiver can email the Markdown or attach the HTML).
public struct SummaryWebhookPayload: Codable, Sendable {
    public let kind: String
    public let week: ReviewWeek
    public let version: Int
    public let builtAt: Date
    public let builtBy: String
    public let summary: EscalationSummary
    public let markdown: String
    public let html: String
}

/// Delivers one frozen summary to one destination. Throws a readable error
/// on failure; the caller records it and schedules the retry.
struct SummaryDeliverer: Sendable {
    let timeout: Duration

    enum Failure: Error, CustomStringConvertible {
        case outbox(String)
        case webhookStatus(Int, String)
        case webhook(String)

        var description: String {
            switch self {
            case .outbox(let message): return "outbox: \(message)"
            case .webhookStatus(let code, let body): return "webhook answered HTTP \(code)\(body.isEmpty ? "" : ": \(body)")"
            case .webhook(let message): return "webhook: \(message)"
            }
        }
    }

    func deliver(_ frozen: FrozenSummary, channel: SummaryDeliveryChannel, target: String) async throws {
        switch channel {
        case .outbox: try writeOutbox(frozen, directory: URL(fileURLWithPath: target, isDirectory: true))
        case .webhook: try await post(frozen, to: target)
        }
    }

    /// `ce-summary-YYYY-MM-DD-vN` without the extension.
    static func baseName(_ frozen: FrozenSummary) -> String {
        "ce-summary-\(frozen.week.monday.iso)-v\(frozen.version)"
    }

    /// Writes the three files, each to a temporary name in the same directory
    /// then renamed, so a reader of the outbox never sees half a file.
    func writeOutbox(_ frozen: FrozenSummary, directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let base = Self.baseName(frozen)
            let files: [(String, Data)] = [
                ("\(base).html", Data(frozen.html.utf8)),
                ("\(base).md", Data(frozen.markdown.utf8)),
                ("\(base).json", try SummaryJSON.encode(frozen.summary)),
            ]
            for (name, data) in files {
                let final = directory.appendingPathComponent(name)
                let temporary = directory.appendingPathComponent(".\(name).\(UUID().uuidString).tmp")
                try data.write(to: temporary)
                guard rename(temporary.path, final.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    try? FileManager.default.removeItem(at: temporary)
                    throw Failure.outbox("could not move \(name) into \(directory.path): \(reason)")
                }
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.outbox("could not write to \(directory.path): \(error.localizedDescription)")
        }
    }

    func post(_ frozen: FrozenSummary, to target: String) async throws {
        guard let url = URL(string: target) else { throw Failure.webhook("\(target) is not a URL") }
        let payload = SummaryWebhookPayload(
            kind: "stranded.ce-summary",
            week: frozen.week,
            version: frozen.version,
            builtAt: frozen.builtAt,
            builtBy: frozen.builtBy,
            summary: frozen.summary,
            markdown: frozen.markdown,
            html: frozen.html
        )
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("\(frozen.week.monday.iso)-v\(frozen.version)", forHTTPHeaderField: "X-Stranded-Summary")
        request.httpBody = try SummaryJSON.encoder().encode(payload)
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        request.timeoutInterval = seconds
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError where error.code == .timedOut {
            throw Failure.webhook("\(url.host ?? target) did not answer within \(Int(seconds.rounded())) s")
        } catch let error as URLError {
            throw Failure.webhook("\(url.host ?? target) could not be reached (URL error \(error.code.rawValue): \(error.localizedDescription))")
        } catch {
            throw Failure.webhook("\(url.host ?? target) could not be reached: \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else { throw Failure.webhook("the answer was not HTTP") }
        guard (200..<300).contains(http.statusCode) else {
            // A little of the body helps whoever runs the receiver; no more.
            throw Failure.webhookStatus(http.statusCode, String(decoding: data.prefix(200), as: UTF8.self))
        }
    }
}
