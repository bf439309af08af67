import Foundation
import Logging
import Synchronization

/// Every log line a logger writes, kept in memory: for tests that look for
/// what must be logged (a 5xx with its request id) and for what must never
/// be (a patient's NHS number or name, a query string).
public final class CapturedLog: Sendable {
    public struct Entry: Sendable {
        public let level: Logger.Level
        public let message: String
        public let metadata: Logger.Metadata

        /// `error message key=value …`, metadata sorted: what a log file would hold.
        public var line: String {
            "\(level) \(message) " + metadata.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        }
    }

    private let stored = Mutex<[Entry]>([])

    public init() {}

    public var entries: [Entry] { stored.withLock { $0 } }
    /// Each entry as a line.
    public var all: [String] { entries.map(\.line) }
    /// Everything logged, one entry a line.
    public var text: String { all.joined(separator: "\n") }

    public var logger: Logger { Logger(label: "test.captured") { _ in Handler(log: self) } }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.stored.withLock {
                $0.append(Entry(level: event.level, message: event.message.description, metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
            }
        }
    }
}
