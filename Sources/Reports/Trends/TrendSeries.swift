import Foundation
import StrandedCore

/// Whose figures a trend series sums.
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
        public init(patients: Int = 0, primary: Int = 0) {
            self.patients = patients
            self.primary = primary
        }
    }

    public struct Escalations: Sendable, Codable, Equatable {
        public var level2Opened = 0, level2Resolved = 0, chiefExecutiveOpened = 0, chiefExecutiveResolved = 0
        public init() {}
    }

    public var week: CalendarDate
    /// Patients at or past each line the thresholds report
    /// (``StrandedThresholds/reportedLines``): the bands, stranded and super stranded.
    public var patientsAtLeast: [LengthOfStayBand: Int] = [:]
    public var newlyStranded = 0, strandedDischarged = 0, strandedBedDays = 0
    /// Patients per LoS day from the thresholds' lowest reported line
    /// (``StrandedThresholds/lowestReportedDays``): `losHistogram[0]` at that LoS.
    public var losHistogram: [Int] = []
    /// Full census lists only.
    public var inpatients: Int?
    /// Inpatients under the stranded line (full census lists only).
    public var underSeven: Int?
    public var formsDue = 0, onTime = 0, completed = 0, redDays = 0
    /// Delay-reason code → counts.
    public var reasons: [String: ReasonCount] = [:]
    /// nil when escalations are not recorded in this database.
    public var escalations: Escalations?
    /// The board rounds' red and green days of the week; nil when none were recorded.
    public var boardRound: BoardRoundDays?
    /// The week's acute admissions and how many moved on before the stranded
    /// line; nil where the aim is not measured (no stays) or the week's
    /// admissions have not all had their days yet.
    public var aim: AimCounts?

    /// Days recorded at the board rounds, red and green.
    public struct BoardRoundDays: Sendable, Codable, Equatable {
        public var recorded = 0, red = 0
        /// Days of patients at or past the stranded line on the day, and how many were red.
        public var strandedRecorded = 0, strandedRed = 0
        /// Red-reason code → red days.
        public var redReasons: [String: Int] = [:]
        public init() {}

        mutating func add(_ other: BoardRoundDays) {
            recorded += other.recorded
            red += other.red
            strandedRecorded += other.strandedRecorded
            strandedRed += other.strandedRed
            redReasons.merge(other.redReasons, uniquingKeysWith: +)
        }
    }

    /// Acute admissions (stays begun in the week) and how many moved on in time.
    public struct AimCounts: Sendable, Codable, Equatable {
        public var admissions: Int
        public var movedOn: Int
        public init(admissions: Int, movedOn: Int) {
            self.admissions = admissions
            self.movedOn = movedOn
        }
    }

    public init(week: CalendarDate) { self.week = week }

    /// Patients whose stay is `days` or more, for a line the thresholds report (0 for any other).
    public func patients(atLeast days: Int) -> Int {
        patientsAtLeast[LengthOfStayBand(minimumDays: days)] ?? 0
    }

    /// The stranded under `thresholds` (the figures' own).
    public func stranded(using thresholds: StrandedThresholds) -> Int {
        patients(atLeast: thresholds.strandedDays)
    }

    /// The super stranded under `thresholds` (the figures' own).
    public func superStranded(using thresholds: StrandedThresholds) -> Int {
        patients(atLeast: thresholds.superStrandedDays)
    }

    /// The histogram under `thresholds` (the figures' own), which say where it starts.
    public func histogram(using thresholds: StrandedThresholds) -> LengthOfStayHistogram {
        LengthOfStayHistogram(startDays: thresholds.lowestReportedDays, counts: losHistogram)
    }

    /// The median LoS of the stranded (the mean of the two middle stays when
    /// their number is even); nil with no stranded patients.
    public func medianLoS(using thresholds: StrandedThresholds) -> Double? {
        histogram(using: thresholds).medianStay(atLeast: thresholds.strandedDays)
    }

    /// The 90th percentile LoS of the stranded, nearest rank (⌈0.9 n⌉-th stay).
    public func p90LoS(using thresholds: StrandedThresholds) -> Int? {
        histogram(using: thresholds).percentile90Stay(atLeast: thresholds.strandedDays)
    }

    /// Adds another unit's week (summing wards, sites or settings).
    public mutating func add(_ other: TrendWeek) {
        patientsAtLeast.merge(other.patientsAtLeast, uniquingKeysWith: +)
        newlyStranded += other.newlyStranded
        strandedDischarged += other.strandedDischarged
        strandedBedDays += other.strandedBedDays
        if losHistogram.count < other.losHistogram.count {
            losHistogram += Array(repeating: 0, count: other.losHistogram.count - losHistogram.count)
        }
        for (index, count) in other.losHistogram.enumerated() { losHistogram[index] += count }
        if let more = other.inpatients { inpatients = (inpatients ?? 0) + more }
        if let more = other.underSeven { underSeven = (underSeven ?? 0) + more }
        formsDue += other.formsDue
        onTime += other.onTime
        completed += other.completed
        redDays += other.redDays
        for (code, count) in other.reasons {
            reasons[code, default: ReasonCount()].patients += count.patients
            reasons[code, default: ReasonCount()].primary += count.primary
        }
        if let more = other.escalations {
            var sum = escalations ?? Escalations()
            sum.level2Opened += more.level2Opened
            sum.level2Resolved += more.level2Resolved
            sum.chiefExecutiveOpened += more.chiefExecutiveOpened
            sum.chiefExecutiveResolved += more.chiefExecutiveResolved
            escalations = sum
        }
        if let more = other.boardRound {
            var sum = boardRound ?? BoardRoundDays()
            sum.add(more)
            boardRound = sum
        }
        if let more = other.aim {
            aim = AimCounts(admissions: (aim?.admissions ?? 0) + more.admissions, movedOn: (aim?.movedOn ?? 0) + more.movedOn)
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
    public static func assemble(
        scope: TrendScope,
        from: CalendarDate,
        to: CalendarDate,
        parts: [(code: String, name: String, setting: String, week: TrendWeek)],
        escalationsAvailable: Bool
    ) -> TrendSeries {
        var order: [String] = []
        var names: [String: String] = [:]
        var bySetting: [String: [String: [CalendarDate: TrendWeek]]] = [:]
        for part in parts {
            if names[part.code] == nil {
                order.append(part.code)
                names[part.code] = part.name
            }
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
