import Foundation

/// A coarse age group for case synopses and reports.
///
/// Agendas and the chief executive summary describe a case as, say, "85+,
/// 34 days, awaiting a care home" rather than giving a date of birth: the band
/// is what the meeting needs, and it keeps an identifier out of papers that
/// travel widely. The bands follow the split commonly used in older people's
/// services (the 65+ indicators of the system's review, then 75 and 85 where
/// frailty and stranding climb).
public enum AgeBand: String, CaseIterable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    case under18 = "under-18"
    case from18to64 = "18-64"
    case from65to74 = "65-74"
    case from75to84 = "75-84"
    case from85 = "85+"

    /// The band for an age in whole years; nil for a negative age.
    public init?(age: Int) {
        switch age {
        case ..<0: return nil
        case ..<18: self = .under18
        case ..<65: self = .from18to64
        case ..<75: self = .from65to74
        case ..<85: self = .from75to84
        default: self = .from85
        }
    }

    /// The band of someone born on `dateOfBirth`, as at `date`; nil when the
    /// birth date is after `date`.
    public init?(dateOfBirth: CalendarDate, on date: CalendarDate) {
        guard let age = AgeBand.age(dateOfBirth: dateOfBirth, on: date) else { return nil }
        self.init(age: age)
    }

    /// Age in completed years on `date`; nil when born after `date`.
    ///
    /// Someone born on 29 February reaches their next age on 1 March in a
    /// common year (28 February is still before the birthday), as UK practice
    /// has it.
    public static func age(dateOfBirth: CalendarDate, on date: CalendarDate) -> Int? {
        guard dateOfBirth <= date else { return nil }
        var years = date.year - dateOfBirth.year
        if (date.month, date.day) < (dateOfBirth.month, dateOfBirth.day) { years -= 1 }
        return years
    }

    /// `"65–74"`, `"85+"`, `"under 18"` (with an en dash, as printed).
    public var label: String {
        switch self {
        case .under18: return "under 18"
        case .from18to64: return "18–64"
        case .from65to74: return "65–74"
        case .from75to84: return "75–84"
        case .from85: return "85+"
        }
    }

    public var description: String { label }

    public static func < (lhs: AgeBand, rhs: AgeBand) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
