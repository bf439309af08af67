import Foundation
import Logging
import Reports
import Store
import StrandedCore

/// One frozen version of a week's summary with its model decoded.
public struct FrozenSummary: Sendable, Equatable {
    public let id: Int64
    public let week: ReviewWeek
    public let version: Int
    public let builtAt: Date
    public let builtBy: String
    public let summary: EscalationSummary
    public let html: String
    public let markdown: String

    init(_ stored: StoredSummary) throws {
        id = stored.id
        week = stored.week
        version = stored.version
        builtAt = stored.builtAt
        builtBy = stored.builtBy
        summary = try SummaryJSON.decode(Data(stored.modelJSON.utf8))
        html = stored.html
        markdown = stored.markdown
    }

    /// The model as the JSON files and API give it.
    public func json() throws -> Data { try SummaryJSON.encode(summary) }
}

public enum SummaryBuildError: Error, CustomStringConvertible, Equatable {
    case blankBuilder

    public var description: String {
        switch self {
        case .blankBuilder: return "say who is building the summary (builtBy): every version records who built it"
        }
    }
}

/// The chief executive's weekly escalation summary as a service: gather the
/// week's figures, render, freeze a new version, deliver it.
///
/// The escalation figures and referred cases come in as arguments (the
/// escalation engine owns them: ``buildWithEscalations(week:from:builtBy:)``
/// reads them); a build without them says "escalation data not connected"
/// rather than show zeros.
public struct EscalationSummaryService: Sendable {
    public let store: SummaryStore
    /// The prevention themes counted, for the summary's line on them.
    let themes: ThemeService
    /// The aim from stays, for the headline.
    let aim: AimFigures
    /// The board rounds' red days, for the headline.
    let trends: TrendService
    /// The running rules: the Level 1 deadline "on time" means, and the delay reasons.
    public let policy: StrandedPolicy
    public var delivery: SummaryDeliveryConfiguration
    let logger: Logger

    public init(
        database: Database,
        policy: StrandedPolicy,
        delivery: SummaryDeliveryConfiguration,
        logger: Logger = Logger(label: "stranded.summary")
    ) {
        store = SummaryStore(database: database)
        themes = ThemeService(database: database, policy: policy)
        aim = AimFigures(database: database, thresholds: policy.thresholds)
        trends = TrendService(database: database, policy: policy)
        self.policy = policy
        self.delivery = delivery
        self.logger = logger
    }

    /// Builds and freezes the next version of `week`'s summary (one
    /// transaction: figures, rendering, the version and its queued
    /// deliveries), then, with `deliverNow`, tries each delivery once
    /// straight away; a failure stays queued for ``SummaryDeliveryService``.
    public func build(
        week: ReviewWeek,
        activity: EscalationActivity = .notConnected,
        referredCases: [ReferredCaseSynopsis] = [],
        builtBy: String,
        deliverNow: Bool = true
    ) async throws -> FrozenSummary {
        let author = builtBy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !author.isEmpty else { throw SummaryBuildError.blankBuilder }
        let deadlineLabel = Self.deadlineLabel(policy.timetable, week: week)
        let taxonomy = policy.delayReasons
        let thresholds = policy.thresholds
        let themeLine = try await themes.movementLine(week: week)
        let aimWeek = AdmissionsAim.latestKnownWeek(asOf: week.monday, thresholds: policy.thresholds)
        let aimLine = AdmissionsAim.headline(
            try await aim.weeks(scope: .system, code: nil, from: aimWeek, to: aimWeek, today: week.monday)?.first,
            thresholds: policy.thresholds
        )
        let redDayLine = try await redDayLine(week: week)
        let stored = try await store.freeze(
            week: week,
            timetable: policy.timetable,
            builtBy: author,
            deliveries: delivery.destinations
        ) { listFigures, version, builtAt in
            var summary = EscalationSummary.make(
                week: week,
                figures: Self.figures(listFigures),
                activity: activity,
                referredCases: referredCases,
                level1Deadline: deadlineLabel,
                taxonomy: taxonomy
            )
            summary.preventionThemes = themeLine
            summary.aim = aimLine
            summary.redDays = redDayLine
            return RenderedSummary(
                modelJSON: String(decoding: try SummaryJSON.encode(summary), as: UTF8.self),
                html: SummaryHTML.render(summary, thresholds: thresholds, version: version, builtAt: builtAt),
                markdown: SummaryMarkdown.render(summary, thresholds: thresholds, version: version)
            )
        }
        logger.info("escalation summary frozen", metadata: ["week": "\(week.monday.iso)", "version": "\(stored.version)", "by": "\(author)"])
        let frozen = try FrozenSummary(stored)
        if deliverNow { _ = try await deliverDue() }
        return frozen
    }

