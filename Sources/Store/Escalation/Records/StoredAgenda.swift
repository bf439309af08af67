import Foundation
import StrandedCore

/// A frozen Level 2 agenda version.
public struct StoredAgenda<Content: Codable & Sendable>: Sendable {
    public let week: CalendarDate
    public let version: Int
    public let builtAt: Date
    public let builtBy: String
    public let content: Content

    public init(week: CalendarDate, version: Int, builtAt: Date, builtBy: String, content: Content) {
        self.week = week
        self.version = version
        self.builtAt = builtAt
        self.builtBy = builtBy
        self.content = content
    }
}
