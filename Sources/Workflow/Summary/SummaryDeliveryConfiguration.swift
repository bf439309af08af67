import Foundation
import Store

/// Where built summaries go and how hard delivery tries.
///
/// - Outbox: a directory (`--outbox DIR` or `STRANDED_OUTBOX`) that receives
///   `ce-summary-YYYY-MM-DD-vN.html`, `.md` and `.json` for every version.
/// - Webhook: a URL (`STRANDED_SUMMARY_WEBHOOK`) that receives each version
///   as a JSON POST; anything but a 2xx answer (or no answer within
///   `timeout`) is a failure, retried with exponential back-off.
public struct SummaryDeliveryConfiguration: Sendable {
    public var outbox: URL?
    public var webhook: URL?
    /// How long one webhook POST may take.
    public var timeout: Duration
    /// Attempts before a delivery is marked failed (it stays visible and can be retried by hand).
    public var maxAttempts: Int
    /// Wait after the first failure; doubled each time up to `maximumBackoff`.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    /// How often the delivery service looks for due deliveries.
    public var pollInterval: Duration

    public init(
        outbox: URL? = nil,
        webhook: URL? = nil,
        timeout: Duration = .seconds(10),
        maxAttempts: Int = 10,
        initialBackoff: Duration = .seconds(30),
        maximumBackoff: Duration = .seconds(3600),
        pollInterval: Duration = .seconds(15)
    ) {
        self.outbox = outbox
        self.webhook = webhook
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.pollInterval = pollInterval
    }

    /// Nothing is delivered anywhere (the summary is still frozen and shown on /summary).
    public static let none = SummaryDeliveryConfiguration()

    public enum Problem: Error, CustomStringConvertible, Equatable {
        case webhookNotHTTP(String)

        public var description: String {
            switch self {
            case .webhookNotHTTP(let text):
                return
                    "STRANDED_SUMMARY_WEBHOOK \"\(text)\" is not an http:// or https:// URL with a host; set it to the full address that should receive the summary, or unset it"
            }
        }
    }

    /// From the command line (`outbox`) or the environment (`STRANDED_OUTBOX`,
    /// `STRANDED_SUMMARY_WEBHOOK`); a malformed webhook URL is refused with a
    /// message rather than ignored.
    public static func fromEnvironment(
        outbox: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> SummaryDeliveryConfiguration {
        var configuration = SummaryDeliveryConfiguration()
        if let path = outbox ?? environment["STRANDED_OUTBOX"], !path.isEmpty {
            configuration.outbox = URL(fileURLWithPath: path, isDirectory: true)
        }
        if let text = environment["STRANDED_SUMMARY_WEBHOOK"], !text.isEmpty {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                url.host?.isEmpty == false
            else {
                throw Problem.webhookNotHTTP(text)
            }
            configuration.webhook = url
        }
        return configuration
    }

    /// The wait before attempt `attempts + 1`, after `attempts` failures.
    public func backoff(afterAttempts attempts: Int) -> Duration {
        var wait = initialBackoff
        for _ in 1..<max(1, attempts) {
            wait = wait * 2
            if wait >= maximumBackoff { return maximumBackoff }
        }
        return min(wait, maximumBackoff)
    }

    /// The destinations each new version is queued for.
    var destinations: [(channel: SummaryDeliveryChannel, target: String)] {
        var result: [(channel: SummaryDeliveryChannel, target: String)] = []
        if let outbox { result.append((.outbox, outbox.path)) }
        if let webhook { result.append((.webhook, webhook.absoluteString)) }
        return result
    }
}
