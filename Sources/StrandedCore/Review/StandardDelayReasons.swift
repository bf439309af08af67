import Foundation

extension DelayReasonCode {
    public static let awaitingAssessment: DelayReasonCode = "awaiting-assessment"
    public static let publicFunding: DelayReasonCode = "public-funding"
    public static let furtherNHSCare: DelayReasonCode = "further-nhs-care"
    public static let residentialHome: DelayReasonCode = "residential-home"
    public static let nursingHome: DelayReasonCode = "nursing-home"
    public static let carePackageHome: DelayReasonCode = "care-package-home"
    public static let equipmentAdaptations: DelayReasonCode = "equipment-adaptations"
    public static let patientFamilyChoice: DelayReasonCode = "patient-family-choice"
    public static let disputes: DelayReasonCode = "disputes"
    public static let housing: DelayReasonCode = "housing"
    public static let continuingHealthcare: DelayReasonCode = "chc-assessment"
    public static let medical: DelayReasonCode = "medical"
    public static let therapy: DelayReasonCode = "therapy"
    public static let transport: DelayReasonCode = "transport"
    public static let safeguardingLegal: DelayReasonCode = "safeguarding-legal"
    public static let mentalHealthPlacement: DelayReasonCode = "mental-health-placement"
    public static let selfFunder: DelayReasonCode = "self-funder"
}

extension DelayReasonTaxonomy {
    /// The default taxonomy: the national discharge delay categories
    /// (DESIGN.md §3), each with its responsible agency, its discharge sitrep
    /// group and its legacy DToC category.
    ///
    /// How the reasons that do not fit the ten legacy categories are mapped:
    /// - continuing healthcare assessment → A (an assessment still to be
    ///   completed; the NHS's part of it);
    /// - therapy → A (the therapy assessment of what the person needs to go
    ///   home is part of completing the assessment);
    /// - mental health placement → C (a mental health bed or placement is
    ///   further non-acute NHS care);
    /// - self-funder arrangements → G (the person or family arranging and
    ///   choosing their own care);
    /// - safeguarding / legal → H (a contested or court-decided destination is
    ///   the nearest thing the legacy return had to a dispute);
    /// - medical / clinical and transport → none. Legacy DToC counted only
    ///   patients ready to leave for whom the next step was missing; a patient
    ///   still awaiting medical decisions is not yet ready, and the return had
    ///   no transport category. Forcing them into a letter would distort any
    ///   comparison with the published series, so they are left out of it.
    ///
    /// Sitrep details are our own wording of each line; the group is exact.
    public static let standard: DelayReasonTaxonomy = {
        do {
            return try DelayReasonTaxonomy(reasons: standardReasons)
        } catch {
            preconditionFailure("the standard delay-reason taxonomy is inconsistent: \(error)")
        }
    }()

