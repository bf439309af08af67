import Foundation

/// Red / amber / green, plus `complete` (the "blue" of NHS BRAG reporting)
/// for work this plan no longer tracks.
public enum RAGRating: String, CaseIterable, Hashable, Sendable, Codable {
    case red
    case amber
    case green
    case complete
}

/// Which rule produced a rating; `daysLeft` / `daysOverdue` are counted from
/// "today" to the due date in whole calendar days.
public enum RAGReason: Hashable, Sendable, Codable {
    case complete
    case handedOver
    case outstandingAtClosure
    case noDueDate
    case noDueDateButRecentProgress
    case overdue(daysOverdue: Int)
    case dueSoonNotStarted(daysLeft: Int)
    case dueSoonWithoutRecentProgress(daysLeft: Int)
    case dueSoonWithRecentProgress(daysLeft: Int)
    case onTrack(daysLeft: Int)
}

/// A computed rating and the rule behind it. Never stored: compute it again
/// whenever the status, the dates, the notes or today change.
public struct RAGAssessment: Hashable, Sendable, Codable {
    public let rating: RAGRating
    public let reason: RAGReason

    public init(_ rating: RAGRating, _ reason: RAGReason) {
        self.rating = rating
        self.reason = reason
    }
}

/// The RAG rules: a pure function of status, due date, progress notes and
/// today. The first rule that applies wins.
///
/// 1. `complete` → **complete**.
/// 2. `handedOver` → **complete**: the work continues under its new owner and
///    governance stream, not under this plan.
/// 3. `outstandingAtClosure` → **red**: unfinished and nobody has taken it on.
/// 4. No due date (nil, or text naming no date such as "As per AEDB
///    implementation plan") → **green** if there is recent progress, else
///    **amber**.
/// 5. Due date before today → **red** (overdue). The due day itself is not
///    overdue.
/// 6. Due today or within `dueSoonDays` days → **amber** if the action has not
///    started or has no recent progress, else **green**.
/// 7. Otherwise (due later than `dueSoonDays` days ahead) → **green**.
///
/// "Recent progress" is a progress note dated within `recentProgressDays` days
/// up to and including today (a note dated exactly `recentProgressDays` days
/// ago counts). Undated notes (those transcribed from the source) and notes
/// dated after today never count, so rating a past day only sees what was
/// known then. The due date is `DueDate.date`: the latest date the text names,
/// a month-only date meaning the last day of that month.
public struct RAGPolicy: Hashable, Sendable {
    /// How near the due date an action must be to need recent progress.
    public var dueSoonDays: Int
    /// How old a progress note may be and still count as recent.
    public var recentProgressDays: Int

    public init(dueSoonDays: Int = 30, recentProgressDays: Int = 30) {
        self.dueSoonDays = dueSoonDays
        self.recentProgressDays = recentProgressDays
    }

    /// 30 days for both.
    public static let standard = RAGPolicy()

    public func assess(
        status: ActionStatus,
        due: DueDate?,
        progress: [ProgressNote],
        today: CalendarDate
    ) -> RAGAssessment {
        switch status {
        case .complete: return RAGAssessment(.complete, .complete)
        case .handedOver: return RAGAssessment(.complete, .handedOver)
        case .outstandingAtClosure: return RAGAssessment(.red, .outstandingAtClosure)
        case .notStarted, .inProgress: break
        }
        let recent = hasRecentProgress(progress, today: today)
        guard let dueDate = due?.date else {
            return recent ? RAGAssessment(.green, .noDueDateButRecentProgress) : RAGAssessment(.amber, .noDueDate)
        }
        let daysLeft = today.days(until: dueDate)
        if daysLeft < 0 {
            return RAGAssessment(.red, .overdue(daysOverdue: -daysLeft))
        }
        if daysLeft <= dueSoonDays {
            if status == .notStarted { return RAGAssessment(.amber, .dueSoonNotStarted(daysLeft: daysLeft)) }
            if !recent { return RAGAssessment(.amber, .dueSoonWithoutRecentProgress(daysLeft: daysLeft)) }
            return RAGAssessment(.green, .dueSoonWithRecentProgress(daysLeft: daysLeft))
        }
        return RAGAssessment(.green, .onTrack(daysLeft: daysLeft))
    }

    /// True if a note is dated between `recentProgressDays` days ago and today, inclusive.
    public func hasRecentProgress(_ progress: [ProgressNote], today: CalendarDate) -> Bool {
        progress.contains { note in
            guard let date = note.date else { return false }
            let age = date.days(until: today)
            return age >= 0 && age <= recentProgressDays
        }
    }
}

extension RAGPolicy: Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable { case dueSoonDays, recentProgressDays }

    /// Every key optional (defaults as ``standard``); unknown keys refused.
    public init(from decoder: any Decoder) throws {
        try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.stringValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            dueSoonDays: try c.decodeIfPresent(Int.self, forKey: .dueSoonDays) ?? RAGPolicy.standard.dueSoonDays,
            recentProgressDays: try c.decodeIfPresent(Int.self, forKey: .recentProgressDays) ?? RAGPolicy.standard.recentProgressDays
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dueSoonDays, forKey: .dueSoonDays)
        try c.encode(recentProgressDays, forKey: .recentProgressDays)
    }
}
