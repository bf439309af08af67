import Foundation

/// Which organisation is responsible for clearing a delay or carrying out an
/// action.
///
/// Recorded because the Level 2 meeting and the chief executive call act on
/// delays by organisation, and the legacy delayed-transfer-of-care return was
/// attributed to the NHS, social care or both.
public enum Agency: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    case nhs = "nhs"
    case socialCare = "social-care"
    case both = "both"
    /// Neither health nor social care: the patient and family, a housing
    /// authority, the courts.
    case other = "other"

    public var label: String {
        switch self {
        case .nhs: return "NHS"
        case .socialCare: return "Social care"
        case .both: return "NHS and social care"
        case .other: return "Other"
        }
    }

    public var description: String { rawValue }
}

/// The stable code of a delay reason, e.g. `"care-package-home"`.
///
/// A wrapper rather than a bare `String` so a reason code cannot be mixed up
/// with a ward code or free text, while staying open: the taxonomy is a table a
/// system can extend, so the set of codes is not closed the way an enum's is.
public struct DelayReasonCode: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    public static func < (lhs: DelayReasonCode, rhs: DelayReasonCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The reason groups of the national acute discharge situation report's
/// "delay reason, LoS 7+" return, whose reasons read *group – detail*.
public enum SitrepDelayGroup: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// A service or placement the patient needs does not have room yet.
    case capacity = "capacity"
    /// Arrangements between hospital and the next service are under way.
    case interfaceProcess = "interface-process"
    /// Something the hospital itself has still to do.
    case hospitalProcess = "hospital-process"
    /// The care transfer hub has still to confirm needs, pathway or referral.
    case careTransferHubProcess = "care-transfer-hub-process"
    /// Concerns about the person: choice, family, safeguarding, capacity to
    /// decide, somewhere safe to live.
    case wellbeingConcerns = "wellbeing-concerns"

    /// The group's name as the return prints it.
    public var label: String {
        switch self {
        case .capacity: return "Capacity"
        case .interfaceProcess: return "Interface process"
        case .hospitalProcess: return "Hospital process"
        case .careTransferHubProcess: return "Care transfer hub process"
        case .wellbeingConcerns: return "Wellbeing concerns"
        }
    }

    public var description: String { rawValue }
}

/// Where a delay reason lands in the discharge sitrep: a group and a detail.
public struct SitrepDelayReason: Hashable, Sendable, Codable, CustomStringConvertible {
    public var group: SitrepDelayGroup
    /// Our wording of the detail line; the group is what national aggregation
    /// keys on, and it is exact.
    public var detail: String

    public init(group: SitrepDelayGroup, detail: String) {
        self.group = group
        self.detail = detail
    }

    /// `"Capacity – Home-based care not yet available"`.
    public var text: String { "\(group.label) – \(detail)" }

    public var description: String { text }
}

/// The legacy delayed-transfer-of-care (DToC) reason categories, as reported
/// monthly until the collection was paused in 2020; kept so this system's
/// history can be set beside published DToC series (the action plan's
/// indicators include delayed transfers of care).
///
/// There are ten: A, B, C, Di, Dii, E, F, G, H, I. The raw values are the
/// letters as the return wrote them.
public enum LegacyDToCCategory: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    case a = "A"
    case b = "B"
    case c = "C"
    case di = "Di"
    case dii = "Dii"
    case e = "E"
    case f = "F"
    case g = "G"
    case h = "H"
    case i = "I"

    public var label: String {
        switch self {
        case .a: return "Completion of assessment"
        case .b: return "Public funding"
        case .c: return "Waiting further non-acute NHS care"
        case .di: return "Awaiting residential home placement or availability"
        case .dii: return "Awaiting nursing home placement or availability"
        case .e: return "Awaiting care package in own home"
        case .f: return "Awaiting community equipment and adaptations"
        case .g: return "Patient or family choice"
        case .h: return "Disputes"
        case .i: return "Housing (patients not covered by the care legislation)"
        }
    }

    public var description: String { rawValue }
}

