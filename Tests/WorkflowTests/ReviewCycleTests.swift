import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import WardListImport

@testable import Workflow

/// A complete Level 1 review, for tests.
func completeReview(reason: DelayReasonCode = .carePackageHome, escalate: Bool = false) -> Level1Review {
    Level1Review(
        q1: .init(reasons: [DelayReasonEntry(code: reason, isPrimary: true)], narrative: "Waiting for a package of care."),
        q2: .init(
            actions: [
                ReviewAction(
                    description: "Chase the brokerage team",
                    owner: "A Social Worker",
                    agency: .socialCare,
                    dueDate: CalendarDate(iso: "2026-11-20"),
                    isDone: false
                ),
                ReviewAction(description: "Order a commode", owner: "OT", agency: .nhs, dueDate: CalendarDate(iso: "2026-11-18"), isDone: true),
            ],
            expectedDischargeDate: CalendarDate(iso: "2026-11-27"),
            pathway: 1
        ),
        q3: .init(narrative: "Earlier referral to social care.", learningTheme: "early referral"),
        status: .red,
        reviewers: .init(health: "Sister Jones", socialCare: "Sam Patel"),
        outcome: escalate ? .escalateToLevel2(ask: "Broker a package this week") : .managedAtWard
    )
}

@Suite("Opening a review week and saving Level 1 forms")
struct ReviewCycleTests {
    static let header =
        "site_code,ward_code,nhs_number,admission_date,family_name,given_name,age,expected_discharge_date,discharge_pathway,delay_reason\n"

    /// Week 1 (16 Nov): A LoS 15 with list facts, B LoS 6 (not stranded), C LoS 27 on ward W2.
    static let week1 =
        header + """
            ACU1,W1,\(nhs(1)),2026-11-01,Adams,Ann,81,2026-11-25,1,care package at home
            ACU1,W1,\(nhs(2)),2026-11-10,Brown,Bob,70,,,
            ACU1,W2,\(nhs(3)),2026-10-20,Cole,Cath,90,,3,something unusual
            """
    /// Week 2 (23 Nov): A and B stay; C has left.
    static let week2 =
        header + """
            ACU1,W1,\(nhs(1)),2026-11-01,Adams,Ann,81,,,
            ACU1,W1,\(nhs(2)),2026-11-10,Brown,Bob,70,,,
            ACU1,W2,\(nhs(4)),2026-11-02,Dale,Dan,66,,,
            """
    static let monday1 = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!
    static let monday2 = ReviewWeek(monday: CalendarDate(iso: "2026-11-23")!)!

