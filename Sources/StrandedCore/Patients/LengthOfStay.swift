import Foundation

/// Length of stay in whole days: the snapshot date minus the admission date.
///
/// Counted on calendar dates, never from timestamps (DESIGN.md §7), so a stay
/// that crosses a clock change or 29 February counts exactly the days on the
/// calendar: admitted on a Monday and listed the next Monday is 7, whatever the
/// clocks did in between. The day of admission counts as day 0, matching the
/// national "stranded = 7 days or more" convention.
public struct LengthOfStay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Whole days in hospital; never negative.
    public let days: Int

    /// A length of stay of `days` days; nil when negative, since a stay cannot
    /// end before it starts.
    public init?(days: Int) {
        guard days >= 0 else { return nil }
        self.days = days
    }

    /// The stay of a patient admitted on `admitted` as at `snapshot`; nil when
    /// the admission is after the snapshot, which is a data error the importer
    /// must report (with its row) rather than a stay of negative length.
    public init?(admitted: CalendarDate, snapshot: CalendarDate) {
        self.init(days: admitted.days(until: snapshot))
    }

    /// Stranded under the given thresholds; configurable because a system may
    /// review a wider group than the national definition.
    public func isStranded(using thresholds: StrandedThresholds) -> Bool {
        days >= thresholds.strandedDays
    }

    /// Super stranded under the given thresholds.
    public func isSuperStranded(using thresholds: StrandedThresholds) -> Bool {
        days >= thresholds.superStrandedDays
    }

    /// Stranded or super stranded under the given thresholds; nil below both.
    public func strandedLevel(using thresholds: StrandedThresholds) -> StrandedLevel? {
        if isSuperStranded(using: thresholds) { return .superStranded }
        if isStranded(using: thresholds) { return .stranded }
        return nil
    }

    /// The highest reporting band this stay reaches (e.g. 23 days → `21+`), or
    /// nil below the lowest band; for a breakdown where each patient is counted
    /// once.
    public func band(using thresholds: StrandedThresholds) -> LengthOfStayBand? {
        thresholds.bands.last { $0.includes(self) }
    }

    /// Every band this stay reaches (23 days → `7+`, `14+`, `21+`): the NHS
    /// long-length-of-stay counts are cumulative, so one patient appears in
    /// each band up to their own.
    public func bands(using thresholds: StrandedThresholds) -> [LengthOfStayBand] {
        thresholds.bands.filter { $0.includes(self) }
    }

    /// `"23 days"` (or `"1 day"`).
    public var description: String { days == 1 ? "1 day" : "\(days) days" }

    public static func < (lhs: LengthOfStay, rhs: LengthOfStay) -> Bool { lhs.days < rhs.days }
}

extension LengthOfStay: Codable {
    /// Decodes from a plain number of days, refusing negatives.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let days = try container.decode(Int.self)
        guard let value = LengthOfStay(days: days) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "length of stay cannot be negative, got \(days)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(days)
    }
}

/// How long a stay has gone on, in the review's terms.
public enum StrandedLevel: String, Hashable, Sendable, Codable {
    /// At or past the stranded line (7 days by default).
    case stranded
    /// At or past the super-stranded line (21 days by default).
    case superStranded = "super-stranded"

    /// The line's number of days under `thresholds`.
    public func days(using thresholds: StrandedThresholds) -> Int {
        self == .stranded ? thresholds.strandedDays : thresholds.superStrandedDays
    }

    /// "Stranded: 7 days or more" under `thresholds`.
    public func title(using thresholds: StrandedThresholds) -> String {
        (self == .stranded ? "Stranded" : "Super stranded") + ": \(days(using: thresholds)) days or more"
    }
}

