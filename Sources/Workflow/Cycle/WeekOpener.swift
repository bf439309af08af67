import Foundation
import Logging
import Store
import StrandedCore
import WardListImport

/// Opens a review week: every stranded case (the policy's thresholds) on the week's lists gets the
/// week's Level 1 form, pre-filled from its previous form and from its list
/// row (DESIGN.md §3). Safe to call any number of times: after each import,
/// and by the scheduler at the timetable's "lists in" time.
public struct WeekOpener: Sendable {
    let store: ReviewStore
    /// Who is stranded (the thresholds) and how list text maps to delay reasons.
    public let policy: StrandedPolicy

    public init(database: Database, policy: StrandedPolicy) {
        self.init(store: ReviewStore(database: database, policy: policy), policy: policy)
    }

    init(store: ReviewStore, policy: StrandedPolicy) {
        self.store = store
        self.policy = policy
    }

    /// Creates the week's missing forms, refreshes the list row of forms
    /// whose list was replaced, and marks discharged the forms of patients
    /// who left during their week: one statement each, in a transaction per
    /// share of the sites (``ReviewStore/openWeek(_:)``).
    @discardableResult
    public func open(week: ReviewWeek) async throws -> WeekOpening {
        try await store.openWeek(week)
    }
}

extension WardListImporter {
    /// Opens the review week of an accepted list. A failure here
    /// does not undo the import, which is already committed: it is logged,
    /// and the next import or the scheduler opens the week again.
    func openReviewWeek(after report: ImportReport) async {
        guard report.verdict == .accepted, let text = report.snapshotDate, let date = CalendarDate(iso: text) else { return }
        let week = ReviewWeek.containing(date)
        do {
            let opening = try await WeekOpener(store: store.reviews(policy: policy), policy: policy).open(week: week)
            logger.info(
                "review week opened",
                metadata: [
                    "week": "\(week)", "created": "\(opening.created)", "discharged": "\(opening.discharged)",
                ]
            )
        } catch {
            logger.error("could not open the review week after an import", metadata: ["week": "\(week)", "error": "\(error)"])
        }
    }
}
