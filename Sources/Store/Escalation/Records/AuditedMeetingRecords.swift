/// A Level 2 agenda build as the audit trail shows it.
struct AuditedAgendaBuild: Encodable {
    let week: String
    let version: Int
    let builtBy: String
    let caseIDs: [Int64]
}

/// A Level 2 case record as the audit trail shows it, before and after.
struct AuditedLevel2Record: Encodable {
    let decision: String?
    let ask: String?
    let notes: String?
    let recordedBy: String
}

/// An escalation's status and outcome as the audit trail shows them, before and after a change.
struct AuditedEscalationState: Encodable {
    let status: String
    let outcome: String?
}
