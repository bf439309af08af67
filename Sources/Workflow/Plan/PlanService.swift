import Foundation
import Store
import StrandedCore

/// The plan tracker as the pages, the API and the CLI use it: import with
/// validation, the demo's seed, reading the current plan, and the edits,
/// with "today" (Europe/London) injectable so tests can move the date.
public struct PlanService: Sendable {
    public let repository: PlanRepository
    /// Today's date; `CalendarDate.today()` (Europe/London) unless a test fixes it.
    public let today: @Sendable () -> CalendarDate
    public let policy: RAGPolicy

    public init(
        database: Database,
        policy: RAGPolicy,
        today: @escaping @Sendable () -> CalendarDate = { CalendarDate.today() }
    ) {
        self.repository = PlanRepository(database: database)
        self.policy = policy
        self.today = today
    }

    // MARK: - Import

    /// The Oxfordshire CQC plan bundled with the build (`Schema/plan/oxfordshire-cqc-2018.json`).
    public static func seedPlanData() throws -> Data {
        guard
            let url = Bundle.module.url(forResource: "plan/oxfordshire-cqc-2018", withExtension: "json")
                ?? Bundle.module.url(forResource: "oxfordshire-cqc-2018", withExtension: "json", subdirectory: "Resources/plan")
        else {
            throw PlanImportError(problems: [PlanProblem(path: "", message: "the bundled seed plan is missing from this build")])
        }
        return try Data(contentsOf: url)
    }

    /// Loads the bundled seed plan unless a plan of that title is already
    /// there; returns the plan's id either way. Used by the demo.
    @discardableResult
    public func loadSeedPlanIfMissing(by author: String = "stranded demo") async throws -> Int64 {
        let document = try Self.validated(try Self.seedPlanData())
        if let id = try await repository.planID(title: document.plan.title) { return id }
        do {
            return try await repository.importPlan(document, by: author)
        } catch PlanStoreError.alreadyImported {
            // Another replica loaded it between the check and the insert.
            guard let id = try await repository.planID(title: document.plan.title) else { throw PlanStoreError.noPlan }
            return id
        }
    }

    /// Imports a plan file: decoded, validated (every problem reported, with
    /// its path in the file), then stored in one transaction.
    public func importPlan(data: Data, by author: String) async throws -> (id: Int64, document: PlanDocument) {
        let document = try Self.validated(data)
        return (try await repository.importPlan(document, by: author), document)
    }

    /// Decodes and validates a plan file, throwing `PlanImportError` with every problem.
    public static func validated(_ data: Data) throws -> PlanDocument {
        let document: PlanDocument
        do {
            document = try PlanDocument.decode(from: data)
        } catch {
            throw PlanImportError(problems: [PlanProblem(path: error.path ?? "", message: error.message)])
        }
        let problems = document.validate()
        guard problems.isEmpty else { throw PlanImportError(problems: problems) }
        return document
    }

    // MARK: - Reading

    /// The current plan (the one imported last) and its id.
    public func current() async throws -> (id: Int64, document: PlanDocument) {
        try await repository.loadCurrent()
    }

    /// The metrics whose values come live from the weekly lists (shown as such on the metrics page).
    public static let liveMetricKeys: Set<String> = PlanRepository.liveMetricKeys

    /// Every value of every metric of a plan: the typed-in values, with the
    /// live stranded series from the weekly lists in place of any typed ones.
    public func metricSeries(planID: Int64) async throws -> [String: [MetricPoint]] {
        var series = try await repository.metricValues(planID: planID)
        for (key, points) in try await repository.liveMetricSeries() { series[key] = points }
        return series
    }

    // MARK: - Editing

    /// Appends a progress note dated today by `author` (or on `date`, which
    /// may not be in the future: a note records what has happened).
    public func addNote(
        _ text: String,
        by author: String,
        on date: CalendarDate? = nil,
        to reference: ActionReference,
        planID: Int64
    ) async throws {
        try PlanTextInput.check([(.note, text), (.author, author)])
        let today = today()
        let day = date ?? today
        if day > today { throw PlanEditError.noteInFuture(date: day, today: today) }
        let note = ProgressNote(
            date: day,
            author: author.trimmingCharacters(in: .whitespacesAndNewlines),
            text: text.trimmingCharacters(in: .whitespacesAndNewlines)
        )
        try await repository.appendNote(note, to: reference, planID: planID)
    }

    public func setStatus(_ status: ActionStatus, of code: String, planID: Int64, by author: String) async throws {
        try PlanTextInput.check([(.author, author)])
        try await repository.setStatus(status, of: code, planID: planID, by: author)
    }

    /// Sets a due date from text as written; text naming no readable date but
    /// containing digits is refused (it is probably a mistyped date).
    public func setDue(text: String, of reference: ActionReference, planID: Int64, by author: String) async throws {
        try PlanTextInput.check([(.due, text), (.author, author)])
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let due = trimmed.isEmpty ? nil : DueDate(trimmed)
        if let due, !due.hasDate, due.text.contains(where: { $0.isASCII && $0.isNumber }) {
            throw PlanEditError.unreadableDue(text: due.text)
        }
        try await repository.setDue(due, of: reference, planID: planID, by: author)
    }

    /// Sets owners from text (one per line, or separated by ";" or ","), one
    /// or both roles in one transaction.
    public func setOwners(_ texts: [OwnerRole: String], of reference: ActionReference, planID: Int64, by author: String) async throws {
        try PlanTextInput.check([(.accountable, texts[.accountable]), (.responsible, texts[.responsible]), (.author, author)])
        try await repository.setOwners(texts.mapValues(Self.owners(from:)), of: reference, planID: planID, by: author)
    }

    /// Splits an owners field into owners.
    public static func owners(from text: String) -> [Owner] {
        text.split(whereSeparator: { $0 == "\n" || $0 == ";" || $0 == "," || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .map(Owner.init)
    }
}

/// A plan file that cannot be imported, with every problem found.
public struct PlanImportError: Error, Sendable, CustomStringConvertible {
    public let problems: [PlanProblem]

    public var description: String {
        "the plan file has \(problems.count) problem(s):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// An edit refused before it reaches the database.
public enum PlanEditError: Error, Sendable, Hashable, CustomStringConvertible {
    case noteInFuture(date: CalendarDate, today: CalendarDate)
    case unreadableDue(text: String)
    /// Text the free-text rule refuses (control characters, over the limit).
    case unacceptableText(field: PlanTextInput, message: String)

    public var description: String {
        switch self {
        case .noteInFuture(let date, let today):
            "a progress note records what has happened, so it cannot be dated \(date.uk), after today (\(today.uk))"
        case .unreadableDue(let text):
            "\"\(text)\" has numbers in it but no date this service can read: write a date as dd/mm/yy or a month and year (e.g. 31/05/19 or May 2019), or text without numbers"
        case .unacceptableText(_, let message):
            message
        }
    }
}