/// A reporting band of length of stay: everyone whose stay is at least
/// ``minimumDays``. Shown as `"21+"`.
///
/// A struct rather than an enum so a system can add or move bands through
/// configuration without a code change; the defaults are the NHS
/// long-length-of-stay convention (7+, 14+, 21+) plus 50+ and 100+ for the
/// longest stays the chief executive call asks about.
public struct LengthOfStayBand: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let minimumDays: Int

    public init(minimumDays: Int) {
        self.minimumDays = minimumDays
    }

    public static let days7 = LengthOfStayBand(minimumDays: 7)
    public static let days14 = LengthOfStayBand(minimumDays: 14)
    public static let days21 = LengthOfStayBand(minimumDays: 21)
    public static let days50 = LengthOfStayBand(minimumDays: 50)
    public static let days100 = LengthOfStayBand(minimumDays: 100)

    /// The default reporting bands, lowest first.
    public static let standard: [LengthOfStayBand] = [.days7, .days14, .days21, .days50, .days100]

    /// Whether a stay reaches this band.
    public func includes(_ stay: LengthOfStay) -> Bool { stay.days >= minimumDays }

    /// `"21+"`.
    public var label: String { "\(minimumDays)+" }

    /// Stable identifier for exports and storage, e.g. `"los-21-plus"`.
    public var id: String { "los-\(minimumDays)-plus" }

    public var description: String { label }

    public static func < (lhs: LengthOfStayBand, rhs: LengthOfStayBand) -> Bool { lhs.minimumDays < rhs.minimumDays }

    /// Encoded as the bare number of days (`21`), which is how a person writes
    /// the band list in a configuration file.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        minimumDays = try container.decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(minimumDays)
    }
}

/// The length-of-stay thresholds the system works to (DESIGN.md §3: "all
/// configurable").
///
/// Defaults: stranded at 7 days, super stranded at 21, reporting bands
/// 7+, 14+, 21+, 50+, 100+. Loaded from configuration with every key optional,
/// so a file only has to name what it changes.
public struct StrandedThresholds: Hashable, Sendable, Codable {
    /// A stay of this many days or more is stranded (default 7).
    public var strandedDays: Int
    /// A stay of this many days or more is super stranded (default 21).
    public var superStrandedDays: Int
    /// Reporting bands, kept sorted lowest first and without duplicates.
    public var bands: [LengthOfStayBand] {
        didSet { bands = Array(Set(bands)).sorted() }
    }
    /// The share of acute admissions the system aims to move on before the
    /// stranded line (default 85–90%), measured on stays.
    public var aim: AimBand

    public init(
        strandedDays: Int = 7,
        superStrandedDays: Int = 21,
        bands: [LengthOfStayBand] = LengthOfStayBand.standard,
        aim: AimBand = .standard
    ) {
        self.strandedDays = strandedDays
        self.superStrandedDays = superStrandedDays
        self.bands = Array(Set(bands)).sorted()
        self.aim = aim
    }

    /// The national definitions: 7 and 21 days, bands 7+ to 100+.
    public static let standard = StrandedThresholds()

    /// What is wrong with these thresholds, as sentences naming the setting;
    /// empty when they are usable. Checked when configuration is loaded so a
    /// bad file stops the service at start rather than skewing every report.
    public func problems() -> [String] {
        var result: [String] = []
        if strandedDays < 1 { result.append("strandedDays must be at least 1, got \(strandedDays)") }
        if superStrandedDays < strandedDays {
            result.append("superStrandedDays (\(superStrandedDays)) must not be below strandedDays (\(strandedDays))")
        }
        if bands.isEmpty { result.append("bands must list at least one band") }
        if let low = bands.first, low.minimumDays < 0 { result.append("bands cannot start below 0 days, got \(low.minimumDays)") }
        result += aim.problems().map { "aim.\($0)" }
        return result
    }

    /// Every line a report counts patients at or past, lowest first: the
    /// reporting bands, and the stranded and super-stranded lines (which a
    /// report shows even when no band is drawn there).
    public var reportedLines: [LengthOfStayBand] {
        Array(Set(bands + [LengthOfStayBand(minimumDays: strandedDays), LengthOfStayBand(minimumDays: superStrandedDays)])).sorted()
    }

    /// The shortest stay a report counts (the lowest band or the stranded
    /// line, whichever is lower): the trend figures keep every stay from here
    /// up, day by day, so each line's count is a sum of them.
    public var lowestReportedDays: Int {
        min(strandedDays, bands.first?.minimumDays ?? strandedDays)
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case strandedDays, superStrandedDays, bands, aim
    }

    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            strandedDays: try c.decodeIfPresent(Int.self, forKey: .strandedDays) ?? 7,
            superStrandedDays: try c.decodeIfPresent(Int.self, forKey: .superStrandedDays) ?? 21,
            bands: try c.decodeIfPresent([LengthOfStayBand].self, forKey: .bands) ?? LengthOfStayBand.standard,
            aim: try c.decodeIfPresent(AimBand.self, forKey: .aim) ?? .standard
        )
    }
}
