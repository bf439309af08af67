import Foundation
import StrandedCore
import Testing

@Suite("The evaluation framework: periods, targets, RAG and trend")
struct EvaluationFrameworkTests {
    @Test func periodsAreReadAsWrittenAndNamedByTheirFirstDay() {
        #expect(MetricPeriod.week.start(of: "2026-11-18") == CalendarDate(iso: "2026-11-16"))
        #expect(MetricPeriod.month.start(of: "2026-11") == CalendarDate(iso: "2026-11-01"))
        #expect(MetricPeriod.month.start(of: "18/11/2026") == CalendarDate(iso: "2026-11-01"))
        #expect(MetricPeriod.quarter.start(of: "2026-q3") == CalendarDate(iso: "2026-07-01"))
        #expect(MetricPeriod.quarter.start(of: "2026-05-20") == CalendarDate(iso: "2026-04-01"))
        #expect(MetricPeriod.month.start(of: "2026-13") == nil)
        #expect(MetricPeriod.quarter.start(of: "2026-Q5") == nil)
        #expect(MetricPeriod.week.start(of: "last week") == nil)
        #expect(MetricPeriod.quarter.name(CalendarDate(iso: "2026-07-01")!) == "2026-Q3")
        #expect(MetricPeriod.month.name(CalendarDate(iso: "2026-03-01")!) == "2026-03")
    }

    @Test func ragIsGreenOnTargetAmberWithinTheMarginRedBeyondAndNoneWithoutATarget() {
        func rating(_ values: [Double], _ direction: ImprovementDirection, _ target: Double?) -> RAGRating? {
            MetricAssessment.assess(values: values, direction: direction, target: target, amberMargin: 0.05).rating
        }
        #expect(rating([80, 86], .higherIsBetter, 85) == .green)
        #expect(rating([86, 82], .higherIsBetter, 85) == .amber)
        #expect(rating([86, 70], .higherIsBetter, 85) == .red)
        #expect(rating([100], .lowerIsBetter, 100) == .green)
        #expect(rating([104], .lowerIsBetter, 100) == .amber)
        #expect(rating([120], .lowerIsBetter, 100) == .red)
        #expect(rating([120], .lowerIsBetter, nil) == nil)
        #expect(rating([], .lowerIsBetter, 100) == nil)
    }

    @Test func theTrendFollowsTheDirection() {
        func trend(_ values: [Double], _ direction: ImprovementDirection) -> MetricTrend {
            MetricAssessment.assess(values: values, direction: direction, target: nil, amberMargin: 0.05).trend
        }
        #expect(trend([10, 8], .lowerIsBetter) == .improving)
        #expect(trend([10, 8], .higherIsBetter) == .worsening)
        #expect(trend([10, 10], .higherIsBetter) == .steady)
        #expect(trend([10], .higherIsBetter) == .unknown)
    }

    @Test func everyMetricTheSourcesNameHasAPeriodAndTheFeedsHaveTheirMetrics() {
        let framework = EvaluationFramework.standard
        let seedIndicators = [
            "ae-attendances-65", "emergency-admissions-65", "emergency-admissions-care-homes-65", "length-of-stay-65",
            "delayed-transfers-of-care-18", "readmissions-30-days-65",
        ]
        let departmentOfHealth = [
            "emergency-admissions-65", "length-of-stay-65", "total-delayed-days", "at-home-91-days-after-discharge",
            "reablement-after-discharge", "weekend-discharges",
        ]
        let added = [
            "friends-and-family-test", "ascof-2a-permanent-admissions-65", "ascof-1a-social-care-quality-of-life",
            "ascof-3a-satisfaction-with-care", "ascof-2c-delays-attributable-to-social-care", "bcf-non-elective-admissions",
        ]
        for id in seedIndicators + departmentOfHealth + added { #expect(framework.settings[id] != nil, "\(id)") }
        let additional = Set(framework.additionalMetrics.map(\.id))
        for id in additional { #expect(framework.settings[id] != nil, "\(id) has no period") }
        for feed in ServiceFeed.allCases { #expect(framework.metricID(fedBy: feed) != nil, "\(feed)") }
        #expect(framework.settings["acute-admissions-moved-on-within-7-days"]?.target == 85)
    }
}
