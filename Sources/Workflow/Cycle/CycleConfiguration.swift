import Foundation
import StrandedCore

/// How the weekly scheduler behaves: when it starts counting, and how it
/// retries a failing job.
public struct SchedulerSettings: Hashable, Sendable {
    /// Weeks before this are never run by the schedule (the week the service
    /// went live); nil: no limit. Runs by hand are not limited.
    public var earliestWeek: CalendarDate?
    /// First retry after this many seconds; each later one waits twice as long.
    public var retryBaseSeconds: Int
    /// The longest wait between retries.
    public var retryMaxSeconds: Int
    /// After this many failed attempts the job is left for a person (visible on `/cycle`).
    public var maxAttempts: Int
    /// The scheduler wakes at least this often to look again (a job run by
    /// another replica or by hand, a clock change, a laptop waking).
    public var pollSeconds: Int

    public init(
        earliestWeek: CalendarDate? = nil,
        retryBaseSeconds: Int = 60,
        retryMaxSeconds: Int = 3600,
        maxAttempts: Int = 10,
        pollSeconds: Int = 60
    ) {
        self.earliestWeek = earliestWeek
        self.retryBaseSeconds = retryBaseSeconds
        self.retryMaxSeconds = retryMaxSeconds
        self.maxAttempts = maxAttempts
        self.pollSeconds = pollSeconds
    }

    /// Seconds before the next attempt after `attempts` failures; nil when no more.
    public func retryDelay(afterAttempts attempts: Int) -> TimeInterval? {
        guard attempts < maxAttempts else { return nil }
        let exponent = min(max(attempts - 1, 0), 20)
        // Saturates: doubling a long base wait must cap at the longest wait, not overflow.
        let (doubled, overflow) = retryBaseSeconds.multipliedReportingOverflow(by: 1 << exponent)
        return TimeInterval(overflow ? retryMaxSeconds : min(doubled, retryMaxSeconds))
    }

    /// The longest wait between retries a configuration may ask for: a job
    /// retried more than a week later would run after its week is over.
    public static let longestRetrySeconds = 7 * 24 * 3600

    public func problems() -> [String] {
        var result: [String] = []
        if let earliestWeek, earliestWeek.isoWeekday != 1 { result.append("scheduler.earliestWeek \(earliestWeek.iso) is not a Monday") }
        if retryBaseSeconds < 1 { result.append("scheduler.retryBaseSeconds must be at least 1, got \(retryBaseSeconds)") }
        if retryMaxSeconds < retryBaseSeconds {
            result.append("scheduler.retryMaxSeconds (\(retryMaxSeconds)) must not be less than retryBaseSeconds (\(retryBaseSeconds))")
        }
        if retryMaxSeconds > Self.longestRetrySeconds {
            result.append("scheduler.retryMaxSeconds must be at most \(Self.longestRetrySeconds) (a week: a later retry misses its week), got \(retryMaxSeconds)")
        }
        if maxAttempts < 1 { result.append("scheduler.maxAttempts must be at least 1, got \(maxAttempts)") }
        if pollSeconds < 1 { result.append("scheduler.pollSeconds must be at least 1, got \(pollSeconds)") }
        return result
    }
}

extension SchedulerSettings: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case earliestWeek, retryBaseSeconds, retryMaxSeconds, maxAttempts, pollSeconds
    }

    public init(from decoder: any Decoder) throws {
        try CycleConfiguration.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SchedulerSettings()
        self.init(
            earliestWeek: try c.decodeIfPresent(CalendarDate.self, forKey: .earliestWeek),
            retryBaseSeconds: try c.decodeIfPresent(Int.self, forKey: .retryBaseSeconds) ?? d.retryBaseSeconds,
            retryMaxSeconds: try c.decodeIfPresent(Int.self, forKey: .retryMaxSeconds) ?? d.retryMaxSeconds,
            maxAttempts: try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? d.maxAttempts,
            pollSeconds: try c.decodeIfPresent(Int.self, forKey: .pollSeconds) ?? d.pollSeconds
        )
    }
}

