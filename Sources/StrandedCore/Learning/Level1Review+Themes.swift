import Foundation

extension Level1Review {
    /// Prevention theme codes that cannot be accepted: not in the configured
    /// taxonomy, or ticked twice. Themes are optional, so nothing is missing.
    public func themeProblems(taxonomy: PreventionThemeTaxonomy) -> [FormProblem] {
        var problems: [FormProblem] = []
        var seen: Set<PreventionThemeCode> = []
        for (index, code) in q3.themes.enumerated() {
            let key = "q3.themes[\(index)]"
            if !taxonomy.contains(code) {
                problems.append(
                    .invalid(
                        key,
                        "Prevention theme \(index + 1) (\"\(code)\") is not in the list of themes; choose one from the list or use \"Other\"."
                    )
                )
            } else if !seen.insert(code).inserted {
                problems.append(.invalid(key, "Prevention theme \(index + 1) (\"\(code)\") is ticked twice; remove the repeat."))
            }
        }
        return problems
    }
}
