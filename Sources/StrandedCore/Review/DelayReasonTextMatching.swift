import Foundation

/// Reading the delay reason a ward list gives as free text.
extension DelayReasonTaxonomy {
    /// How free-text delay reasons on ward lists map to taxonomy codes: the
    /// code itself, the label, the sitrep wording, and the national category
    /// names of DESIGN.md §3 as wards type them; compared lower-cased and
    /// trimmed. Text that matches nothing leaves Q1 for the ward to choose.
    public func listTextMatches() -> [(text: String, code: String)] {
        var seen: Set<String> = []
        var matches: [(text: String, code: String)] = []
        func add(_ text: String, _ code: DelayReasonCode) {
            let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard !key.isEmpty, contains(code), seen.insert(key).inserted else { return }
            matches.append((key, code.rawValue))
        }
        for reason in reasons {
            add(reason.code.rawValue, reason.code)
            add(reason.label, reason.code)
            add(reason.sitrep.text, reason.code)
            add(reason.sitrep.detail, reason.code)
        }
        for (text, code) in DelayReasonTaxonomy.nationalCategoryNames { add(text, code) }
        return matches
    }

    /// The national discharge delay category names (DESIGN.md §3).
    static let nationalCategoryNames: [(String, DelayReasonCode)] = [
        ("awaiting assessment", .awaitingAssessment),
        ("public funding", .publicFunding),
        ("further non-acute NHS care", .furtherNHSCare),
        ("residential home", .residentialHome),
        ("nursing home", .nursingHome),
        ("care package at home", .carePackageHome),
        ("equipment/adaptations", .equipmentAdaptations),
        ("patient or family choice", .patientFamilyChoice),
        ("disputes", .disputes),
        ("housing", .housing),
        ("continuing healthcare assessment", .continuingHealthcare),
        ("medical/clinical", .medical),
        ("therapy", .therapy),
        ("transport", .transport),
        ("safeguarding/legal", .safeguardingLegal),
        ("mental health placement", .mentalHealthPlacement),
        ("self-funder arrangements", .selfFunder),
    ]
}
