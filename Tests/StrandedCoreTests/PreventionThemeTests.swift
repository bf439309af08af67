import Foundation
import StrandedCore
import Testing

@Suite("Prevention themes: the taxonomy, suggestion from the Q3 answer, and checks")
struct PreventionThemeTests {
    let themes = PreventionThemeTaxonomy.standard

    @Test func theStandardTaxonomyStartsFromTheNamedCauses() {
        let codes = Set(themes.codes.map(\.rawValue))
        for code in [
            "late-therapy-assessment", "no-early-edd", "late-social-care-assessment", "late-equipment-or-care",
            "medically-optimised-not-recognised", "family-expectations", "awaiting-specialist-opinion", "transport", "housing",
        ] {
            #expect(codes.contains(code), "missing \(code)")
        }
        #expect(StrandedPolicy.standard.preventionThemes == themes)
    }

    @Test func keywordsSuggestThemesAsWholeWordsInTaxonomyOrder() {
        let text = "Physio and OT referral on day 1; order the care package and hoist early. No EDD was set."
        #expect(themes.suggestions(for: text) == ["late-therapy-assessment", "no-early-edd", "late-equipment-or-care"])
        // "OT" is a word, not a fragment of "not"/"hotel"; "son" is not part of "reason".
        #expect(themes.suggestions(for: "Could not say; no reason given at the hotel") == [])
        // Case, punctuation and line breaks do not matter; phrases match across them.
        #expect(themes.suggestions(for: "SOCIAL\nCARE should have been asked.") == ["late-social-care-assessment"])
        #expect(themes.suggestions(for: "") == [])
        #expect(themes.suggestions(for: "   ") == [])
    }

    @Test func aConfiguredTaxonomyDecodesAndReplacesTheStandardOne() throws {
        let json = """
            {"preventionThemes": {"themes": [
              {"code": "late-ot", "label": "OT late", "agency": "nhs", "keywords": ["occupational therapy"]},
              {"code": "no-keywords", "label": "Something else", "agency": "other"}
            ]}}
            """
        let policy = try JSONDecoder().decode(StrandedPolicy.self, from: Data(json.utf8))
        #expect(policy.preventionThemes.codes == ["late-ot", "no-keywords"])
        #expect(policy.preventionThemes.suggestions(for: "Occupational therapy was late") == ["late-ot"])
        #expect(policy.delayReasons == .standard)
        let roundTrip = try JSONDecoder().decode(StrandedPolicy.self, from: JSONEncoder().encode(policy))
        #expect(roundTrip == policy)
    }

    @Test func aTaxonomyWithARepeatedOrBlankCodeIsRefused() {
        let theme = PreventionTheme(code: "x", label: "X", agency: .nhs, keywords: [])
        #expect(throws: PreventionThemeTaxonomy.TaxonomyError.duplicateCode("x")) { try PreventionThemeTaxonomy(themes: [theme, theme]) }
        #expect(throws: PreventionThemeTaxonomy.TaxonomyError.blankCode(position: 0)) {
            try PreventionThemeTaxonomy(themes: [PreventionTheme(code: " ", label: "X", agency: .nhs, keywords: [])])
        }
        let json = #"{"preventionThemes": {"themes": [{"code": "a", "label": "A", "agency": "nhs"}, {"code": "a", "label": "B", "agency": "nhs"}]}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(StrandedPolicy.self, from: Data(json.utf8)) }
    }

    @Test func unknownAndRepeatedThemesOnAReviewAreInvalidAndThemesAreOptional() {
        var review = Level1Review()
        #expect(review.themeProblems(taxonomy: themes).isEmpty)
        review.q3.themes = ["transport", "made-up", "transport"]
        let problems = review.themeProblems(taxonomy: themes)
        #expect(problems.map(\.field) == ["q3.themes[1]", "q3.themes[2]"])
        #expect(problems.allSatisfy { $0.kind == .invalid })
        #expect(!review.missingFields().contains { $0.field.hasPrefix("q3.themes") })
    }

    @Test func themesSurviveTheReviewsJSONAndOldFormsWithoutThemDecode() throws {
        let review = Level1Review(q3: .init(narrative: "Earlier OT", themes: ["late-therapy-assessment"], learningTheme: "night discharges"))
        let decoded = try JSONDecoder().decode(Level1Review.self, from: JSONEncoder().encode(review))
        #expect(decoded == review)
        let old = try JSONDecoder().decode(Level1Review.self, from: Data(#"{"q3": {"narrative": "x", "learningTheme": "y"}}"#.utf8))
        #expect(old.q3.themes == [])
        #expect(old.q3.learningTheme == "y")
    }
}
