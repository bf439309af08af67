import Foundation
import StrandedCore

/// Whose figures a trend series sums (issue 6).
public enum TrendScope: String, Sendable, Codable, CaseIterable {
    case system, organisation, site, ward
}

/// One unit's figures for one week: the sums kept by the trend tables, from
/// which every reported metric is derived (``TrendMetric``).
public struct TrendWeek: Sendable, Codable, Equatable {
    public struct ReasonCount: Sendable, Codable, Equatable {
        /// Patients whose form gives the reason (one of several, perhaps).
        public var patients: Int
        /// Patients for whom it is the primary reason.
        public var primary: Int
        public init(patients: Int = 0, primary: Int = 0) { self.patients = patients; self.primary = primary }
    }

    public struct Escalations: Sendable, Codable, Equatable {
        public var level2Opened = 0, level2Resolved = 0, chiefExecutiveOpened = 0, chiefExecutiveResolved = 0
        public init() {}
    }

    public var week: CalendarDate
    public var los7 = 0, los14 = 0, los21 = 0, los50 = 0, los100 = 0
    public var newlyStranded = 0, strandedDischarged = 0, strandedBedDays = 0
    /// Stranded patients per LoS day from 7 (`losHistogram[0]` at LoS 7).
    public var losHistogram: [Int] = []
    /// Full census lists only.
    public var inpatients: Int?
    public var underSeven: Int?
    public var formsDue = 0, onTime = 0, completed = 0, redDays = 0
    /// Delay-reason code → counts.
    public var reasons: [String: ReasonCount] = [:]
    /// nil when escalations are not recorded in this database.
    public var escalations: Escalations?

    public init(week: CalendarDate) { self.week = week }

    /// The median LoS of the stranded (the mean of the two middle stays when
    /// their number is even); nil with no stranded patients.
    public var medianLoS: Double? {
        let total = losHistogram.reduce(0, +)
        guard total > 0 else { return nil }
        if total % 2 == 1 { return Double(Self.los(atRank: total / 2 + 1, in: losHistogram)) }
        let low = Self.los(atRank: total / 2, in: losHistogram), high = Self.los(atRank: total / 2 + 1, in: losHistogram)
        return Double(low + high) / 2
    }

    /// The 90th percentile LoS of the stranded, nearest rank (⌈0.9 n⌉-th stay).
    public var p90LoS: Int? {
        let total = losHistogram.reduce(0, +)
        guard total > 0 else { return nil }
        return Self.los(atRank: (total * 9 + 9) / 10, in: losHistogram)
    }

    /// The LoS of the `rank`-th shortest stranded stay (1-based).
    static func los(atRank rank: Int, in histogram: [Int]) -> Int {
        var seen = 0
        for (index, count) in histogram.enumerated() {
            seen += count
            if seen >= rank { return index + 7 }
        }
        return histogram.count + 6
    }

    /// Adds another unit's week (summing wards, sites or settings).
    public mutating func add(_ other: TrendWeek) {
        los7 += other.los7; los14 += other.los14; los21 += other.los21; los50 += other.los50; los100 += other.los100
        newlyStranded += other.newlyStranded; strandedDischarged += other.strandedDischarged; strandedBedDays += other.strandedBedDays
        if losHistogram.count < other.losHistogram.count {
            losHistogram += Array(repeating: 0, count: other.losHistogram.count - losHistogram.count)
        }
        for (index, count) in other.losHistogram.enumerated() { losHistogram[index] += count }
        if let more = other.inpatients { inpatients = (inpatients ?? 0) + more }
        if let more = other.underSeven { underSeven = (underSeven ?? 0) + more }
        formsDue += other.formsDue; onTime += other.onTime; completed += other.completed; redDays += other.redDays
        for (code, count) in other.reasons {
            reasons[code, default: ReasonCount()].patients += count.patients
            reasons[code, default: ReasonCount()].primary += count.primary
        }
        if let more = other.escalations {
            var sum = escalations ?? Escalations()
            sum.level2Opened += more.level2Opened; sum.level2Resolved += more.level2Resolved
            sum.chiefExecutiveOpened += more.chiefExecutiveOpened; sum.chiefExecutiveResolved += more.chiefExecutiveResolved
            escalations = sum
        }
    }
}