/// What the service runs with, from a JSON file (`--config FILE` or
/// `STRANDED_CONFIG`): the rules (``StrandedPolicy``: thresholds, timetable,
/// escalation, delay reasons, plan RAG) and the scheduler's retries, every key
/// optional with DESIGN.md §3's defaults:
///
/// ```json
/// {"thresholds": {"strandedDays": 7, "superStrandedDays": 21},
///  "escalation": {"longStayDays": 21, "enabledRules": ["L2-INCOMPLETE", "L2-WARD-ASKED"]},
///  "timetable": {"level1Deadline": {"dayOffset": 2, "hour": 17}},
///  "scheduler": {"retryBaseSeconds": 60}}
/// ```
///
/// Unknown keys anywhere are refused (a misspelt key would otherwise quietly
/// leave a default in force), and so are settings that make no sense.
public struct CycleConfiguration: Hashable, Sendable {
    /// The rules, passed down to every service, route and job.
    public var policy: StrandedPolicy
    public var scheduler: SchedulerSettings
    /// Where it was read from ("built-in defaults" when no file).
    public var source: String

    public init(policy: StrandedPolicy, scheduler: SchedulerSettings = SchedulerSettings(), source: String) {
        self.policy = policy
        self.scheduler = scheduler
        self.source = source
    }

    /// DESIGN.md §3's rules and the default scheduler: what runs without a file.
    public static let builtIn = CycleConfiguration(policy: .standard, source: "built-in defaults")

    /// Everything wrong with it, as sentences naming the setting.
    public func problems() -> [String] {
        policy.problems() + scheduler.problems()
    }

    /// Reads and checks a configuration file.
    public static func load(path: String) throws -> CycleConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CycleConfigurationError(
                file: path,
                problems: ["cannot be read (\(error.localizedDescription)); check the path given with --config or STRANDED_CONFIG"]
            )
        }
        return try parse(data, source: path)
    }

    /// Parses and checks configuration JSON; `source` names it in errors.
    public static func parse(_ data: Data, source: String) throws -> CycleConfiguration {
        var configuration: CycleConfiguration
        do {
            configuration = try JSONDecoder().decode(CycleConfiguration.self, from: data)
        } catch let error as DecodingError {
            throw CycleConfigurationError(file: source, problems: [describe(error)])
        } catch {
            throw CycleConfigurationError(file: source, problems: ["is not valid JSON: \(error.localizedDescription)"])
        }
        configuration.source = source
        let problems = configuration.problems()
        guard problems.isEmpty else { throw CycleConfigurationError(file: source, problems: problems) }
        return configuration
    }

    /// The configuration from `path` if given (a flag), else `STRANDED_CONFIG`, else the built-in defaults.
    public static func resolve(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CycleConfiguration {
        if let path, !path.isEmpty { return try load(path: path) }
        if let path = environment["STRANDED_CONFIG"], !path.isEmpty { return try load(path: path) }
        return .builtIn
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context), let .typeMismatch(_, context), let .valueNotFound(_, context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            let detail = (context.underlyingError as? NSError)?.localizedDescription
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription + (path.isEmpty && detail != nil ? " (\(detail!))" : "")
        case let .keyNotFound(key, context):
            return ((context.codingPath + [key]).map(\.stringValue).joined(separator: ".")) + " is missing"
        @unknown default:
            return "\(error)"
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func rejectUnknown(in decoder: any Decoder, allowed: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription: "unknown setting \"\(key.stringValue)\"; allowed: \(allowed.joined(separator: ", "))"
            )
        }
    }
}

extension CycleConfiguration: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case scheduler
    }

    public init(from decoder: any Decoder) throws {
        let allowed = StrandedPolicy.CodingKeys.allCases.map(\.stringValue) + CodingKeys.allCases.map(\.stringValue)
        try Self.rejectUnknown(in: decoder, allowed: allowed)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            policy: try StrandedPolicy(decodingKeysFrom: decoder),
            scheduler: try c.decodeIfPresent(SchedulerSettings.self, forKey: .scheduler) ?? SchedulerSettings(),
            source: "built-in defaults"
        )
    }

    public func encode(to encoder: any Encoder) throws {
        try policy.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scheduler, forKey: .scheduler)
    }
}

/// A configuration file that cannot be used, with every problem found.
public struct CycleConfigurationError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let problems: [String]

    public var description: String {
        "configuration \(file): " + problems.joined(separator: "; ")
    }
}
