import Foundation

/// One reason a board round may give for a red day.
public struct RedReason: Hashable, Sendable, Codable, Identifiable, CustomStringConvertible {
    /// Stable code, stored with every red day; never reuse or rename one.
    public var code: String
    /// What the ward sees in the select.
    public var label: String
    /// Who must act for the next day to be green; what the trends group red
    /// reasons by.
    public var agency: Agency

    public init(code: String, label: String, agency: Agency) {
        self.code = code
        self.label = label
        self.agency = agency
    }

    public var id: String { code }
    public var description: String { code }
}

/// The red-and-green-days rules (Red2Green, the SAFER bundle): the reasons a
/// red day may give, how many red days in a row bring a case to Level 2, and
/// how far back a board round may correct an earlier day.
///
/// Part of ``StrandedPolicy``, configured under `redDays`, every key optional
/// and unknown keys refused.
public struct RedDayPolicy: Hashable, Sendable {
    /// The reasons, in the order the select shows them.
    public var reasons: [RedReason]
    /// `L2-RED-DAYS` fires at this many consecutive red days (default 3).
    public var escalationConsecutiveDays: Int
    /// A day may be recorded or corrected up to this many days after it
    /// (default 7); older days are history and stay as they were.
    public var correctionWindowDays: Int

    public init(reasons: [RedReason], escalationConsecutiveDays: Int, correctionWindowDays: Int) {
        self.reasons = reasons
        self.escalationConsecutiveDays = escalationConsecutiveDays
        self.correctionWindowDays = correctionWindowDays
    }

    /// The reason with this code, if configured.
    public func reason(_ code: String) -> RedReason? { reasons.first { $0.code == code } }

    /// The label of a stored code; the code itself when the configuration no
    /// longer has it (history keeps what was recorded).
    public func label(of code: String) -> String { reason(code)?.label ?? code }

    /// The reasons of the NHS Improvement guide's usual board-round list.
    public static let standard = RedDayPolicy(
        reasons: [
            RedReason(code: "awaiting-test", label: "Awaiting test", agency: .nhs),
            RedReason(code: "awaiting-result", label: "Awaiting result", agency: .nhs),
            RedReason(code: "awaiting-senior-review", label: "Awaiting senior review", agency: .nhs),
            RedReason(code: "awaiting-therapy", label: "Awaiting therapy", agency: .nhs),
            RedReason(code: "awaiting-social-care-assessment", label: "Awaiting social care assessment", agency: .socialCare),
            RedReason(code: "awaiting-package-of-care", label: "Awaiting package of care", agency: .socialCare),
            RedReason(code: "awaiting-placement", label: "Awaiting placement", agency: .both),
            RedReason(code: "awaiting-transport", label: "Awaiting transport", agency: .nhs),
            RedReason(code: "awaiting-equipment", label: "Awaiting equipment", agency: .both),
            RedReason(code: "other", label: "Other", agency: .other),
        ],
        escalationConsecutiveDays: 3,
        correctionWindowDays: 7
    )

    /// What is wrong with these settings, naming the key; empty when usable.
    public func problems() -> [String] {
        var result: [String] = []
        if reasons.isEmpty { result.append("reasons must list at least one reason for a red day") }
        var seen: Set<String> = []
        for (position, reason) in reasons.enumerated() {
            if reason.code.trimmingCharacters(in: .whitespaces).isEmpty {
                result.append("reasons[\(position)] has a blank code; give it a stable code such as \"awaiting-test\"")
            } else if !seen.insert(reason.code).inserted {
                result.append("reasons: code \"\(reason.code)\" is used more than once")
            }
            if reason.label.trimmingCharacters(in: .whitespaces).isEmpty { result.append("reasons[\(position)] has a blank label") }
        }
        if escalationConsecutiveDays < 1 {
            result.append("escalationConsecutiveDays must be at least 1, got \(escalationConsecutiveDays)")
        }
        if correctionWindowDays < 0 { result.append("correctionWindowDays cannot be negative, got \(correctionWindowDays)") }
        return result
    }
}

extension RedDayPolicy: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case reasons, escalationConsecutiveDays, correctionWindowDays
    }

    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RedDayPolicy.standard
        self.init(
            reasons: try c.decodeIfPresent([RedReason].self, forKey: .reasons) ?? d.reasons,
            escalationConsecutiveDays: try c.decodeIfPresent(Int.self, forKey: .escalationConsecutiveDays) ?? d.escalationConsecutiveDays,
            correctionWindowDays: try c.decodeIfPresent(Int.self, forKey: .correctionWindowDays) ?? d.correctionWindowDays
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reasons, forKey: .reasons)
        try c.encode(escalationConsecutiveDays, forKey: .escalationConsecutiveDays)
        try c.encode(correctionWindowDays, forKey: .correctionWindowDays)
    }
}
