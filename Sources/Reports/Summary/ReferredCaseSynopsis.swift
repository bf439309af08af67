import Foundation
import StrandedCore

/// A case referred to the chief executive call, as the call sees it: enough
/// to discuss the case, nothing that identifies the patient.
///
/// The escalation engine fills it from its own data. Free text written by
/// staff (the barrier, actions, the ask) can still contain a name or an NHS
/// number typed into it, so the initialiser takes the patient's identifiers
/// only to scrub them out of that text, and keeps none of them; anything
/// shaped like an NHS number is removed whoever it belongs to.
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

    public init(caseID: Int64, site: String, ward: String, lengthOfStay: Int, age: Int?,
                mainBarrier: String, agency: Agency?, actionsTried: [String], ask: String,
                patientIdentifiers: [String] = []) {
        let scrub = IdentifierScrubber(identifiers: patientIdentifiers)
        caseReference = Self.reference(caseID: caseID)
        self.site = scrub(site)
        self.ward = scrub(ward)
        self.lengthOfStay = lengthOfStay
        ageBand = AgeBand.label(age: age)
        self.mainBarrier = scrub(mainBarrier)
        self.agency = agency?.label ?? "Not recorded"
        self.actionsTried = actionsTried.map(scrub.callAsFunction)
        self.ask = scrub(ask)
    }

    /// `C-` and the case id, zero-padded to six digits.
    public static func reference(caseID: Int64) -> String {
        let digits = String(caseID)
        return "C-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
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
        actionsTried = try c.decode([String].self, forKey: .actionsTried).map(scrub.callAsFunction)
        ask = scrub(try c.decode(String.self, forKey: .ask))
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

/// Removes given identifiers (case-insensitively) and every run of ten
/// digits, spaced or dashed as NHS numbers are written, from free text.
public struct IdentifierScrubber: Sendable {
    public static let replacement = "[removed]"
    let identifiers: [String]

    public init(identifiers: [String]) {
        // Longest first, so "Ann Adams" goes before "Ann"; ignore fragments too
        // short to be identifying (a stray initial would shred ordinary words).
        self.identifiers = identifiers
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.count >= 2 }
            .sorted { $0.count > $1.count }
    }

    public func callAsFunction(_ text: String) -> String {
        var out = text
        for identifier in identifiers {
            out = out.replacingOccurrences(of: identifier, with: Self.replacement, options: [.caseInsensitive])
            // The same digits written another way (943 476 5919 vs 9434765919).
            let digits = identifier.filter(\.isNumber)
            if digits.count == 10 { out = Self.removingDigitRuns(out, matching: digits) }
        }
        return Self.removingDigitRuns(out, matching: nil)
    }

    /// Replaces each run of exactly ten digits (separators ' ' or '-' allowed
    /// between them) — or only those equal to `digits` when given.
    static func removingDigitRuns(_ text: String, matching digits: String?) -> String {
        let characters = Array(text)
        var out = ""
        var i = 0
        while i < characters.count {
            guard characters[i].isASCII, characters[i].isNumber,
                  i == 0 || !(characters[i - 1].isASCII && characters[i - 1].isNumber) else {
                out.append(characters[i])
                i += 1
                continue
            }
            // Read digits and single separators from here.
            var j = i
            var found = ""
            var end = i
            while j < characters.count {
                let c = characters[j]
                if c.isASCII, c.isNumber {
                    found.append(c)
                    end = j + 1
                    if found.count > 10 { break }
                } else if (c == " " || c == "-"), j + 1 < characters.count, characters[j + 1].isASCII, characters[j + 1].isNumber, !found.isEmpty {
                    // a separator between digits
                } else {
                    break
                }
                j += 1
            }
            let followedByDigit = end < characters.count && characters[end].isASCII && characters[end].isNumber
            if found.count == 10, !followedByDigit, digits == nil || digits == found {
                out += Self.replacement
            } else {
                out += String(characters[i..<end])
            }
            i = max(end, i + 1)
        }
        return out
    }
}
