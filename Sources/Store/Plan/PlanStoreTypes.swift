import Foundation
import StrandedCore

/// A plan held in the database, as the list of plans shows it.
public struct PlanSummary: Sendable, Hashable, Codable {
    public let id: Int64
    public let title: String
    public let status: PlanStatus
    public let importedAt: Date
    public let importedBy: String
}

/// Which thing an edit is about: a key action ("H2") or one of its
/// sub-actions ("E3" + "iv").
public struct ActionReference: Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let numeral: String?

    public init(code: String, numeral: String? = nil) {
        self.code = code
        self.numeral = numeral
    }

    /// "E3.iv" or "H2", as plan_change.entity_key stores it.
    public var description: String { numeral.map { "\(code).\($0)" } ?? code }
}

/// One row of the audit trail.
public struct PlanChange: Sendable, Hashable, Codable {
    public let id: Int64
    public let changedAt: Date
    public let changedBy: String
    /// "key_action", "sub_action", "metric_value".
    public let entity: String
    /// "H2", "E3.iv", or a metric key and period.
    public let entityKey: String
    public let field: String
    /// The JSON text of the value before and after (nil when there was none).
    public let before: String?
    public let after: String?
}

/// One value of an evaluation metric.
public struct MetricPoint: Sendable, Hashable, Codable {
    public let period: CalendarDate
    public let value: Double

    public init(period: CalendarDate, value: Double) {
        self.period = period
        self.value = value
    }
}

/// Whose owners an edit sets.
public enum OwnerRole: String, Sendable, Hashable, Codable, CaseIterable {
    case accountable
    case responsible
}

/// What the plan store refuses, each with a message a user can act on.
public enum PlanStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case alreadyImported(title: String)
    case noPlan
    case unknownAction(code: String)
    case unknownSubAction(code: String, numeral: String)
    case unknownMetric(key: String)
    case unknownPriority(letter: String)
    case unknownPerson(initials: String)
    case invalidNote(ProgressNoteError)
    case blankAuthor

    public var description: String {
        switch self {
        case .alreadyImported(let title):
            "a plan titled \"\(title)\" is already in the tracker. Its progress history and audit trail are append-only, so importing it again would discard them: edit it in the tracker, or give the new file a different title"
        case .noPlan:
            "no plan has been imported yet: run `stranded plan import FILE` (or `stranded plan seed` for the bundled Oxfordshire plan)"
        case .unknownAction(let code):
            "there is no key action \(code) in this plan"
        case .unknownSubAction(let code, let numeral):
            "key action \(code) has no sub-action \(numeral)"
        case .unknownMetric(let key):
            "there is no evaluation metric \"\(key)\" in this plan"
        case .unknownPriority(let letter):
            "there is no priority \"\(letter)\" in this plan; choose one of the plan's priorities (A, B, …)"
        case .unknownPerson(let initials):
            "\"\(initials)\" looks like initials but is not in the plan's key to people: use initials from the key, or write the name out in full"
        case .invalidNote(let error):
            error.description
        case .blankAuthor:
            "say who is making the change (a name is needed for the audit trail)"
        }
    }
}
