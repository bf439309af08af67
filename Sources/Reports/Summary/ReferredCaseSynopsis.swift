import Foundation
import StrandedCore

/// A case referred to the chief executive call, as the call sees it: enough
/// to discuss the case, nothing that identifies the patient.
///
/// The escalation engine fills it from its own data. Free text written by
/// staff (the barrier, actions, the ask) can still contain a name or an NHS
/// number typed into it, so the initialiser takes the patient's identifiers
/// only to scrub them out of that text (StrandedCore's ``IdentifierScrubber``,
/// the one scrubber for free text leaving ward scope), and keeps none of
/// them; anything shaped like an NHS number is removed whoever it belongs to.
public struct ReferredCaseSynopsis: Codable, Sendable, Equatable {
    // `let`, not `var`: every value passes the scrubber in an initialiser.
    /// `C-000123`: the case id, which staff can look up behind a login.
    public let caseReference: String
    public let site: String
    public let ward: String
    public let lengthOfStay: Int
    public let ageBand: String
    public let mainBarrier: String
    public let agency: String
    public let actionsTried: [String]
    public let ask: String
    /// Red days this week, in the stay and the longest run (counts only: no
    /// dates that could single the patient out); nil when not known.
    public let redDays: RedDayCounts?

    public init(
        caseID: Int64,
        site: String,
        ward: String,
        lengthOfStay: Int,
        age: Int?,
        mainBarrier: String,
        agency: Agency?,
        actionsTried: [String],
        ask: String,
        redDays: RedDayCounts? = nil,
        patientIdentifiers: [String] = []
    ) {
        let scrub = IdentifierScrubber(identifiers: patientIdentifiers)
        caseReference = Self.reference(caseID: caseID)
        self.site = scrub(site)
        self.ward = scrub(ward)
        self.lengthOfStay = lengthOfStay
        ageBand = AgeBand.label(age: age)
        self.mainBarrier = scrub(mainBarrier)
        self.agency = agency?.label ?? "Not recorded"
        self.actionsTried = actionsTried.map { scrub($0) }
        self.ask = scrub(ask)
        self.redDays = redDays
    }

    /// "2 red days this week, 5 in total, longest run 3 days", or nil when none were recorded.
    public var redDaysLine: String? { redDays?.line }

    /// The case's reference (StrandedCore's ``CaseReference``, the one spelling).
    public static func reference(caseID: Int64) -> String {
        CaseReference(caseID: caseID).description
    }

    /// Decoding scrubs too, so a synopsis arriving as JSON (from another
    /// process) cannot bring an NHS number onto the page.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let scrub = IdentifierScrubber(identifiers: [])
        caseReference = scrub(try c.decode(String.self, forKey: .caseReference))
        site = scrub(try c.decode(String.self, forKey: .site))
        ward = scrub(try c.decode(String.self, forKey: .ward))
        lengthOfStay = try c.decode(Int.self, forKey: .lengthOfStay)
        ageBand = scrub(try c.decode(String.self, forKey: .ageBand))
        mainBarrier = scrub(try c.decode(String.self, forKey: .mainBarrier))
        agency = scrub(try c.decode(String.self, forKey: .agency))
        actionsTried = try c.decode([String].self, forKey: .actionsTried).map { scrub($0) }
        ask = scrub(try c.decode(String.self, forKey: .ask))
        redDays = try c.decodeIfPresent(RedDayCounts.self, forKey: .redDays)
    }
}

/// Age in bands wide enough not to single anyone out.
public enum AgeBand {
    public static func label(age: Int?) -> String {
        guard let age, age >= 0 else { return "Not recorded" }
        switch age {
        case ..<18: return "Under 18"
        case ..<65: return "18–64"
        case ..<75: return "65–74"
        case ..<85: return "75–84"
        default: return "85+"
        }
    }
}
