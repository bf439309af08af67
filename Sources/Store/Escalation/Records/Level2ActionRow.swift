import Foundation
import StrandedCore

/// An action the Level 2 meeting agreed for a case.
public struct Level2ActionRow: Sendable, Codable, Equatable {
    public let id: Int64
    public let caseID: Int64
    public let week: CalendarDate
    public let description: String
    public let agency: Agency
    public let owner: String
    public let dueDate: CalendarDate
    public let recordedBy: String
    public let recordedAt: Date
}
