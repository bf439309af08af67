import Foundation

/// A closed set of lowercase words stored as strings in the plan file
/// (`"strategic"`, `"handedOver"`, …). Decoding one the type does not know
/// fails with a message that lists the words it does know, instead of the
/// standard library's "Cannot initialize … from invalid String value".
public protocol PlanKeyword: RawRepresentable, CaseIterable, Codable, Hashable, Sendable
where RawValue == String {
    /// What the value is called in error messages, e.g. "priority category".
    static var keywordName: String { get }
}

extension PlanKeyword {
    /// Shared decoding used by every keyword's `init(from:)`.
    static func decodeKeyword(from decoder: any Decoder) throws -> Self {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if let value = Self(rawValue: text) { return value }
        let known = allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        throw DecodingError.dataCorruptedError(
            in: container,
            debugDescription: "unknown \(keywordName) \"\(text)\"; expected one of \(known)"
        )
    }
}

/// The three groups the CQC put its fifteen areas for improvement in.
public enum PriorityCategory: String, PlanKeyword {
    case strategic
    case operational
    case engagement

    public static let keywordName = "priority category"
    public init(from decoder: any Decoder) throws { self = try Self.decodeKeyword(from: decoder) }
}

/// Whether the plan is still being delivered or has been closed.
public enum PlanStatus: String, PlanKeyword {
    case active
    case closed

    public static let keywordName = "plan status"
    public init(from decoder: any Decoder) throws { self = try Self.decodeKeyword(from: decoder) }
}

/// Where a key action stands. This is recorded by people; the RAG rating is
/// never recorded, it is computed from this and the dates (see `RAGPolicy`).
public enum ActionStatus: String, PlanKeyword {
    case notStarted
    case inProgress
    case complete
    /// Unfinished when the plan closed, with no new owner yet.
    case outstandingAtClosure
    /// Unfinished when the plan closed and passed to a named owner and
    /// governance stream (an `OutstandingTask` links to it).
    case handedOver

    public static let keywordName = "action status"
    public init(from decoder: any Decoder) throws { self = try Self.decodeKeyword(from: decoder) }

    /// True for the statuses a closed plan may leave an action in.
    public var isSettled: Bool {
        switch self {
        case .complete, .outstandingAtClosure, .handedOver: true
        case .notStarted, .inProgress: false
        }
    }
}

/// Which way an evaluation metric should move.
public enum ImprovementDirection: String, PlanKeyword {
    case higherIsBetter
    case lowerIsBetter

    public static let keywordName = "improvement direction"
    public init(from decoder: any Decoder) throws { self = try Self.decodeKeyword(from: decoder) }
}
