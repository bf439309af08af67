import Foundation
import StrandedCore
import Testing

@testable import Web

@Suite("Reading the Level 1 HTML form")
struct ReviewFormInputTests {
    static let review = Level1Review(
        q1: .init(
            reasons: [DelayReasonEntry(code: .nursingHome, isPrimary: true), DelayReasonEntry(code: .therapy)],
            narrative: "Needs a nursing bed"
        ),
        q2: .init(
            actions: [
                ReviewAction(
                    description: "Find a home",
                    owner: "Broker",
                    agency: .socialCare,
                    dueDate: CalendarDate(iso: "2026-11-20"),
                    isDone: false
                )
            ],
            expectedDischargeDate: CalendarDate(iso: "2026-11-27"),
            pathway: 3
        ),
        q3: .init(narrative: "Earlier CHC screen", learningTheme: nil),
        status: .green,
        reviewers: .init(health: "A Nurse", socialCare: "B Worker"),
        outcome: .escalateToLevel2(ask: "Fund the bed")
    )

    @Test func aReviewSurvivesTheRoundTripThroughTheFormFields() {
        let input = ReviewFormInput(review: Self.review)
        var body = "reason=nursing-home&reason=therapy&primary=nursing-home&q1_narrative=Needs+a+nursing+bed&action_rows=3"
        body += "&a0_id=\(input.actions[0].id)&a0_description=Find+a+home&a0_owner=Broker&a0_agency=social-care&a0_due=2026-11-20"
        body += "&a1_description=&a1_owner=&a1_agency=&a1_due=&a2_description=++&a2_owner="
        body += "&edd=27%2F11%2F2026&pathway=3&q3_narrative=Earlier+CHC+screen&learning_theme=&day_status=green"
        body += "&reviewer_health=A+Nurse&reviewer_social=B+Worker&outcome=escalate-to-level2&ask=Fund+the+bed"
        let posted = ReviewFormInput(posted: PostedFields(body))
        #expect(posted.actions.count == 1)  // blank rows are dropped
        let (review, unreadable) = posted.review()
        #expect(unreadable.isEmpty)
        #expect(review == Self.review)
    }

    @Test func unreadableValuesAreReportedByField() {
        let posted = ReviewFormInput(
            posted: PostedFields(
                "reason=therapy&primary=housing&action_rows=1&a0_description=X&a0_agency=council&a0_due=soon&edd=31%2F02%2F2026&pathway=four&day_status=blue&outcome=maybe"
            )
        )
        let (_, unreadable) = posted.review()
        #expect(
            Set(unreadable.map(\.field)) == [
                "q1.primary", "q2.actions[0].agency", "q2.actions[0].dueDate", "q2.expectedDischargeDate",
                "q2.pathway", "status", "outcome",
            ]
        )
    }

    @Test func fieldKeysBecomeElementIDs() {
        #expect(DisplayFormat.elementID("q2.actions[0].owner") == "q2-actions-0-owner")
        #expect(DisplayFormat.elementID("outcome.ask") == "outcome-ask")
        #expect(DisplayFormat.elementID("status") == "status")
    }

    @Test func timeLeftReadsLikeAPerson() {
        let deadline = Date(timeIntervalSince1970: 1_000_000)
        #expect(DisplayFormat.timeLeft(until: deadline, now: deadline.addingTimeInterval(-(2 * 86_400 + 3 * 3_600))).text == "2 days 3 hours left")
        #expect(DisplayFormat.timeLeft(until: deadline, now: deadline.addingTimeInterval(-(45 * 60))).text == "45 minutes left")
        let overdue = DisplayFormat.timeLeft(until: deadline, now: deadline.addingTimeInterval(90_000))
        #expect(overdue.text == "Overdue by 1 day 1 hour")
        #expect(overdue.overdue)
    }

    /// Posted fields decode as Foundation's `removingPercentEncoding` after `+` → space did.
    @Test func postedFieldsDecodeAsFoundationDid() {
        let texts = [
            "", "plain", "a+b", "+%2B+", "%41%42", "%e2%82%ac", "%E2%82%AC", "a%2Bb", "%00", "caf%C3%A9", "é%20x",
            "%zz", "%4", "%", "100%", "%FF", "%C3", "%C3%28", "a+%", "%%41", "x=%3D",
        ]
        for text in texts {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            #expect(PostedFields.decode(Substring(text)) == (spaced.removingPercentEncoding ?? spaced), "\(text)")
        }
    }
}