    /// The red-day line for the summary of `week`: the week before it, the
    /// last whole week of board rounds, against the one before that.
    func redDayLine(week: ReviewWeek) async throws -> String {
        let last = week.monday.adding(days: -7)
        // Every week asked for is in the trend, recorded or not.
        let weeks = try await trends.redDays(scope: .system, code: nil, from: last.adding(days: -7), to: last).weeks
        // Three reasons keep the line to the page's two lines or so; /trends has the rest.
        let topReasons = try await trends.redDays(scope: .system, code: nil, from: last, to: last, top: 3).topReasons
        guard let figures = weeks.last else { return "Red bed-days, week of \(last.iso): no board rounds recorded." }
        return RedDayHeadline.line(week: figures, previous: weeks.dropLast().last, topReasons: topReasons)
    }

    /// The latest version of a week, or version `version`.
    public func summary(week: ReviewWeek, version: Int? = nil) async throws -> FrozenSummary? {
        try await store.summary(week: week, version: version).map(FrozenSummary.init)
    }

    public func versions(weeks: Int = 26) async throws -> [SummaryVersionListing] {
        try await store.versions(weeks: weeks)
    }

    /// Attempts every due delivery once; returns how many succeeded.
    /// Failures are recorded with their error and retried after a back-off,
    /// up to `delivery.maxAttempts`, then marked failed.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let deliverer = SummaryDeliverer(timeout: delivery.timeout)
        var delivered = 0
        var cache: [Int64: FrozenSummary] = [:]
        for item in try await store.claimDueDeliveries() {
            do {
                let frozen: FrozenSummary
                if let cached = cache[item.summaryID] {
                    frozen = cached
                } else {
                    guard let loaded = try await summary(week: item.week, version: item.version) else { continue }
                    frozen = loaded
                    cache[item.summaryID] = loaded
                }
                try await deliverer.deliver(frozen, channel: item.channel, target: item.target)
                try await store.recordDelivered(id: item.id)
                delivered += 1
                logger.info(
                    "escalation summary delivered",
                    metadata: [
                        "week": "\(item.week.monday.iso)", "version": "\(item.version)", "channel": "\(item.channel.rawValue)",
                    ]
                )
            } catch {
                let retry = item.attempts < delivery.maxAttempts ? delivery.backoff(afterAttempts: item.attempts) : nil
                try await store.recordFailure(id: item.id, error: "\(error)", retryAfter: retry)
                logger.warning(
                    "escalation summary delivery failed",
                    metadata: [
                        "week": "\(item.week.monday.iso)", "version": "\(item.version)", "channel": "\(item.channel.rawValue)",
                        "attempt": "\(item.attempts)", "error": "\(error)",
                        "next": "\(retry.map { "retry in \($0.components.seconds)s" } ?? "given up")",
                    ]
                )
            }
        }
        return delivered
    }

    /// "Wed 18 Nov 17:00": the Level 1 deadline as the reader knows it.
    static func deadlineLabel(_ timetable: WeeklyTimetable, week: ReviewWeek) -> String {
        let date = timetable.date(of: .level1Deadline, in: week)
        let time = timetable.time(of: .level1Deadline)
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(days[date.isoWeekday - 1]) \(date.day) \(months[date.month - 1]) " + String(format: "%02d:%02d", time.hour, time.minute)
    }

    /// Store's figures in Reports' terms.
    static func figures(_ list: SummaryListFigures) -> SummaryFigures {
        let sites = Dictionary(list.sites.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        return SummaryFigures(
            sites: list.sites.map {
                SummaryFigures.Site(
                    code: $0.code,
                    name: $0.name,
                    organisationCode: $0.organisationCode,
                    organisationName: $0.organisationName
                )
            },
            siteWeeks: list.siteWeeks.compactMap { row in
                guard let site = sites[row.siteCode] else { return nil }
                return SummaryFigures.SiteWeek(
                    week: row.week,
                    siteCode: row.siteCode,
                    siteName: site.name,
                    organisationCode: site.organisationCode,
                    organisationName: site.organisationName,
                    stranded: row.stranded,
                    superStranded: row.superStranded
                )
            },
            level1Due: list.level1Due,
            level1OnTime: list.level1OnTime,
            level1Late: list.level1Late,
            primaryReasons: Dictionary(list.primaryReasons.map { (DelayReasonCode($0.key), $0.value) }, uniquingKeysWith: +)
        )
    }
}

/// What a summary build needs from the escalation engine for a week: its
/// activity figures and the cases referred to the call (the lead wires the
/// engine's queries in here).
public typealias SummaryEscalationInputs =
    @Sendable (ReviewWeek) async throws -> (activity: EscalationActivity, referredCases: [ReferredCaseSynopsis])

extension EscalationSummaryService {
    /// A build for the scheduler's `ce-summary` job (`CycleRunner.SummaryBuilder`
    /// has this shape): recorded as built by "scheduler". Without `inputs` the
    /// summary says "escalation data not connected".
    public func scheduledBuild(inputs: SummaryEscalationInputs? = nil) -> @Sendable (ReviewWeek) async throws -> Void {
        let service = self
        return { week in
            let escalation = try await inputs?(week) ?? (activity: .notConnected, referredCases: [])
            _ = try await service.build(
                week: week,
                activity: escalation.activity,
                referredCases: escalation.referredCases,
                builtBy: "scheduler"
            )
        }
    }
}
