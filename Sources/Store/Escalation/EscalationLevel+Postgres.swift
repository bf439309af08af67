import Postgres
import StrandedCore

/// The database spells the chief executive level `ce-call` (migration 0006)
/// where Core says `chief-executive`. The spelling is mapped here, at the
/// Store's edge, rather than renamed by a migration: the audit trail is
/// append-only and already records `ce-call` in escalations' history, other
/// branches' SQL names the stored value, and a rename would buy nothing but
/// a second spelling during the change. Queries bind the level
/// (`e.level = \(level)`), so the stored spelling is written only here.
extension EscalationLevel: PostgresCodable {
    /// `level2` or `ce-call`, as the `escalation.level` check constraint allows.
    var storedName: String {
        switch self {
        case .level2: return "level2"
        case .chiefExecutive: return "ce-call"
        }
    }

    public var postgresBinding: PostgresBinding { .text(storedName) }

    public static func decode(from cell: PostgresCell) throws -> EscalationLevel {
        let text = cell.string
        guard let level = allCases.first(where: { $0.storedName == text }) else {
            throw PostgresError(
                kind: .decoding,
                message: "column \"\(cell.column)\" holds \"\(text)\", which is not an escalation level (level2, ce-call)"
            )
        }
        return level
    }
}
