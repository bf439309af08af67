import Foundation
import Store
import StrandedCore

/// The /summary index as Mustache sees it (stored properties only).
struct SummaryIndexPage: Sendable {
    struct Delivery: Sendable {
        let channel: String
        let target: String
        let status: String
        let badge: String
        let detail: String
    }

    struct Version: Sendable {
        let week: String
        let version: Int
        let builtAt: String
        let builtBy: String
        let deliveries: [Delivery]
    }

    struct Week: Sendable {
        let week: String
        let weekLabel: String
        let versions: [Version]
    }

    let weeks: [Week]
    let hasWeeks: Bool
    let notConnected: Bool
    /// The build form: the week offered, a refusal, the name typed.
    let defaultWeek: String
    let error: String?
    let builtBy: String

    init(_ listings: [SummaryVersionListing], connected: Bool, defaultWeek: ReviewWeek, error: String? = nil, builtBy: String = "") {
        self.defaultWeek = defaultWeek.monday.iso
        self.error = error
        self.builtBy = builtBy
        var order: [ReviewWeek] = []
        var byWeek: [ReviewWeek: [Version]] = [:]
        for listing in listings {
            if byWeek[listing.week] == nil { order.append(listing.week) }
            byWeek[listing.week, default: []].append(
                Version(
                    week: listing.week.monday.iso,
                    version: listing.version,
                    builtAt: Self.time(listing.builtAt),
                    builtBy: listing.builtBy,
                    deliveries: listing.deliveries.map(Self.delivery)
                )
            )
        }
        weeks = order.map { Week(week: $0.monday.iso, weekLabel: DisplayFormat.date($0.monday), versions: byWeek[$0] ?? []) }
        hasWeeks = !weeks.isEmpty
        notConnected = !connected
    }

    static func delivery(_ record: SummaryDeliveryRecord) -> Delivery {
        // A webhook URL may carry a token in its path or query: show the host only.
        let target = record.channel == .webhook ? (URL(string: record.target)?.host ?? "webhook") : record.target
        var detail: String
        switch record.status {
        case .delivered: detail = record.deliveredAt.map { "at \(time($0))" } ?? ""
        case .pending: detail = record.attempts == 0 ? "queued" : "attempt \(record.attempts) failed; next try \(time(record.nextAttemptAt))"
        case .failed: detail = "gave up after \(record.attempts) attempts"
        }
        if record.status != .delivered, let error = record.lastError { detail += " — \(error)" }
        return Delivery(
            channel: record.channel.rawValue,
            target: target,
            status: record.status.rawValue,
            badge: record.status == .delivered ? "green" : (record.status == .failed ? "red" : "amber"),
            detail: detail
        )
    }

    static func time(_ date: Date) -> String { DisplayFormat.instant(date) }
}
