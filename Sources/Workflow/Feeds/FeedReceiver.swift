import Foundation
import Logging
import Metrics
import Store
import StrandedCore
import Synchronization

/// Receives HL7 v2 ADT messages, whatever carried them (the MLLP listener,
/// a test): parse, map, store, and answer with the ACK to send back; the
/// bed state follows a moment later (``FeedFolder``). The ACK is `AA` only
/// after the message is committed (in a batch with the messages that arrived
/// beside it: ``FeedBatcher``). A database failure
/// throws instead of answering, so the carrier sends nothing and the sender
/// sends the message again.
///
/// Never logs a message body or any value from it except the trigger, the
/// sending facility and the outcome.
public struct FeedReceiver: Sendable {
    let store: FeedStore
    let batcher: FeedBatcher
    let mappings: MappingCache
    let logger: Logger
    let now: @Sendable () -> Date

    /// `batchWriters`: how many batches of messages are written at once (``FeedBatcher``).
    public init(
        database: Database,
        logger: Logger = Logger(label: "stranded.feed"),
        batchWriters: Int = FeedBatcher.defaultWriters,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        let store = FeedStore(database: database)
        let mappings = MappingCache()
        self.store = store
        self.mappings = mappings
        self.logger = logger
        self.now = now
        let folder = FeedFolder(store: store, logger: logger) {
            try await mappings.mapping(from: store, at: now())
        }
        batcher = FeedBatcher(store: store, folder: folder, writers: batchWriters)
    }

    public func receiveHL7(_ text: String) async throws -> String {
        let message: HL7Message
        do {
            message = try HL7Message(parsing: text)
        } catch {
            let problem = ADTProblem(field: error.field, reason: error.reason, reject: true)
            try await refuse(nil, problem: problem, facility: nil, siteID: nil)
            return acknowledgement(nil, .reject, problem)
        }
        let event: ADTEvent
        do {
            event = try ADTEvent(message: message)
        } catch {
            let facility = message.value("MSH", 4)
            let mapping = try await mapping()
            let siteID = message.value("PV1", 3, component: 4).flatMap { mapping.facilities[$0.uppercased()]?.id }
                ?? facility.flatMap { mapping.facilities[$0.uppercased()]?.id }
            try await refuse(message, problem: error, facility: facility, siteID: siteID)
            return acknowledgement(message, error.reject ? .reject : .error, error)
        }
        var mapping = try await mapping()
        if let location = event.location, mapping.site(for: location) == nil {
            mapping = try await self.mapping(refresh: true)  // mapped a moment ago?
            if mapping.site(for: location) == nil {
                let facility = location.facility ?? event.sendingFacility
                let problem = ADTProblem(
                    field: "PV1-3",
                    reason: "facility \(facility) is not mapped to a registered site; map it with `stranded sites feed-map \(facility) SITE`"
                )
                try await refuse(message, problem: problem, facility: event.sendingFacility, siteID: nil)
                return acknowledgement(message, .error, problem)
            }
        }
        let receipt = try await batcher.receive(FeedArrival(event: event, body: text, channel: .hl7v2), mapping: mapping)
        Counter(label: "stranded_feed_messages_total", dimensions: [("channel", "hl7v2"), ("outcome", receipt.label)]).increment()
        logger.debug("feed message", metadata: ["trigger": "\(event.trigger.rawValue)", "facility": "\(event.sendingFacility)", "outcome": "\(receipt.label)"])
        return acknowledgement(message, .accept, nil)
    }

    func refuse(_ message: HL7Message?, problem: ADTProblem, facility: String?, siteID: Int64?) async throws {
        Counter(label: "stranded_feed_messages_total", dimensions: [("channel", "hl7v2"), ("outcome", problem.reject ? "rejected" : "error")]).increment()
        // The field and the reason only: reasons never quote patient values.
        logger.notice(
            "feed message refused",
            metadata: ["facility": "\(facility ?? "?")", "field": "\(problem.field)", "code": "\(problem.reject ? "AR" : "AE")"]
        )
        try await store.recordError(
            channel: .hl7v2,
            sendingFacility: facility,
            siteID: siteID,
            code: problem.reject ? "AR" : "AE",
            field: problem.field,
            reason: problem.reason
        )
    }

    func acknowledgement(_ message: HL7Message?, _ code: HL7Acknowledgement.Code, _ problem: ADTProblem?) -> String {
        HL7Acknowledgement.build(for: message, code: code, problem: problem, controlID: Self.nextControlID(), now: now())
    }

    static let sequence = Atomic<Int64>(0)
    /// Unique per process and across restarts (the time), at most 20 characters as 2.3 allows.
    static func nextControlID() -> String {
        let n = sequence.add(1, ordering: .relaxed).newValue
        return "S\(Int64(Date().timeIntervalSince1970) % 10_000_000_000)\(n % 100_000_000)"
    }

    func mapping(refresh: Bool = false) async throws -> FeedMapping {
        try await mappings.mapping(from: store, at: now(), refresh: refresh)
    }
}

/// The facility mapping as last read; read again after a few seconds, and at
/// once when a message names a facility it lacks.
final class MappingCache: Sendable {
    let state = Mutex<(mapping: FeedMapping, at: Date)?>(nil)
    static let lifetime: TimeInterval = 30

    func current(at now: Date) -> FeedMapping? {
        state.withLock { value in
            guard let value, now.timeIntervalSince(value.at) < Self.lifetime else { return nil }
            return value.mapping
        }
    }

    func store(_ mapping: FeedMapping, at now: Date) { state.withLock { $0 = (mapping, now) } }

    /// The mapping as last read, or read again when it is older than its lifetime (or `refresh`).
    func mapping(from store: FeedStore, at now: Date, refresh: Bool = false) async throws -> FeedMapping {
        if !refresh, let cached = current(at: now) { return cached }
        let mapping = try await store.mapping()
        self.store(mapping, at: now)
        return mapping
    }
}

extension FeedReceipt {
    var label: String {
        switch self {
        case .applied: "applied"
        case .ignored: "ignored"
        case .duplicate: "duplicate"
        }
    }
}
