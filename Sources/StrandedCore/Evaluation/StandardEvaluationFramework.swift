import Foundation

extension EvaluationFramework {
    /// Seed 003 §6 (the Department of Health metrics, the Friends and Family
    /// Test, ASCOF and the Better Care Fund measures), seed 002's six
    /// indicators, and the stranded-patient review's own weekly figures.
    /// Targets only where a source states one (the 85–90% aim: judged at its
    /// lower end); the others are charted without a RAG until one is agreed.
    public static let standard = EvaluationFramework(
        settings: [
            "ae-attendances-65": .init(period: .quarter),
            "emergency-admissions-65": .init(period: .quarter),
            "emergency-admissions-care-homes-65": .init(period: .quarter),
            "length-of-stay-65": .init(period: .quarter),
            "delayed-transfers-of-care-18": .init(period: .month),
            "readmissions-30-days-65": .init(period: .quarter),
            "total-delayed-days": .init(period: .month),
            "at-home-91-days-after-discharge": .init(period: .quarter),
            "reablement-after-discharge": .init(period: .quarter),
            "weekend-discharges": .init(period: .month),
            "friends-and-family-test": .init(period: .month),
            "stranded-patients-7": .init(period: .week, feed: .stranded),
            "super-stranded-patients-21": .init(period: .week, feed: .superStranded),
            "acute-admissions-moved-on-within-7-days": .init(period: .week, target: 85, feed: .acuteAdmissionsMovedOn),
            "ascof-2a-permanent-admissions-65": .init(period: .quarter),
            "ascof-1a-social-care-quality-of-life": .init(period: .quarter),
            "ascof-3a-satisfaction-with-care": .init(period: .quarter),
            "ascof-2c-delays-attributable-to-social-care": .init(period: .month),
            "bcf-non-elective-admissions": .init(period: .month),
            "level1-reviews-on-time": .init(period: .week, feed: .level1OnTime),
            "escalations-opened": .init(period: .week, feed: .escalationsOpened),
            "escalations-resolved": .init(period: .week, feed: .escalationsResolved),
            "red-bed-days": .init(period: .week, feed: .redBedDays),
        ],
        additionalMetrics: [
            PlanEvaluationMetric(
                id: "ascof-2a-permanent-admissions-65",
                name: "Permanent admissions to care homes (65+)",
                definition:
                    "Long-term support needs of people aged 65 or over met by admission to residential and nursing care homes, per 100,000 population of that age. ASCOF 2A and a Better Care Fund national metric.",
                unit: "admissions per 100,000 population aged 65+",
                direction: .lowerIsBetter,
                source: "Seed 003, section 6 (ASCOF; Better Care Fund measures)",
                actions: []
            ),
            PlanEvaluationMetric(
                id: "ascof-1a-social-care-quality-of-life",
                name: "Social care-related quality of life",
                definition: "The average quality-of-life score reported by people who use adult social care services. ASCOF 1A.",
                unit: "score out of 24",
                direction: .higherIsBetter,
                source: "Seed 003, section 6 (ASCOF)",
                actions: []
            ),
            PlanEvaluationMetric(
                id: "ascof-3a-satisfaction-with-care",
                name: "Overall satisfaction with care and support",
                definition: "Share of people using adult social care who are extremely or very satisfied with their care and support. ASCOF 3A.",
                unit: "percent of respondents",
                direction: .higherIsBetter,
                source: "Seed 003, section 6 (ASCOF)",
                actions: []
            ),
            PlanEvaluationMetric(
                id: "ascof-2c-delays-attributable-to-social-care",
                name: "Delayed transfers of care attributable to social care",
                definition:
                    "Delayed days from hospital attributable to adult social care, or jointly to social care and the NHS, per 100,000 population aged 18 or over. ASCOF 2C.",
                unit: "delayed days per 100,000 population aged 18+",
                direction: .lowerIsBetter,
                source: "Seed 003, section 6 (ASCOF)",
                actions: []
            ),
            PlanEvaluationMetric(
                id: "bcf-non-elective-admissions",
                name: "Non-elective admissions",
                definition: "Unplanned admissions to hospital, all ages. A Better Care Fund national metric.",
                unit: "admissions",
                direction: .lowerIsBetter,
                source: "Seed 003, section 6 (Better Care Fund measures)",
                actions: []
            ),
            PlanEvaluationMetric(
                id: "level1-reviews-on-time",
                name: "Level 1 reviews done on time",
                definition:
                    "Share of the week's Level 1 ward review forms done (complete or escalated) by the Level 1 deadline. Produced by this service each week.",
                unit: "percent of forms due",
                direction: .higherIsBetter,
                source: "This service: the weekly stranded-patient review (seed 003, section 4)",
                actions: []
            ),
            PlanEvaluationMetric(
                id: "escalations-opened",
                name: "Escalations to Level 2 opened",
                definition: "Cases escalated to the Level 2 meeting during the week, by the ward or by a rule. Produced by this service each week.",
                unit: "cases (weekly count)",
                direction: .lowerIsBetter,
                source: "This service: the weekly stranded-patient review (seed 003, section 4)",
                actions: []
            ),
            PlanEvaluationMetric(
                id: "escalations-resolved",
                name: "Escalations resolved",
                definition: "Escalated cases resolved or closed during the week. Produced by this service each week.",
                unit: "cases (weekly count)",
                direction: .higherIsBetter,
                source: "This service: the weekly stranded-patient review (seed 003, section 4)",
                actions: []
            ),
            PlanEvaluationMetric(
                id: "red-bed-days",
                name: "Red bed-days",
                definition:
                    "Days in hospital the daily board rounds marked red (nothing happened that could not have happened at home, or a planned step did not happen), across every site, in the week. Produced by this service from the board rounds.",
                unit: "bed-days (weekly count)",
                direction: .lowerIsBetter,
                source: "This service: the daily board round, Red2Green (seed 003, section 4)",
                actions: []
            ),
        ],
        amberMargin: 0.05
    )
}
