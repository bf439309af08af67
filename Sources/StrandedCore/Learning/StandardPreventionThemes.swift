import Foundation

extension PreventionThemeTaxonomy {
    /// The default themes: the early-days causes of long stays that the
    /// stranded-patient review and national discharge guidance name (therapy
    /// and social care assessment started late, no expected discharge date
    /// from the start, equipment or care ordered late, a patient medically
    /// optimised but not recognised as such, family expectations not set,
    /// waiting for a specialist, transport, housing).
    ///
    /// Keywords are what wards tend to write for each; they only suggest, the
    /// ward decides.
    public static let standard: PreventionThemeTaxonomy = {
        do {
            return try PreventionThemeTaxonomy(themes: standardThemes)
        } catch {
            preconditionFailure("the standard prevention-theme taxonomy is inconsistent: \(error)")
        }
    }()

    private static let standardThemes: [PreventionTheme] = [
        PreventionTheme(
            code: "late-therapy-assessment",
            label: "Therapy assessment late",
            agency: .nhs,
            keywords: ["therapy", "therapist", "physio", "physiotherapy", "physiotherapist", "OT", "occupational therapy", "mobility assessment"]
        ),
        PreventionTheme(
            code: "no-early-edd",
            label: "Discharge date not set in the first days",
            agency: .nhs,
            keywords: ["EDD", "expected discharge date", "discharge date", "discharge planning", "plan for discharge"]
        ),
        PreventionTheme(
            code: "late-social-care-assessment",
            label: "Social care assessment requested late",
            agency: .socialCare,
            keywords: ["social care", "social worker", "social services", "care act", "care needs assessment", "referral to social"]
        ),
        PreventionTheme(
            code: "late-equipment-or-care",
            label: "Equipment or package of care ordered late",
            agency: .both,
            keywords: ["equipment", "package of care", "care package", "POC", "hoist", "commode", "adaptations", "carers", "reablement"]
        ),
        PreventionTheme(
            code: "medically-optimised-not-recognised",
            label: "Medically optimised not recognised",
            agency: .nhs,
            keywords: ["medically optimised", "medically fit", "MFFD", "fit for discharge", "medically stable", "optimised"]
        ),
        PreventionTheme(
            code: "family-expectations",
            label: "Family expectations not discussed",
            agency: .both,
            keywords: ["family", "relatives", "next of kin", "expectations", "daughter", "son", "wife", "husband"]
        ),
        PreventionTheme(
            code: "awaiting-specialist-opinion",
            label: "Awaiting specialist opinion",
            agency: .nhs,
            keywords: ["specialist", "second opinion", "consultant opinion", "awaiting review", "psychiatry", "geriatrician"]
        ),
        PreventionTheme(
            code: "transport",
            label: "Transport",
            agency: .nhs,
            keywords: ["transport", "ambulance", "PTS"]
        ),
        PreventionTheme(
            code: "housing",
            label: "Housing",
            agency: .other,
            keywords: ["housing", "homeless", "accommodation", "tenancy", "hostel"]
        ),
    ]
}