    private static let standardReasons: [DelayReason] = [
        DelayReason(
            code: .awaitingAssessment,
            label: "Awaiting completion of assessment of care needs",
            agency: .both,
            sitrep: .init(group: .careTransferHubProcess, detail: "Awaiting confirmation of care needs and discharge pathway"),
            legacyCategory: .a
        ),
        DelayReason(
            code: .publicFunding,
            label: "Awaiting public funding decision",
            agency: .socialCare,
            sitrep: .init(group: .interfaceProcess, detail: "Funding for the care needed not yet agreed"),
            legacyCategory: .b
        ),
        DelayReason(
            code: .furtherNHSCare,
            label: "Awaiting further non-acute NHS care (community hospital or rehabilitation bed)",
            agency: .nhs,
            sitrep: .init(group: .capacity, detail: "Bed-based rehabilitation, reablement or recovery not yet available (pathway 2)"),
            legacyCategory: .c
        ),
        DelayReason(
            code: .residentialHome,
            label: "Awaiting residential care home placement",
            agency: .socialCare,
            sitrep: .init(group: .capacity, detail: "Residential care home placement not yet available (pathway 3)"),
            legacyCategory: .di
        ),
        DelayReason(
            code: .nursingHome,
            label: "Awaiting nursing home placement",
            agency: .both,
            sitrep: .init(group: .capacity, detail: "Nursing home placement not yet available (pathway 3)"),
            legacyCategory: .dii,
            legacyNote:
                "Nursing placements are commonly funded jointly (social care or self-funding plus NHS-funded nursing care), hence agency both."
        ),
        DelayReason(
            code: .carePackageHome,
            label: "Awaiting care package in own home",
            agency: .socialCare,
            sitrep: .init(group: .capacity, detail: "Home-based care or reablement not yet available (pathway 1)"),
            legacyCategory: .e
        ),
        DelayReason(
            code: .equipmentAdaptations,
            label: "Awaiting community equipment or home adaptations",
            agency: .both,
            sitrep: .init(group: .capacity, detail: "Community equipment or housing adaptations not yet available"),
            legacyCategory: .f
        ),
        DelayReason(
            code: .patientFamilyChoice,
            label: "Patient or family choice",
            agency: .other,
            sitrep: .init(group: .wellbeingConcerns, detail: "Patient, family or carer choice or disagreement with the discharge plan"),
            legacyCategory: .g
        ),
        DelayReason(
            code: .disputes,
            label: "Dispute over responsibility, funding or the plan",
            agency: .both,
            sitrep: .init(group: .interfaceProcess, detail: "Organisations not yet agreed on responsibility or the plan"),
            legacyCategory: .h
        ),
        DelayReason(
            code: .housing,
            label: "Housing: homeless or home unsuitable",
            agency: .other,
            sitrep: .init(group: .wellbeingConcerns, detail: "No safe place to live: homeless or home unsuitable"),
            legacyCategory: .i
        ),
        DelayReason(
            code: .continuingHealthcare,
            label: "Awaiting NHS continuing healthcare assessment or decision",
            agency: .nhs,
            sitrep: .init(group: .interfaceProcess, detail: "Continuing healthcare assessment or funding decision (including fast track) awaited"),
            legacyCategory: .a,
            legacyNote: "A continuing healthcare assessment is an assessment still to be completed, attributed to the NHS."
        ),
        DelayReason(
            code: .medical,
            label: "Medical or clinical: awaiting review, decision, test or treatment",
            agency: .nhs,
            sitrep: .init(group: .hospitalProcess, detail: "Awaiting medical review, decision to discharge or discharge letter"),
            legacyCategory: nil,
            legacyNote: "Not a delayed transfer under the legacy definition: the patient is not yet ready to leave."
        ),
        DelayReason(
            code: .therapy,
            label: "Awaiting therapy assessment or input",
            agency: .nhs,
            sitrep: .init(group: .hospitalProcess, detail: "Awaiting therapy review of needs for discharge"),
            legacyCategory: .a,
            legacyNote: "The therapy assessment of what the person needs to go home is part of completing the assessment."
        ),
        DelayReason(
            code: .transport,
            label: "Awaiting transport",
            agency: .nhs,
            sitrep: .init(group: .hospitalProcess, detail: "Awaiting transport"),
            legacyCategory: nil,
            legacyNote: "The legacy categories had no transport reason; left out rather than forced into one."
        ),
        DelayReason(
            code: .safeguardingLegal,
            label: "Safeguarding concern or legal process (mental capacity, Court of Protection)",
            agency: .both,
            sitrep: .init(group: .wellbeingConcerns, detail: "Safeguarding concern or legal process preventing discharge"),
            legacyCategory: .h,
            legacyNote: "No legacy category for safeguarding or legal process; a contested or court-decided destination is nearest to a dispute."
        ),
        DelayReason(
            code: .mentalHealthPlacement,
            label: "Awaiting mental health placement or bed",
            agency: .nhs,
            sitrep: .init(group: .capacity, detail: "Mental health bed or placement not yet available"),
            legacyCategory: .c,
            legacyNote: "A mental health bed or placement is further non-acute NHS care."
        ),
        DelayReason(
            code: .selfFunder,
            label: "Self-funder arranging own care or placement",
            agency: .other,
            sitrep: .init(group: .interfaceProcess, detail: "Self-funded care or placement being arranged by the person or family"),
            legacyCategory: .g,
            legacyNote: "The person or family arranging and choosing their own care was recorded as patient or family choice."
        ),
    ]
}
