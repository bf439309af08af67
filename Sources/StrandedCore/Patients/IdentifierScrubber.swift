import Foundation

/// Removes a patient's identifiers from free text that leaves ward scope
/// (the chief executive call's list, its summary, outputs for wider
/// audiences): staff type names and NHS numbers into asks and notes, and
/// those pages must carry case references only.
///
/// Removed: the given identifiers (the patient's family and given names,
/// local ids) as case-insensitive whole words, and every run of ten digits
/// written as NHS numbers are (plain, or with single spaces, dashes or dots
/// between digits), whoever it belongs to. Pure: the same text and
/// identifiers always give the same output.
public struct IdentifierScrubber: Sendable {
    public static let replacement = "[removed]"
    let identifiers: [String]

    public init(identifiers: [String]) {
        // Each word of a multi-word name too ("Mary Ann" → "Mary", "Ann"), longest
        // first so the whole name goes in one piece; fragments under two
        // characters would shred ordinary words, so they are left.
        var all: Set<String> = []
        for identifier in identifiers {
            let trimmed = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
            all.insert(trimmed)
            for part in trimmed.split(whereSeparator: { $0.isWhitespace }) { all.insert(String(part)) }
        }
        self.identifiers = all.filter { $0.count >= 2 }.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// The patient's names and local identifiers, whichever are known.
    public init(familyName: String?, givenName: String?, otherIdentifiers: [String?] = []) {
        self.init(identifiers: ([familyName, givenName] + otherIdentifiers).compactMap { $0 })
    }

    public func callAsFunction(_ text: String) -> String {
        var out = Self.removingNHSNumbers(text)
        for identifier in identifiers { out = Self.removingWholeWords(identifier, from: out) }
        return out
    }

    public func callAsFunction(_ text: String?) -> String? { text.map { callAsFunction($0) } }

    /// Replaces `word` wherever it stands as a whole word, ignoring case.
    static func removingWholeWords(_ word: String, from text: String) -> String {
        var out = ""
        var rest = text[...]
        while let found = rest.range(of: word, options: [.caseInsensitive]) {
            let before = found.lowerBound > rest.startIndex ? rest[rest.index(before: found.lowerBound)] : nil
            let after = found.upperBound < rest.endIndex ? rest[found.upperBound] : nil
            out += rest[..<found.lowerBound]
            if isWordCharacter(before) || isWordCharacter(after) {
                out += rest[found]
            } else {
                out += replacement
            }
            rest = rest[found.upperBound...]
        }
        return out + rest
    }

    private static func isWordCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber
    }

    private static func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }

    /// Replaces each run of exactly ten digits, with single separators
    /// (space, dash or dot) allowed between digits and no digit either side.
    static func removingNHSNumbers(_ text: String) -> String {
        let characters = Array(text)
        var out = ""
        var i = 0
        while i < characters.count {
            guard isDigit(characters[i]), i == 0 || !isDigit(characters[i - 1]) else {
                out.append(characters[i])
                i += 1
                continue
            }
            var j = i
            var digits = 0
            var end = i
            while j < characters.count {
                let c = characters[j]
                if isDigit(c) {
                    digits += 1
                    end = j + 1
                    if digits > 10 { break }
                } else if c == " " || c == "-" || c == ".", j + 1 < characters.count, isDigit(characters[j + 1]) {
                    // a separator between two digits
                } else {
                    break
                }
                j += 1
            }
            let followedByDigit = end < characters.count && isDigit(characters[end])
            out += digits == 10 && !followedByDigit ? replacement : String(characters[i..<end])
            i = max(end, i + 1)
        }
        return out
    }
}
