import Foundation
import StrandedCore
import Synchronization

/// The Level 1 form's fixed pieces, rendered once at start-up from their
/// templates: each delay reason's table row and each prevention theme's list
/// item in their four states (ticked or not; primary, or suggested, or not),
/// the agency and pathway option lists with each choice selected, and the
/// blank action rows offered below a review's actions.
///
/// Rendering these on every request was most of a form page's time: a
/// hundred-odd Mustache lookups and escapes of text that is the same on every
/// form. A page now looks each one up by its values. Only what the configured
/// policy lists is rendered ahead, never text a user typed or a patient's
/// data: a row not here (a code a posted form made up) is rendered for that
/// request from the same template and not kept.
struct ReviewFormFragments: Sendable {
    private let renderer: PageRenderer
    private let reasons: [ReviewFieldsView.Reason: String]
    private let themes: [ThemePickerView.Theme: String]
    private let options: [[Choice]: String]
    private let actions: [ReviewFieldsView.ActionRow: String]
    /// Rows of reviews' own actions, kept once rendered (nil: rendered every time).
    private let reviewActions: KeptRows?

    /// Blank action rows are rendered ahead up to this place; a form with
    /// more actions than that renders the rest for each request.
    static let blankActionRowsAhead = 32

    init(renderer: PageRenderer, policy: StrandedPolicy) {
        self.renderer = renderer
        let states = [(false, false), (true, false), (false, true), (true, true)]
        var reasons: [ReviewFieldsView.Reason: String] = [:]
        for (index, row) in ReviewFieldsView.reasonRows(taxonomy: policy.delayReasons).enumerated() {
            for (checked, primary) in states {
                let reason = ReviewFieldsView.Reason(
                    code: row.code,
                    label: row.label,
                    agency: row.agency,
                    checked: checked,
                    primary: primary,
                    index: index
                )
                reasons[reason] = Self.render(reason, renderer: renderer)
            }
        }
        var themes: [ThemePickerView.Theme: String] = [:]
        for (index, row) in ThemePickerView.themeRows(taxonomy: policy.preventionThemes).enumerated() {
            for (checked, suggested) in states {
                let theme = ThemePickerView.Theme(
                    index: index,
                    code: row.code,
                    label: row.label,
                    agency: row.agency,
                    checked: checked,
                    suggested: suggested
                )
                themes[theme] = Self.render(theme, renderer: renderer)
            }
        }
        // Each choice selected, and none (a value that is not a choice).
        let agencies = [""] + Agency.allCases.map(\.rawValue) + ["\u{0}"]
        let pathways = [""] + DischargePathway.allCases.map { "\($0.rawValue)" } + ["\u{0}"]
        var options: [[Choice]: String] = [:]
        for choices in agencies.map(ReviewFieldsView.agencyChoices) + pathways.map(ReviewFieldsView.pathwayChoices) {
            options[choices] = Self.render(choices, renderer: renderer)
        }
        var actions: [ReviewFieldsView.ActionRow: String] = [:]
        let noAgency = options[ReviewFieldsView.agencyChoices(selected: "")] ?? ""
        for index in 0..<Self.blankActionRowsAhead {
            let row = ReviewFieldsView.blankActionRow(index: index, agencyOptions: noAgency)
            actions[row] = Self.render(row, renderer: renderer)
        }
        self.reasons = reasons
        self.themes = themes
        self.options = options
        self.actions = actions
        reviewActions = KeptRows()
    }

    /// Fragments rendered whenever asked, nothing ahead: what the rendered
    /// ones must equal (for tests).
    static func renderedEachTime(renderer: PageRenderer) -> ReviewFormFragments {
        ReviewFormFragments(renderer: renderer)
    }

    private init(renderer: PageRenderer) {
        self.renderer = renderer
        reasons = [:]
        themes = [:]
        options = [:]
        actions = [:]
        reviewActions = nil
    }

    /// A delay reason's row of the reasons table (`review-reason`).
    func row(_ reason: ReviewFieldsView.Reason) -> String {
        reasons[reason] ?? Self.render(reason, renderer: renderer)
    }

    /// An action row of Q2 (`review-action`).
    func row(_ action: ReviewFieldsView.ActionRow) -> String {
        if let row = actions[action] { return row }
        // A review's own rows are the same every time its version is shown
        // (opened, saved, opened again, by everyone on the ward): rendered once
        // and kept by their values. A row showing a message answers one
        // refused post, so it is not kept.
        let (renderer, kept) = (renderer, reviewActions)
        guard let kept, !action.hasMessages else { return Self.render(action, renderer: renderer) }
        return kept.row(action) { Self.render(action, renderer: renderer) }
    }

    /// A prevention theme's item of the theme picker (`review-theme`).
    func item(_ theme: ThemePickerView.Theme) -> String {
        themes[theme] ?? Self.render(theme, renderer: renderer)
    }

    /// The `<option>`s of a select (`review-options`).
    func options(_ choices: [Choice]) -> String {
        options[choices] ?? Self.render(choices, renderer: renderer)
    }

    private static func render(_ reason: ReviewFieldsView.Reason, renderer: PageRenderer) -> String {
        renderer.fragment("review-reason", reason.mustacheFields)
    }

    private static func render(_ action: ReviewFieldsView.ActionRow, renderer: PageRenderer) -> String {
        renderer.fragment("review-action", action.mustacheFields)
    }

    private static func render(_ theme: ThemePickerView.Theme, renderer: PageRenderer) -> String {
        renderer.fragment("review-theme", theme.mustacheFields)
    }

    private static func render(_ choices: [Choice], renderer: PageRenderer) -> String {
        renderer.fragment("review-options", ["options": choices.map(\.mustacheFields)])
    }
}

/// Rendered action rows by their values, bounded: when full, everything is
/// dropped (a form's rows are rendered again on its next view, and little is lost).
private final class KeptRows: Sendable {
    private let rows = Mutex<[ReviewFieldsView.ActionRow: String]>([:])
    private let capacity = 4096

    func row(_ action: ReviewFieldsView.ActionRow, render: () -> String) -> String {
        if let row = rows.withLock({ $0[action] }) { return row }
        let row = render()
        rows.withLock { rows in
            if rows.count >= capacity { rows.removeAll(keepingCapacity: true) }
            rows[action] = row
        }
        return row
    }
}

extension ReviewFieldsView.ActionRow {
    var hasMessages: Bool {
        descriptionError != nil || ownerError != nil || agencyError != nil || dueError != nil
    }
}
