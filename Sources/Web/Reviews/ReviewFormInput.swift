import Foundation
import StrandedCore

/// The Level 1 form as the HTML form holds it: every field as the text the
/// person typed, so a page shown again (a missing field, a conflict) gives
/// back exactly what was typed, even a date that could not be read.
struct ReviewFormInput: Sendable, Equatable {
    struct Action: Sendable, Equatable {
        var id = ""
        var description = ""
        var owner = ""
        var agency = ""
        var due = ""
        var done = false

        var isBlank: Bool {
            [description, owner, agency, due].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } && !done
        }
    }

    var reasons: [String] = []
    var primary = ""
    var q1Narrative = ""
    var actions: [Action] = []
    var expectedDischargeDate = ""
    var pathway = ""
    var q3Narrative = ""
    var themes: [String] = []
    var learningTheme = ""
    var status = ""
    var healthReviewer = ""
    var socialCareReviewer = ""
    var outcome = ""
    var ask = ""

    /// The fields of a stored review.
    init(review: Level1Review) {
        reasons = review.q1.reasons.map(\.code.rawValue)
        primary = review.q1.reasons.first(where: \.isPrimary)?.code.rawValue ?? ""
        q1Narrative = review.q1.narrative
        actions = review.q2.actions.map {
            Action(
                id: $0.id.uuidString,
                description: $0.description,
                owner: $0.owner,
                agency: $0.agency?.rawValue ?? "",
                due: $0.dueDate?.iso ?? "",
                done: $0.isDone
            )
        }
        expectedDischargeDate = review.q2.expectedDischargeDate?.iso ?? ""
        pathway = review.q2.pathway.map(String.init) ?? ""
        q3Narrative = review.q3.narrative
        themes = review.q3.themes.map(\.rawValue)
        learningTheme = review.q3.learningTheme ?? ""
        status = review.status?.rawValue ?? ""
        healthReviewer = review.reviewers.health
        socialCareReviewer = review.reviewers.socialCare
        switch review.outcome {
        case nil: break
        case .managedAtWard?: outcome = "managed-at-ward"
        case let .escalateToLevel2(text)?:
            outcome = "escalate-to-level2"
            ask = text
        }
    }

    /// The fields of a posted form (`application/x-www-form-urlencoded`).
    /// Action rows are `a0_description`, `a0_owner`, … up to `action_rows`;
    /// rows left blank are dropped, so row numbers match the review's actions.
    init(posted fields: PostedFields) {
        reasons = fields.all("reason")
        primary = fields["primary"]
        q1Narrative = fields["q1_narrative"]
        // Clamped both ways: the count comes from the client, and a negative
        // one would make an empty range trap and stop the whole service.
        let rows = min(max(Int(fields["action_rows"]) ?? 0, 0), 50)
        for index in 0..<rows {
            let action = Action(
                id: fields["a\(index)_id"],
                description: fields["a\(index)_description"],
                owner: fields["a\(index)_owner"],
                agency: fields["a\(index)_agency"],
                due: fields["a\(index)_due"],
                done: !fields["a\(index)_done"].isEmpty
            )
            if !action.isBlank { actions.append(action) }
        }
        expectedDischargeDate = fields["edd"]
        pathway = fields["pathway"]
        q3Narrative = fields["q3_narrative"]
        themes = fields.all("theme")
        learningTheme = fields["learning_theme"]
        status = fields["day_status"]
        healthReviewer = fields["reviewer_health"]
        socialCareReviewer = fields["reviewer_social"]
        outcome = fields["outcome"]
        ask = fields["ask"]
    }

    /// The review these fields describe, and what could not be read (dates
    /// that are not dates, choices that are not on the list). A form with
    /// unreadable fields is shown again rather than saved with them lost.
    func review() -> (Level1Review, [FormProblem]) {
        var unreadable: [FormProblem] = []
        func date(_ text: String, field: String, name: String) -> CalendarDate? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard CalendarDate(isoOrUK: trimmed) != nil else {
                unreadable.append(
                    FormProblem(
                        field: field,
                        message: "\(name) \"\(trimmed)\" is not a date; enter it as dd/mm/yyyy, for example 27/11/2026.",
                        kind: .invalid
                    )
                )
                return nil
            }
            do {
                return try CalendarDate.input(trimmed, field: name)
            } catch {
                unreadable.append(FormProblem(field: field, message: error.message, kind: .invalid))
                return nil
            }
        }
        var review = Level1Review()
        review.q1.reasons = reasons.filter { !$0.isEmpty }.map {
            DelayReasonEntry(code: DelayReasonCode($0), isPrimary: $0 == primary)
        }
        if !primary.isEmpty, !reasons.contains(primary) {
            unreadable.append(
                FormProblem(
                    field: "q1.primary",
                    message: "The primary reason must be one of the reasons ticked; tick it too, or choose another.",
                    kind: .invalid
                )
            )
        }
        review.q1.narrative = q1Narrative
        review.q2.actions = actions.enumerated().map { index, action in
            var agency: Agency?
            if !action.agency.isEmpty {
                agency = Agency(rawValue: action.agency)
                if agency == nil {
                    unreadable.append(
                        FormProblem(
                            field: "q2.actions[\(index)].agency",
                            message: "Action \(index + 1): choose the organisation from the list.",
                            kind: .invalid
                        )
                    )
                }
            }
            return ReviewAction(
                id: UUID(uuidString: action.id) ?? UUID(),
                description: action.description,
                owner: action.owner,
                agency: agency,
                dueDate: date(action.due, field: "q2.actions[\(index)].dueDate", name: "Action \(index + 1): due date"),
                isDone: action.done
            )
        }
        review.q2.expectedDischargeDate = date(expectedDischargeDate, field: "q2.expectedDischargeDate", name: "The expected discharge date")
        if !pathway.isEmpty {
            if let number = Int(pathway) {
                review.q2.pathway = number
            } else {
                unreadable.append(FormProblem(field: "q2.pathway", message: "Choose the discharge pathway (0–3) from the list.", kind: .invalid))
            }
        }
        review.q3.narrative = q3Narrative
        review.q3.themes = themes.filter { !$0.isEmpty }.map { PreventionThemeCode($0) }
        let theme = learningTheme.trimmingCharacters(in: .whitespacesAndNewlines)
        review.q3.learningTheme = theme.isEmpty ? nil : theme
        if !status.isEmpty {
            review.status = DayStatus(rawValue: status)
            if review.status == nil { unreadable.append(FormProblem(field: "status", message: "Choose red day or green day.", kind: .invalid)) }
        }
        review.reviewers = .init(health: healthReviewer, socialCare: socialCareReviewer)
        switch outcome {
        case "": review.outcome = nil
        case "managed-at-ward": review.outcome = .managedAtWard
        case "escalate-to-level2": review.outcome = .escalateToLevel2(ask: ask)
        default: unreadable.append(FormProblem(field: "outcome", message: "Choose one of the two outcomes.", kind: .invalid))
        }
        // Text that cannot be stored stops even a draft: the form comes back as typed.
        unreadable += review.unacceptableInput()
        return (review, unreadable)
    }
}

