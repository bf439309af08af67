import Foundation

/// One entry in an action's progress history.
///
/// Notes transcribed from the plan's "Current progress" column carry no date
/// or author (the source gives neither), and the plan file writes them as bare
/// strings. Notes recorded through the tracker carry both, and the file writes
/// them as objects `{"date": "yyyy-mm-dd", "author": "…", "text": "…"}`.
public struct ProgressNote: Hashable, Sendable, Codable {
    public let date: CalendarDate?
    public let author: String?
    public let text: String

    public init(date: CalendarDate?, author: String?, text: String) {
        self.date = date
        self.author = author
        self.text = text
    }

    /// An undated note, as transcribed from the source.
    public init(_ text: String) {
        self.init(date: nil, author: nil, text: text)
    }

    private enum CodingKeys: String, CodingKey { case date, author, text }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            date: try container.decodeIfPresent(CalendarDate.self, forKey: .date),
            author: try container.decodeIfPresent(String.self, forKey: .author),
            text: try container.decode(String.self, forKey: .text)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        if date == nil, author == nil {
            var single = encoder.singleValueContainer()
            try single.encode(text)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(date, forKey: .date)
        try container.encodeIfPresent(author, forKey: .author)
        try container.encode(text, forKey: .text)
    }
}

/// Why a progress note was refused. The history is append-only: a note is
/// only ever added at the end, and must not predate the latest dated note.
public enum ProgressNoteError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    case emptyText
    case undated
    case missingAuthor
    case earlierThanLatest(latest: CalendarDate, attempted: CalendarDate)
    case unknownAction(code: String)

    public var description: String {
        switch self {
        case .emptyText: "a progress note needs some text"
        case .undated: "a new progress note needs a date"
        case .missingAuthor: "a new progress note needs an author"
        case .earlierThanLatest(let latest, let attempted):
            "a progress note dated \(attempted) cannot follow one dated \(latest): the history is append-only and in date order"
        case .unknownAction(let code): "there is no key action \(code) in this plan"
        }
    }
}

/// Appends `note` to `history` if it is a valid new entry (see `ProgressNoteError`).
func appendProgress(_ note: ProgressNote, to history: inout [ProgressNote]) throws(ProgressNoteError) {
    guard !note.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .emptyText }
    guard let date = note.date else { throw .undated }
    guard let author = note.author, !author.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw .missingAuthor
    }
    if let latest = history.compactMap(\.date).max(), date < latest {
        throw .earlierThanLatest(latest: latest, attempted: date)
    }
    history.append(note)
}

/// A sub-action (i, ii, …) of a key action. Empty `accountable` or
/// `responsible` means the source names nobody for the sub-action itself; the
/// key action's owners then apply (see `KeyAction.accountable(for:)`).
public struct SubAction: Hashable, Sendable, Codable {
    /// Lower-case roman numeral, "i", "ii", …
    public var numeral: String
    public var text: String
    public var accountable: [Owner]
    public var responsible: [Owner]
    public var due: DueDate?
    /// Append-only; add with `record(_:)`.
    public private(set) var progress: [ProgressNote]

    public init(
        numeral: String,
        text: String,
        accountable: [Owner] = [],
        responsible: [Owner] = [],
        due: DueDate? = nil,
        progress: [ProgressNote] = []
    ) {
        self.numeral = numeral
        self.text = text
        self.accountable = accountable
        self.responsible = responsible
        self.due = due
        self.progress = progress
    }

    /// Adds a dated, attributed note at the end of the history.
    public mutating func record(_ note: ProgressNote) throws(ProgressNoteError) {
        try appendProgress(note, to: &progress)
    }
}

/// A key action (A1 … O3) under a strategic priority.
public struct KeyAction: Hashable, Sendable, Codable {
    /// Priority letter followed by its number, e.g. "H2".
    public var code: String
    public var text: String
    public var accountable: [Owner]
    public var responsible: [Owner]
    /// Nil when the source gives no completion date at all.
    public var due: DueDate?
    public var status: ActionStatus
    /// Append-only; add with `record(_:)`.
    public private(set) var progress: [ProgressNote]
    public var subActions: [SubAction]

    public init(
        code: String,
        text: String,
        accountable: [Owner],
        responsible: [Owner],
        due: DueDate?,
        status: ActionStatus,
        progress: [ProgressNote] = [],
        subActions: [SubAction] = []
    ) {
        self.code = code
        self.text = text
        self.accountable = accountable
        self.responsible = responsible
        self.due = due
        self.status = status
        self.progress = progress
        self.subActions = subActions
    }

    /// The priority letter the code starts with.
    public var priorityLetter: String { String(code.prefix(1)) }

    /// Adds a dated, attributed note at the end of the history.
    public mutating func record(_ note: ProgressNote) throws(ProgressNoteError) {
        try appendProgress(note, to: &progress)
    }

    /// The sub-action with this numeral.
    public func subAction(_ numeral: String) -> SubAction? {
        subActions.first { $0.numeral == numeral }
    }

    /// Who is accountable for a sub-action: its own owners, else this action's.
    public func accountable(for subAction: SubAction) -> [Owner] {
        subAction.accountable.isEmpty ? accountable : subAction.accountable
    }

    /// Who is responsible for a sub-action: its own owners, else this action's.
    public func responsible(for subAction: SubAction) -> [Owner] {
        subAction.responsible.isEmpty ? responsible : subAction.responsible
    }

    /// The RAG rating of this action on `today` (see `RAGPolicy`).
    public func rag(on today: CalendarDate, policy: RAGPolicy) -> RAGAssessment {
        policy.assess(status: status, due: due, progress: progress, today: today)
    }

    /// The RAG rating of one of its sub-actions: the sub-action's own due date
    /// (else this action's) and notes, with this action's status.
    public func rag(of subAction: SubAction, on today: CalendarDate, policy: RAGPolicy) -> RAGAssessment {
        policy.assess(status: status, due: subAction.due ?? due, progress: subAction.progress, today: today)
    }
}
