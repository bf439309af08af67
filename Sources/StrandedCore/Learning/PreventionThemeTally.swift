import Foundation

/// How many cases a ward coded with one prevention theme in one review week.
public struct PreventionThemeTally: Hashable, Sendable, Codable {
    public let week: CalendarDate
    public let siteCode: String
    public let siteName: String
    public let wardCode: String
    public let wardName: String?
    public let theme: PreventionThemeCode
    public let cases: Int

    public init(
        week: CalendarDate,
        siteCode: String,
        siteName: String,
        wardCode: String,
        wardName: String?,
        theme: PreventionThemeCode,
        cases: Int
    ) {
        self.week = week
        self.siteCode = siteCode
        self.siteName = siteName
        self.wardCode = wardCode
        self.wardName = wardName
        self.theme = theme
        self.cases = cases
    }
}