/// Fields of an `application/x-www-form-urlencoded` body; a name may repeat
/// (checkboxes).
struct PostedFields: Sendable {
    private var values: [String: [String]] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    /// The first value of `name`, or "" when absent.
    subscript(name: String) -> String { values[name]?.first ?? "" }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// `+` as a space, then `%XX` escapes decoded; when the escapes are
    /// malformed or do not make UTF-8, the text with only its `+` replaced
    /// (as Foundation's `removingPercentEncoding` decides, byte by byte here:
    /// every save and its CSRF check read the whole form this way).
    static func decode(_ text: Substring) -> String {
        let plus = UInt8(ascii: "+")
        let percent = UInt8(ascii: "%")
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == plus || $0 == percent }) else { return String(text) }
        var spaced = Array(utf8)
        for index in spaced.indices where spaced[index] == plus { spaced[index] = UInt8(ascii: " ") }
        let undecoded = String(decoding: spaced, as: UTF8.self)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(spaced.count)
        var index = 0
        while index < spaced.count {
            let byte = spaced[index]
            guard byte == percent else {
                bytes.append(byte)
                index += 1
                continue
            }
            guard index + 2 < spaced.count, let high = hexValue(spaced[index + 1]), let low = hexValue(spaced[index + 2]) else {
                return undecoded
            }
            bytes.append(high << 4 | low)
            index += 3
        }
        return String(validating: bytes, as: UTF8.self) ?? undecoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