/// One row of the delay-reason taxonomy: what holds a patient in hospital, who
/// must clear it, and where it is counted nationally.
///
/// Mapping each reason to both national classifications once, here, is what
/// lets the national returns come straight from the ward reviews (DESIGN.md
/// §3) instead of being coded a second time by hand.
public struct DelayReason: Hashable, Sendable, Codable, Identifiable, CustomStringConvertible {
    /// Stable code, stored on every review; never reuse or rename one.
    public var code: DelayReasonCode
    /// What the ward sees in the picker.
    public var label: String
    /// Who is responsible for clearing the delay.
    public var agency: Agency
    /// Its group and detail in the discharge sitrep "delay reason, LoS 7+".
    public var sitrep: SitrepDelayReason
    /// Its legacy DToC category; nil when the legacy return had no category
    /// for it (see ``legacyNote``).
    public var legacyCategory: LegacyDToCCategory?
    /// Why the legacy mapping is what it is, where it is not obvious.
    public var legacyNote: String?

    public init(
        code: DelayReasonCode,
        label: String,
        agency: Agency,
        sitrep: SitrepDelayReason,
        legacyCategory: LegacyDToCCategory?,
        legacyNote: String? = nil
    ) {
        self.code = code
        self.label = label
        self.agency = agency
        self.sitrep = sitrep
        self.legacyCategory = legacyCategory
        self.legacyNote = legacyNote
    }

    public var id: DelayReasonCode { code }

    public var description: String { code.rawValue }
}

/// The table of delay reasons a system uses, in display order.
///
/// Seeded with ``standard`` (aligned with the national discharge delay
/// categories) and replaceable through configuration or the database, which is
/// why validation takes a taxonomy rather than a fixed list.
public struct DelayReasonTaxonomy: Hashable, Sendable, Codable {
    public let reasons: [DelayReason]
    private let index: [DelayReasonCode: Int]

    /// A taxonomy of these reasons; throws when a code is blank or used twice,
    /// since a review's stored code must name exactly one reason.
    public init(reasons: [DelayReason]) throws(TaxonomyError) {
        var index: [DelayReasonCode: Int] = [:]
        for (position, reason) in reasons.enumerated() {
            if reason.code.rawValue.trimmingCharacters(in: .whitespaces).isEmpty { throw .blankCode(position: position) }
            if index[reason.code] != nil { throw .duplicateCode(reason.code) }
            index[reason.code] = position
        }
        self.reasons = reasons
        self.index = index
    }

    /// The reason with this code, if the taxonomy has it.
    public func reason(_ code: DelayReasonCode) -> DelayReason? {
        index[code].map { reasons[$0] }
    }

    public func contains(_ code: DelayReasonCode) -> Bool { index[code] != nil }

    /// All codes, in display order.
    public var codes: [DelayReasonCode] { reasons.map(\.code) }

    /// Reasons in a sitrep group, for the national return.
    public func reasons(in group: SitrepDelayGroup) -> [DelayReason] {
        reasons.filter { $0.sitrep.group == group }
    }

    /// Reasons mapped to a legacy DToC category.
    public func reasons(in category: LegacyDToCCategory) -> [DelayReason] {
        reasons.filter { $0.legacyCategory == category }
    }

    public enum TaxonomyError: Error, Hashable, Sendable, CustomStringConvertible {
        case duplicateCode(DelayReasonCode)
        case blankCode(position: Int)

        public var description: String {
            switch self {
            case let .duplicateCode(code): return "delay reason code \"\(code)\" is used more than once; each code must name one reason"
            case let .blankCode(position): return "delay reason \(position + 1) has a blank code; give it a stable code such as \"care-package-home\""
            }
        }
    }

    private enum CodingKeys: String, CodingKey { case reasons }

    /// Encoded as `{"reasons": [...]}`; decoding re-checks the codes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let reasons = try c.decode([DelayReason].self, forKey: .reasons)
        do {
            try self.init(reasons: reasons)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .reasons, in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reasons, forKey: .reasons)
    }

    public static func == (lhs: DelayReasonTaxonomy, rhs: DelayReasonTaxonomy) -> Bool { lhs.reasons == rhs.reasons }
    public func hash(into hasher: inout Hasher) { hasher.combine(reasons) }
}
