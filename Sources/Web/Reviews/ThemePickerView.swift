import Foundation
import StrandedCore

/// The prevention-theme picker beside the Q3 answer: every configured theme
/// as a checkbox (several may apply), the ones the saved answer suggests
/// marked, and "other" for a theme the list lacks.
///
/// Suggestions come from the text as last sent to the server, so the picker
/// works without JavaScript: save a draft and the marks follow the answer.
struct ThemePickerView {
    struct Theme: Hashable {
        let index: Int
        let code: String
        let label: String
        let agency: String
        let checked: Bool
        let suggested: Bool
    }

    /// The picker's items (``ReviewFormFragments/item(_:)``).
    let themeRows: RenderedRows
    let hasSuggestions: Bool
    let themesError: String?
    let otherTheme: String
    let otherThemeError: String?

    init(input: ReviewFormInput, messages: FieldMessages, taxonomy: PreventionThemeTaxonomy, fragments: ReviewFormFragments) {
        let suggested = Set(taxonomy.suggestions(for: input.q3Narrative).map(\.rawValue))
        var rows = Self.themeRows(taxonomy: taxonomy)
        for code in input.themes where !taxonomy.contains(PreventionThemeCode(code)) {
            rows.append((code, "\(code) (not in the list of themes)", ""))
        }
        themeRows = RenderedRows(rows.enumerated().map { index, row in
            fragments.item(Theme(
                index: index,
                code: row.code,
                label: row.label,
                agency: row.agency,
                checked: input.themes.contains(row.code),
                suggested: suggested.contains(row.code)
            ))
        })
        hasSuggestions = !suggested.isEmpty
        themesError = messages.themesText(count: rows.count)
        otherTheme = input.learningTheme
        otherThemeError = messages.text("q3.learningTheme")
    }

    /// The configured themes, in the picker's order.
    static func themeRows(taxonomy: PreventionThemeTaxonomy) -> [(code: String, label: String, agency: String)] {
        taxonomy.themes.map { (code: $0.code.rawValue, label: $0.label, agency: $0.agency.label) }
    }
}

extension FieldMessages {
    /// Messages for any of the ticked themes.
    func themesText(count: Int) -> String? {
        let all = (0..<count).compactMap { text("q3.themes[\($0)]") }
        return all.isEmpty ? nil : all.joined(separator: " ")
    }
}
