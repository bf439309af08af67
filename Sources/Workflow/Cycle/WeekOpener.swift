import Foundation
import Logging
import StrandedCore
import Store
import WardListImport

/// Opens a review week: every case with LoS ≥ 7 on the week's lists gets the
/// week's Level 1 form, pre-filled from its previous form and from its list
/// row (DESIGN.md §3). Safe to call any number of times: after each import,
/// and by the scheduler at the timetable's "lists in" time.
public struct WeekOpener: Sendable {
    let store: ReviewStore
    public var taxonomy: DelayReasonTaxonomy
    public var thresholds: StrandedThresholds

    public init(database: Database, taxonomy: DelayReasonTaxonomy = .standard, thresholds: StrandedThresholds = .standard) {
        self.init(store: ReviewStore(database: database), taxonomy: taxonomy, thresholds: thresholds)
    }

    init(store: ReviewStore, taxonomy: DelayReasonTaxonomy = .standard, thresholds: StrandedThresholds = .standard) {
        self.store = store
        self.taxonomy = taxonomy
        self.thresholds = thresholds
    }

    /// Creates the week's missing forms (one statement), refreshes the list
    /// row of forms whose list was replaced, and marks discharged the forms
    /// of patients who left during their week.
    @discardableResult
    public func open(week: ReviewWeek) async throws -> WeekOpening {
        try await store.openWeek(week, reasonMatches: Self.reasonMatches(taxonomy), strandedDays: thresholds.strandedDays)
    }

    /// How free-text delay reasons on ward lists map to taxonomy codes: the
    /// code itself, the label, the sitrep wording, and the national category
    /// names of DESIGN.md §3 as wards type them; compared lower-cased and
    /// trimmed. Text that matches nothing leaves Q1 for the ward to choose.
    static func reasonMatches(_ taxonomy: DelayReasonTaxonomy) -> [(text: String, code: String)] {
        var seen: Set<String> = []
        var matches: [(text: String, code: String)] = []
        func add(_ text: String, _ code: DelayReasonCode) {
            let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard !key.isEmpty, taxonomy.contains(code), seen.insert(key).inserted else { return }
            matches.append((key, code.rawValue))
        }
        for reason in taxonomy.reasons {
            add(reason.code.rawValue, reason.code)
            add(reason.label, reason.code)
            add(reason.sitrep.text, reason.code)
            add(reason.sitrep.detail, reason.code)
        }
        for (text, code) in nationalCategoryNames { add(text, code) }
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

extension WardListImporter {
    /// Opens the review week of an accepted list (issue 4). A failure here
    /// does not undo the import, which is already committed: it is logged,
    /// and the next import or the scheduler opens the week again.
    func openReviewWeek(after report: ImportReport) async {
        guard report.verdict == .accepted, let text = report.snapshotDate, let date = CalendarDate(iso: text) else { return }
        let week = ReviewWeek.containing(date)
        do {
            let opening = try await WeekOpener(store: store.reviews).open(week: week)
            logger.info("review week opened", metadata: [
                "week": "\(week)", "created": "\(opening.created)", "discharged": "\(opening.discharged)",
            ])
        } catch {
            logger.error("could not open the review week after an import", metadata: ["week": "\(week)", "error": "\(error)"])
        }
    }
}
