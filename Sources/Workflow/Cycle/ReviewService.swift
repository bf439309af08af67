import Foundation
import Store
import StrandedCore

/// The Level 1 ward review as a service: a ward's week, reading, saving a
/// draft and completing a form. Used by the JSON API and the pages alike.
public struct ReviewService: Sendable {
    let store: ReviewStore
    /// The running rules: the timetable gives the deadline, the thresholds
    /// the bands, the taxonomy what a complete form's reasons may be.
    public let policy: StrandedPolicy
    /// Sends a ward's request for Level 2 made after the deadline to a meeting.
    let lateEscalation: LateEscalation

    /// - Parameter now: the clock a save is judged by (after the deadline or
    ///   not); the demo's simulated weeks pass their own.
    public init(database: Database, policy: StrandedPolicy, now: @escaping @Sendable () -> Date = { Date() }) {
        store = ReviewStore(database: database, policy: policy)
        self.policy = policy
        lateEscalation = LateEscalation(database: database, policy: policy, now: now)
    }

    /// When the week's Level 1 forms are due (the timetable's Level 1 deadline).
    public func deadline(of week: ReviewWeek) -> Date {
        policy.timetable.instant(of: .level1Deadline, in: week)
    }

    /// When one form is due: the week's deadline or, for a form opened after
    /// it (a late list), the timetable's grace period after it was opened.
    public func due(of form: Level1FormRecord) -> Date {
        policy.timetable.formDue(week: form.week, openedAt: form.openedAt)
    }

    /// The week to show when none is asked for: this week if it has forms,
    /// else the latest week that has, else this week.
    public func defaultWeek(now: Date = Date()) async throws -> ReviewWeek {
        let current = ReviewWeek.containing(now, timeZone: policy.timetable.timeZone)
        let weeks = try await store.weeks()
        if weeks.contains(current) { return current }
        return weeks.first ?? current
    }

    /// The ward and its site, if within `scope`.
    public func ward(id: Int64, scope: RecordScope) async throws -> WardInfo? {
        try await store.ward(id: id, scope: scope)
    }

    /// Every ward within `scope` with its form counts for `week`.
    public func wards(week: ReviewWeek, scope: RecordScope) async throws -> [WardWeekSummary] {
        try await store.wards(week: week, scope: scope)
    }

    /// The weeks that have forms, latest first.
    public func weeks() async throws -> [ReviewWeek] {
        try await store.weeks()
    }

    /// Changes whenever any of the ward's forms for the week changes: whether a rendered page is current.
    public func wardWeekStamp(wardID: Int64, week: ReviewWeek) async throws -> String {
        try await store.wardWeekStamp(wardID: wardID, week: week)
    }

    /// The ward within `scope` and the stamp of its week's page, its read
    /// recorded as `audit` in the same statement; nil when out of scope.
    public func wardForPage(id: Int64, week: ReviewWeek, scope: RecordScope, audit: AuditEntry) async throws -> (ward: WardInfo, stamp: String)? {
        try await store.wardForPage(id: id, week: week, scope: scope, audit: audit)
    }

    /// A form within `scope`, its read audited in the same statement, with
    /// the form to offer next and its case's board-round days; nil when out of scope.
    public func formForPage(id: Int64, scope: RecordScope) async throws -> (form: Level1FormRecord, nextID: Int64?, days: [RecordedDay])? {
        try await store.formForPage(id: id, scope: scope)
    }

    /// The ward list's first form still to do, other than `formID`.
    public func nextToReview(wardID: Int64, week: ReviewWeek, excluding formID: Int64) async throws -> Int64? {
        try await store.nextToReview(wardID: wardID, week: week, excluding: formID)
    }

    /// `scope`: what the user may see (DESIGN.md §7); out-of-scope forms are not found.
    public func form(id: Int64, scope: RecordScope = .all) async throws -> Level1FormRecord? {
        try await store.form(id: id, scope: scope)
    }

    public func wardWeek(wardID: Int64, week: ReviewWeek, scope: RecordScope = .all) async throws -> [Level1FormRecord] {
        try await store.wardWeek(wardID: wardID, week: week, scope: scope)
    }

    /// Saves a draft; whatever is filled in is kept, complete or not. The
    /// save is audited as `actor` (by default the signed-in user of the request).
    public func saveDraft(
        id: Int64,
        version: Int,
        review: Level1Review,
        by author: String?,
        scope: RecordScope = .all,
        actor: AuditActor = .currentOrSystem
    ) async throws -> FormSaveResult {
        let result = try await store.save(
            id: id,
            expectedVersion: version,
            review: review,
            by: Self.author(author),
            scope: scope,
            actor: actor
        ) { review, week, days in
            // The week's days, when the board round has recorded any, are the
            // form's status; a client that still sends one keeps it otherwise.
            var review = review
            review.status = WeekOfDays(days: days, week: week, upTo: week.sunday).status ?? review.status
            return review
        }
        if case let .saved(form) = result {
            try await lateEscalation.saved(form, actor: Self.author(author) ?? "ward")
        }
        return result
    }

    public enum CompletionResult: Sendable {
        case completed(Level1FormRecord)
        /// Something is missing or invalid. When a review was sent it has been
        /// saved as a draft (`form` is the saved form) so nothing typed is lost.
        case incomplete(Level1FormRecord, [FormProblem])
        case conflict(current: Level1FormRecord)
        case notFound
    }

    /// Completes a form: with `review`, saves it (over `version`) and then
    /// checks it; without, checks the stored review (against `version` when
    /// given).
    public func complete(
        id: Int64,
        version: Int?,
        review: Level1Review?,
        by author: String?,
        scope: RecordScope = .all,
        actor: AuditActor = .currentOrSystem
    ) async throws -> CompletionResult {
        let record: Level1FormRecord
        if let review {
            guard let version else {
                guard let current = try await store.form(id: id, scope: scope) else { return .notFound }
                return .conflict(current: current)
            }
            switch try await saveDraft(id: id, version: version, review: review, by: author, scope: scope, actor: actor) {
            case .notFound: return .notFound
            case let .conflict(current): return .conflict(current: current)
            case let .saved(saved): record = saved
            }
        } else {
            guard let stored = try await store.form(id: id, scope: scope) else { return .notFound }
            if let version, version != stored.version { return .conflict(current: stored) }
            record = stored
        }
        let problems = record.review.problems(taxonomy: policy.delayReasons) + record.review.themeProblems(taxonomy: policy.preventionThemes)
        return problems.isEmpty ? .completed(record) : .incomplete(record, problems)
    }

    static func author(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
