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
        return themes.filter { theme in
            theme.keywords.contains { keyword in
                let words = Self.normalised(keyword)
                return !words.isEmpty && answer.contains(" \(words) ")
            }
        }.map(\.code)
    }

    /// Lower-cased words separated by single spaces.
    static func normalised(_ text: String) -> String {
        text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .joined(separator: " ")
    }
}
