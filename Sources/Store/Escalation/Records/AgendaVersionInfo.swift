import Foundation
import StrandedCore

/// One version of a week's agenda, without its content.
public struct AgendaVersionInfo: Sendable, Codable, Equatable {
    public let week: CalendarDate
    public let version: Int
    public let builtAt: Date
    public let builtBy: String
    public let cases: Int
}