    /// Every key path in a JSON value (`q2.actions[].owner`), for comparing shapes.
    func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        if let object = value as? [String: Any] {
            return object.reduce(into: Set<String>()) { paths, entry in
                let path = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
                paths.insert(path)
                paths.formUnion(keyPaths(entry.value, prefix: path))
            }
        }
        if let array = value as? [Any] {
            return array.reduce(into: Set<String>()) { $0.formUnion(keyPaths($1, prefix: prefix + "[]")) }
        }
        return []
    }

    func forms(_ database: Database, week: ReviewWeek) async throws -> [Level1FormRecord] {
        let store = ReviewStore(database: database, policy: .standard)
        var all: [Level1FormRecord] = []
        for row in try await database.client.query("SELECT id FROM ward ORDER BY code") {
            all += try await store.wardWeek(wardID: try row.decode("id"), week: week)
        }
        return all.sorted { $0.familyName ?? "" < $1.familyName ?? "" }
    }

    @Test func importingAListOpensItsWeekPrefilledFromTheListRow() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            #expect(try await fixture.importText(Self.week1, snapshotDate: "2026-11-16").verdict == .accepted)
            let forms = try await forms(database, week: Self.monday1)
            #expect(forms.map(\.familyName) == ["Adams", "Cole"])  // Brown is not stranded yet
            let adams = forms[0]
            #expect(adams.status == .notStarted)
            #expect(adams.version == 1)
            #expect(adams.lengthOfStay == 15)
            #expect(adams.review.q1.reasons == [DelayReasonEntry(code: .carePackageHome, isPrimary: true)])
            #expect(adams.review.q2.expectedDischargeDate == CalendarDate(iso: "2026-11-25"))
            #expect(adams.review.q2.pathway == 1)
            #expect(adams.review == adams.prefill)
            // Unknown reason text leaves Q1 for the ward; the pathway still comes across.
            #expect(forms[1].review.q1.reasons.isEmpty)
            #expect(forms[1].review.q2.pathway == 3)
        }
    }

    @Test func openingTwiceChangesNothing() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(Self.week1, snapshotDate: "2026-11-16")
            let before = try await forms(database, week: Self.monday1)
            let opener = WeekOpener(database: database, policy: .standard)
            let again = try await opener.open(week: Self.monday1)
            #expect(again == WeekOpening(created: 0, refreshed: 0, discharged: 0))
            #expect(try await forms(database, week: Self.monday1) == before)
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM level1_form") == 2)
        }
    }

    @Test func nextWeekIsPrefilledFromLastWeeksFormAndTheLeaverIsMarkedDischarged() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(Self.week1, snapshotDate: "2026-11-16")
            let service = ReviewService(database: database, policy: .standard)
            let week1 = try await forms(database, week: Self.monday1)
            let lastWeek = completeReview()
            guard case .saved = try await service.saveDraft(id: week1[0].id, version: 1, review: lastWeek, by: "Nurse") else {
                Issue.record("save failed")
                return
            }
            _ = try await fixture.importText(Self.week2, snapshotDate: "2026-11-23")
            let week2 = try await forms(database, week: Self.monday2)
            #expect(week2.map(\.familyName) == ["Adams", "Brown", "Dale"])
            let adams = week2[0]
            // The list gave no EDD or pathway this week, so last week's carry forward.
            // Carried forward: what still holds until someone changes it (the
            // reasons with the primary, the actions not yet done with their
            // ids, the EDD and pathway). A judgement about this week starts
            // empty, so a form cannot be completed by re-sending last week's.
            #expect(
                adams.review
                    == Level1Review(
                        q1: .init(reasons: lastWeek.q1.reasons),
                        q2: .init(
                            actions: lastWeek.q2.openActions,
                            expectedDischargeDate: lastWeek.q2.expectedDischargeDate,
                            pathway: lastWeek.q2.pathway
                        )
                    )
            )
            #expect(adams.review.q2.actions.count == 1)
            #expect(
                adams.review.missingFields().map(\.field)
                    == ["q1.narrative", "q3.narrative", "reviewers.health", "reviewers.socialCare", "outcome"]
            )
            // The statement that builds the draft spells the form's JSON keys
            // itself: every key it writes is one the form's Codable shape has
            // (a misspelt key would otherwise decode as "absent", silently).
            let stored: String = try await database.client.query(
                "SELECT review::text AS review FROM level1_form WHERE id = \(adams.id)"
            )[0].decode("review")
            let written = try JSONSerialization.jsonObject(with: Data(stored.utf8))
            let reencoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(adams.review))
            #expect(keyPaths(written).isSubset(of: keyPaths(reencoded)), "\(keyPaths(written).subtracting(keyPaths(reencoded)))")
            #expect(adams.status == .notStarted)
            #expect(adams.lastReviewedAt != nil)
            // Cole left during week 1: the form stays, marked discharged.
            let cole = try await forms(database, week: Self.monday1).first { $0.familyName == "Cole" }
            #expect(cole?.discharged == true)
            #expect(cole?.status == .discharged)
        }
    }

    @Test func aMidWeekListWithoutThePatientMarksTheFormDischargedAndRefreshesTheOthers() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(Self.week1, snapshotDate: "2026-11-16")
            // Thursday's list: Cole has gone home from W2 (W2 is still listed, so it is a discharge).
            let thursday =
                Self.header + """
                    ACU1,W1,\(nhs(1)),2026-11-01,Adams,Ann,81,,,
                    ACU1,W1,\(nhs(2)),2026-11-10,Brown,Bob,70,,,
                    ACU1,W2,\(nhs(4)),2026-11-02,Dale,Dan,66,,,
                    """
            #expect(try await fixture.importText(thursday, snapshotDate: "2026-11-19").verdict == .accepted)
            let forms = try await forms(database, week: Self.monday1)
            #expect(forms.map(\.familyName) == ["Adams", "Brown", "Cole", "Dale"])  // Brown reached 9 days on Thursday
            #expect(forms[0].lengthOfStay == 18)  // Adams follows Thursday's row
            #expect(forms[0].review.q2.pathway == 1)  // the draft from Monday is kept
            #expect(forms[2].discharged)
            #expect(forms[2].status == .discharged)
            let summary = try await ReviewStore(database: database, policy: .standard).wards(week: Self.monday1).first { $0.wardCode == "W2" }
            #expect(summary?.discharged == 1)
        }
    }

    @Test func aStaleVersionIsAConflictAndOverwritesNothing() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(Self.week1, snapshotDate: "2026-11-16")
            let store = ReviewStore(database: database, policy: .standard)
            let form = try await forms(database, week: Self.monday1)[0]
            var first = form.review
            first.q1.narrative = "First writer"
            var second = form.review
            second.q1.narrative = "Second writer"
            guard case let .saved(saved) = try await store.save(id: form.id, expectedVersion: 1, review: first, by: "One") else {
                Issue.record("first save failed")
                return
            }
            #expect(saved.version == 2)
            #expect(saved.status == .inProgress)
            // The save returns the form as a fresh read finds it.
            #expect(try await store.form(id: form.id) == saved)
            guard case let .conflict(current) = try await store.save(id: form.id, expectedVersion: 1, review: second, by: "Two") else {
                Issue.record("second save should conflict")
                return
            }
            #expect(current.version == 2)
            #expect(current.review.q1.narrative == "First writer")
            #expect(current.updatedBy == "One")
            #expect(try await store.form(id: form.id)?.review.q1.narrative == "First writer")
            #expect(try await fixture.scalar("SELECT count(*) AS n FROM level1_form_version WHERE form_id = \(form.id)") == 1)
            if case .notFound = try await store.save(id: 999_999, expectedVersion: 1, review: first, by: nil) {
            } else {
                Issue.record("unknown form should be notFound")
            }
        }
    }

    @Test func completingChecksEveryFieldAndStampsTheTime() async throws {
        try await TestCluster.withDatabase { database in
            let fixture = try await ImportFixture(database: database)
            _ = try await fixture.importText(Self.week1, snapshotDate: "2026-11-16")
            let service = ReviewService(database: database, policy: .standard)
            let form = try await forms(database, week: Self.monday1)[0]
            guard case let .incomplete(_, problems) = try await service.complete(id: form.id, version: nil, review: nil, by: nil) else {
                Issue.record("a pre-filled form is not complete")
                return
            }
            #expect(problems.map(\.field).contains("q1.narrative"))
            #expect(problems.map(\.field).contains("reviewers.socialCare"))
            guard case let .completed(done) = try await service.complete(id: form.id, version: 1, review: completeReview(escalate: true), by: "Nurse")
            else {
                Issue.record("a full form completes")
                return
            }
            #expect(done.status == .escalated)
            #expect(done.completedAt != nil)
            #expect(done.version == 2)
            // The saved form is the one a fresh read finds, its own new
            // completion counted as its case's latest review.
            let store = ReviewStore(database: database, policy: .standard)
            #expect(try await store.form(id: form.id) == done)
            #expect(done.lastReviewedAt == done.completedAt)
            // Back to a draft: the completion is gone, from the latest review too.
            guard case let .saved(draft) = try await store.save(id: form.id, expectedVersion: 2, review: form.review, by: "Nurse") else {
                Issue.record("a draft over the completed form saves")
                return
            }
            #expect(draft.completedAt == nil)
            #expect(try await store.form(id: form.id) == draft)
        }
    }

    @Test func taxonomyMatchingCoversTheNationalCategoryNames() {
        let keys = Dictionary(DelayReasonTaxonomy.standard.listTextMatches().map { ($0.text, $0.code) }, uniquingKeysWith: { a, _ in a })
        #expect(keys["care package at home"] == "care-package-home")
        #expect(keys["medical/clinical"] == "medical")
        #expect(keys["awaiting care package in own home"] == "care-package-home")
        #expect(keys["chc-assessment"] == "chc-assessment")
    }
}