/// One unit's weekly figures (a ward, a site, an organisation or the system,
/// all settings or one).
public struct TrendUnitSeries: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    /// `acute`, `community`, or nil for all settings together.
    public var setting: String?
    /// Week by week, oldest first; weeks with no figures are absent.
    public var weeks: [TrendWeek]

    /// - Parameter split: the unit is one setting of a whole that has both.
    public init(code: String, name: String, setting: String?, splitOf split: Bool = false, weeks: [TrendWeek]) {
        self.code = code
        self.name = name
        self.setting = setting
        self.weeks = weeks
        if split, let setting {
            exportCode = code + "-" + setting.uppercased()
            exportName = name + " (\(setting))"
        } else {
            exportCode = code
            exportName = name
        }
    }

    /// The code used in exports: the unit's code, with the setting when the
    /// unit is one setting of a mixed whole (`SYSTEM-ACUTE`).
    public var exportCode: String
    public var exportName: String
}

/// The weekly series of a trend query.
public struct TrendSeries: Sendable, Codable, Equatable {
    public var scope: TrendScope
    public var from: CalendarDate
    public var to: CalendarDate
    public var units: [TrendUnitSeries]
    /// False when escalation counts could not be read (shown blank, not 0).
    public var escalationsAvailable: Bool

    public init(scope: TrendScope, from: CalendarDate, to: CalendarDate, units: [TrendUnitSeries], escalationsAvailable: Bool) {
        self.scope = scope
        self.from = from
        self.to = to
        self.units = units
        self.escalationsAvailable = escalationsAvailable
    }

    /// Builds the series from per-setting unit weeks: for the system and
    /// organisations, the units are each setting plus (when both settings are
    /// present) their sum; sites and wards have one setting each.
    public static func assemble(scope: TrendScope, from: CalendarDate, to: CalendarDate,
                                parts: [(code: String, name: String, setting: String, week: TrendWeek)],
                                escalationsAvailable: Bool) -> TrendSeries {
        var order: [String] = []
        var names: [String: String] = [:]
        var bySetting: [String: [String: [CalendarDate: TrendWeek]]] = [:]
        for part in parts {
            if names[part.code] == nil { order.append(part.code); names[part.code] = part.name }
            var week = bySetting[part.code, default: [:]][part.setting, default: [:]][part.week.week] ?? TrendWeek(week: part.week.week)
            week.add(part.week)
            bySetting[part.code, default: [:]][part.setting, default: [:]][part.week.week] = week
        }
        var units: [TrendUnitSeries] = []
        for code in order.sorted() {
            let settings = bySetting[code] ?? [:]
            let name = names[code] ?? code
            func sorted(_ weeks: [CalendarDate: TrendWeek]) -> [TrendWeek] { weeks.values.sorted { $0.week < $1.week } }
            let mixed = scope == .system || scope == .organisation
            if mixed && settings.count > 1 {
                var total: [CalendarDate: TrendWeek] = [:]
                for weeks in settings.values {
                    for (date, week) in weeks { total[date, default: TrendWeek(week: date)].add(week) }
                }
                units.append(TrendUnitSeries(code: code, name: name, setting: nil, weeks: sorted(total)))
                for setting in settings.keys.sorted() {
                    units.append(TrendUnitSeries(code: code, name: name, setting: setting, splitOf: true, weeks: sorted(settings[setting] ?? [:])))
                }
            } else {
                for setting in settings.keys.sorted() {
                    units.append(TrendUnitSeries(code: code, name: name, setting: setting, weeks: sorted(settings[setting] ?? [:])))
                }
            }
        }
        return TrendSeries(scope: scope, from: from, to: to, units: units, escalationsAvailable: escalationsAvailable)
    }
}
