import StrandedCore

/// Why a meeting's recording was refused. The words come from Core (the
/// escalation state machine's refusals, the meeting's form checks) or from
/// the caller: the Store adds none of its own.
public enum MeetingRecordError: Error, Equatable, CustomStringConvertible {
    /// The case is not escalated to that meeting (or not visible to the recorder).
    case refused(caseID: Int64, EscalationRefusal)
    case invalid(String)

    public var description: String {
        switch self {
        case let .refused(caseID, refusal): return refusal.message(caseID: caseID)
        case let .invalid(message): return message
        }
    }
}
