import Foundation

extension PreventionThemeTaxonomy {
    /// The themes a Q3 answer suggests, in taxonomy order.
    ///
    /// Plain keyword matching, so a ward can predict it: the answer and each
    /// keyword are lower-cased and every run of characters that is not a
    /// letter or digit becomes one space; a theme is suggested when one of
    /// its keywords appears in the answer as whole words (so "OT" matches
    /// "OT referral" but not "not", and "care package" matches "care
    /// package"). No stemming and no negation: "no family issues" still
    /// suggests the family theme. Suggestions are only marked on the form;
    /// nothing is coded until the ward ticks it.
    public func suggestions(for text: String) -> [PreventionThemeCode] {
        let answer = " " + Self.normalised(text) + " "
        guard answer.count > 2 else { return [] }
        let answerBytes = Array(answer.utf8)
        let asciiAnswer = answerBytes.allSatisfy { $0 < 0x80 }
        return themes.filter { theme in
            theme.keywords.contains { keyword in
                let words = Self.normalised(keyword)
                guard !words.isEmpty else { return false }
                let needle = " \(words) "
                // Plain ASCII on both sides (the usual case) compares bytes,
                // which is what the general search means for them, without
                // Foundation's Unicode-aware search for every keyword.
                let needleBytes = Array(needle.utf8)
                if asciiAnswer, needleBytes.allSatisfy({ $0 < 0x80 }) {
                    return Self.bytes(answerBytes, contain: needleBytes)
                }
                return answer.contains(needle)
            }
        }.map(\.code)
    }

    /// Whether `needle` (not empty) occurs in `haystack`, byte for byte.
    private static func bytes(_ haystack: [UInt8], contain needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Lower-cased words separated by single spaces.
    static func normalised(_ text: String) -> String {
        // Every form page suggests themes for its answer, normalising the
        // answer and every keyword: plain ASCII, the usual case, by bytes.
        if let ascii = asciiNormalised(text) { return ascii }
        return text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .joined(separator: " ")
    }

    /// ``normalised(_:)`` of plain ASCII text (where the letters and digits
    /// are A–Z, a–z and 0–9), or nil for any other text.
    private static func asciiNormalised(_ text: String) -> String? {
        var words: [UInt8] = []
        words.reserveCapacity(text.utf8.count)
        var separated = false
        for byte in text.utf8 {
            let lower: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): lower = byte + 32
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): lower = byte
            case 0x80...: return nil
            default:
                separated = true
                continue
            }
            if separated, !words.isEmpty { words.append(UInt8(ascii: " ")) }
            separated = false
            words.append(lower)
        }
        return String(decoding: words, as: UTF8.self)
    }
}
