import Foundation
import Reports
import Store
import StrandedCore

/// One prevention theme a plan action addresses, with its weekly count: the
/// action's outcome (did the action reduce the cause?).
public struct ActionThemeOutcome: Sendable {
    public let theme: PreventionThemeCode
    public let label: String
    public let weeks: [(week: CalendarDate, cases: Int)]
}

/// What linking a theme to the plan refuses.
public enum ThemeLinkError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownTheme(String)
    case blankActionText
    case unacceptableActionText(String)

    public var description: String {
        switch self {
        case let .unknownTheme(code): return "\"\(code)\" is not a prevention theme; choose one from the list"
        case .blankActionText: return "say what the new action will do about the theme"
        case let .unacceptableActionText(message): return message
        }
    }
}

/// Themes and plan actions, joined: Level 2 or a plan editor raises a plan
/// action from a theme or links a theme to an existing action; the action
/// page then charts the theme's weekly count.
public struct ThemePlanLinks: Sendable {
    let repository: PlanRepository
    public let themes: ThemeService
    public let policy: StrandedPolicy

    /// Weeks of history on an action's outcome chart.
    public static let outcomeWeeks = 12

    public init(database: Database, policy: StrandedPolicy) {
        repository = PlanRepository(database: database)
        themes = ThemeService(database: database, policy: policy)
        self.policy = policy
    }

    /// The configured theme with this code, or the refusal naming it.
    func known(_ code: String) throws -> PreventionThemeCode {
        let theme = PreventionThemeCode(code)
        guard policy.preventionThemes.contains(theme) else { throw ThemeLinkError.unknownTheme(code) }
        return theme
    }

    public func link(theme code: String, toAction action: String, by author: String) async throws {
        let theme = try known(code)
        let planID = try await currentPlanID()
        try await repository.linkTheme(theme, to: action, planID: planID, by: author)
    }

    public func unlink(theme code: String, fromAction action: String, by author: String) async throws {
        let planID = try await currentPlanID()
        try await repository.unlinkTheme(PreventionThemeCode(code), from: action, planID: planID, by: author)
    }

    /// Raises a new key action under `priority`, linked to the theme; returns its code.
    public func raise(theme code: String, priority: String, text: String, by author: String) async throws -> String {
        let theme = try known(code)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ThemeLinkError.blankActionText }
        if let message = FreeTextField("What the action will do", .note).problem(trimmed) {
            throw ThemeLinkError.unacceptableActionText(message)
        }
        let planID = try await currentPlanID()
        return try await repository.raiseAction(fromTheme: theme, priority: priority.uppercased(), text: trimmed, planID: planID, by: author)
    }

    /// The themes linked to each action of the current plan.
    public func linkedThemes() async throws -> [String: [PreventionThemeCode]] {
        try await repository.actionThemes(planID: try await currentPlanID())
    }

    /// Each theme linked to `action`, with its weekly count up to `week`.
    public func outcomes(action: String, to week: ReviewWeek) async throws -> [ActionThemeOutcome] {
        let linked = try await linkedThemes()[action] ?? []
        var result: [ActionThemeOutcome] = []
        for theme in linked {
            result.append(
                ActionThemeOutcome(
                    theme: theme,
                    label: policy.preventionThemes.label(theme),
                    weeks: try await themes.weekly(theme: theme, weeks: Self.outcomeWeeks, to: week)
                )
            )
        }
        return result
    }

    func currentPlanID() async throws -> Int64 {
        guard let id = try await repository.currentPlanID() else { throw PlanStoreError.noPlan }
        return id
    }
}
