import Foundation
import HTTPTypes
import Logging
import Store

/// Refused requests of signed-in users (403, and 404, which is how a record
/// outside the user's wards or organisations answers) go to the audit trail:
/// someone trying ids that are not theirs leaves a trace. At most `limit`
/// entries per user per minute, so that probing cannot flood the table; the
/// next entry recorded for that user says how many were left out meanwhile.
///
/// The count is per process (each replica allows `limit`): kept in memory,
/// because the trail itself is append-only and cannot hold a running counter.
actor RefusalAudit {
    struct Window {
        var start: ContinuousClock.Instant
        var recorded: Int
        var suppressed: Int
    }

    let limit: Int
    let window: Duration
    private var windows: [String: Window] = [:]

    init(limit: Int, window: Duration = .seconds(60)) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// Whether to record a refusal for `user` now: nil when over the limit
    /// (counted), else how many were left out since the last one recorded.
    func admit(_ user: String, now: ContinuousClock.Instant = .now) -> Int? {
        if windows.count > 10_000 {
            windows = windows.filter { now - $0.value.start < window || $0.value.suppressed > 0 }
        }
        var current = windows[user] ?? Window(start: now, recorded: 0, suppressed: 0)
        if now - current.start >= window {
            current.start = now
            current.recorded = 0
        }
        defer { windows[user] = current }
        guard current.recorded < limit else {
            current.suppressed += 1
            return nil
        }
        current.recorded += 1
        let suppressed = current.suppressed
        current.suppressed = 0
        return suppressed
    }

    struct Details: Encodable {
        let status: Int
        /// Refusals for this user left out of the trail since the previous entry.
        let suppressedBefore: Int?
    }

    static func isRefusal(_ status: HTTPResponse.Status) -> Bool { status == .forbidden || status == .notFound }

    /// Records a refusal of `method path` (the path only: a query string may
    /// hold search terms such as an NHS number) unless over the limit.
    /// A failure to record is logged, not turned into a 5xx for the user.
    func record(
        _ status: HTTPResponse.Status,
        method: HTTPRequest.Method,
        path: String,
        by identity: Identity,
        trail: AuditTrail,
        logger: Logger
    ) async {
        guard let suppressed = admit(identity.username) else { return }
        let route = "\(method.rawValue) \(path.prefix(512))"
        do {
            try await trail.record(
                AuditEntry(
                    action: "refused",
                    entityType: "route",
                    entityID: route,
                    after: Details(status: Int(status.code), suppressedBefore: suppressed > 0 ? suppressed : nil)
                ),
                by: identity.auditActor
            )
        } catch {
            logger.error(
                "could not record a refused request in the audit trail",
                metadata: ["status": "\(status.code)", "error": "\(type(of: error))"]
            )
        }
    }
}
