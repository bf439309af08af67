import StrandedCore

/// One attendee of a week's Level 2 meeting.
public struct AttendanceRow: Sendable, Codable, Equatable {
    public let name: String
    public let role: String
    public let agency: Agency
    public let present: Bool
    public let recordedBy: String
}
