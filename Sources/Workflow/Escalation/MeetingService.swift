import Foundation
import Reports
import Store
import StrandedCore

/// One case on the chief executive call's list for a week: referred by
/// Level 2 with an ask, or stuck at Level 2 without a decision (the
/// `CE-REFERRED` and `CE-STUCK` rules). Carries a case reference, not the
/// patient's name or NHS number: the call discusses the blockage, not the person.
public struct ChiefExecutiveCase: Sendable, Codable, Equatable {
    public var caseID: Int64
    /// `"C-000123"` (``CaseReference``).
    public var reference: String
    public var escalationID: Int64
    public var status: EscalationStatus
    public var outcome: String?
    public var organisationID: Int64
    public var organisationName: String
    public var siteCode: String
    public var siteName: String
    public var wardCode: String
    public var lengthOfStay: Int
    public var ageBand: String?
    public var mainBarrier: String?
    public var agency: String?
    /// The ask Level 2 made (its latest referral), if any.
    public var ask: String?
    /// Actions tried: Level 1's and Level 2's, most recent first.
    public var actionsTried: [String]
    public var rules: [Level2Agenda.RuleHit]
    /// Decisions recorded at this week's call.
    public var decisions: [ChiefExecutiveDecisionRow]
    /// Referred after the week's chief executive summary was frozen: on the
    /// call's live list, not in the summary until it is rebuilt.
    public var referredSinceSummary: Bool
}

/// Recording what the Level 2 meeting and the chief executive call decide,
/// and the call's list. Every change is one transaction and names who made
/// it (`actor`). Queries that list cases take an optional organisation, so
/// a signed-in user can be limited to their own organisation's sites.
public struct MeetingService: Sendable {
    let level2: Level2Store
    let escalations: EscalationStore
    /// The board rounds' days, for the synopsis's red-day counts.
    let redDays: RedDayStore
    let summaries: SummaryStore
    /// Runs the chief executive rules for a case the meeting refers, so the
    /// call's list shows it at once rather than after the summary job.
    let applier: EscalationApplier
    /// The running rules (the delay reasons' labels and agencies).
    public let policy: StrandedPolicy
    /// Agenda versions already decoded (they never change once frozen).
    let frozen = FrozenAgendaCache()

    public init(database: Database, policy: StrandedPolicy) {
        level2 = Level2Store(database: database)
        escalations = EscalationStore(database: database)
        redDays = RedDayStore(database: database)
        summaries = SummaryStore(database: database)
        applier = EscalationApplier(database: database, policy: policy)
        self.policy = policy
    }

    // MARK: Level 2

    /// The agenda versions of one week (or of every week), with the number
    /// of cases each holds that `scope` may see.
    public func agendaVersions(week: ReviewWeek? = nil, scope: RecordScope) async throws -> [AgendaVersionInfo] {
        try await level2.agendaVersions(week: week, scope: scope)
    }

    /// Every decision the week's meeting recorded, by case, oldest first.
    public func decisionHistory(week: ReviewWeek, caseIDs: [Int64]? = nil) async throws -> [Int64: [Level2CaseRecordRow]] {
        try await level2.decisionHistory(week: week, caseIDs: caseIDs)
    }

    /// What the week's meeting recorded, by case.
    public func records(week: ReviewWeek) async throws -> [Int64: Level2CaseRecordRow] {
        try await level2.records(week: week)
    }

    /// The actions agreed for these cases up to `week`, oldest first.
    public func actions(caseIDs: [Int64], upTo week: ReviewWeek) async throws -> [Level2ActionRow] {
        try await level2.actions(caseIDs: caseIDs, upTo: week)
    }

    /// Who attended the week's meeting.
    public func attendance(week: ReviewWeek) async throws -> [AttendanceRow] {
        try await level2.attendance(week: week)
    }

    /// The latest agenda version for the week (`version` nil) or a given one.
    ///
    /// - Parameter scope: what the reader may see (nil: everything):
    ///   cases outside it are left out, as `organisationID` leaves out other organisations'.
    public func agenda(
        week: ReviewWeek,
        version: Int? = nil,
        organisationID: Int64? = nil,
        scope: RecordScope? = nil
    ) async throws -> StoredAgenda<Level2Agenda>? {
        let latest = version == nil ? try await level2.latestAgendaVersion(week: week) : nil
        guard let number = version ?? latest else { return nil }
        let stored: StoredAgenda<Level2Agenda>
        if let cached = frozen.agenda(week: week, version: number) {
            stored = cached
        } else {
            guard let read = try await level2.agenda(week: week, version: number, as: Level2Agenda.self) else { return nil }
            frozen.store(read)
            stored = read
        }
        var content = stored.content.filtered(organisationID: organisationID)
        if let scope, !scope.all {
            content = content.filtered(caseIDs: try await level2.visibleCaseIDs(content.cases.map(\.caseID), scope: scope))
        }
        return StoredAgenda(week: stored.week, version: stored.version, builtAt: stored.builtAt, builtBy: stored.builtBy, content: content)
    }

    public func recordDecision(
        caseID: Int64,
        week: ReviewWeek,
        decision: Level2Decision?,
        ask: String?,
        notes: String?,
        actor: String,
        scope: RecordScope? = nil
    ) async throws -> Level2CaseRecordRow {
        try MeetingTextFields.check([(MeetingTextFields.ask, ask), (MeetingTextFields.notes, notes)])
        let recorded = try await level2.recordDecision(
            caseID: caseID,
            week: week,
            decision: decision,
            ask: Self.clean(ask),
            notes: Self.clean(notes),
            by: actor,
            scope: scope
        )
        if decision == .referToChiefExecutive {
            // The referral reaches the call now; the summary job's run later finds it already recorded.
            _ = try await applier.applyChiefExecutiveRules(week: week, actor: actor, onlyCases: [caseID])
        }
        return recorded
    }

    public func addAction(
        caseID: Int64,
        week: ReviewWeek,
        description: String,
        agency: Agency,
        owner: String,
        dueDate: CalendarDate,
        actor: String,
        scope: RecordScope? = nil
    ) async throws -> Level2ActionRow {
        try MeetingTextFields.check([(MeetingTextFields.actionDescription, description), (MeetingTextFields.actionOwner, owner)])
        try MeetingTextFields.checkDue(dueDate)
        return try await level2.addAction(
            caseID: caseID,
            week: week,
            description: description,
            agency: agency,
            owner: owner,
            dueDate: dueDate,
            by: actor,
            scope: scope
        )
    }

    public func recordAttendance(week: ReviewWeek, name: String, role: String, agency: Agency, present: Bool, actor: String) async throws {
        try MeetingTextFields.check([(MeetingTextFields.attendeeName, name), (MeetingTextFields.attendeeRole, role)])
        try await level2.recordAttendance(week: week, name: name, role: role, agency: agency, present: present, by: actor)
    }

    // MARK: The chief executive call

    public func chiefExecutiveList(week: ReviewWeek, organisationID: Int64? = nil, scope: RecordScope? = nil) async throws -> [ChiefExecutiveCase] {
        let caseIDs = try await level2.chiefExecutiveCaseIDs(week: week, organisationID: organisationID, scope: scope)
        guard !caseIDs.isEmpty else { return [] }
        let listed = Set(caseIDs)
        let records = try await escalations.escalations(level: .chiefExecutive, week: week).filter { listed.contains($0.caseID) }
        let facts = try await level2.caseFacts(caseIDs: caseIDs, upTo: week)
        let actions = try await level2.actions(caseIDs: caseIDs, upTo: week)
        let meetings = try await escalations.level2Meetings(caseIDs: caseIDs, upTo: week)
        let decisions = try await level2.chiefExecutiveDecisions(week: week)
        let summaryBuiltAt = try await summaries.summary(week: week)?.builtAt
        var seen = Set<Int64>()
        var result: [ChiefExecutiveCase] = []
        for escalation in records where seen.insert(escalation.caseID).inserted {
            guard let f = facts[escalation.caseID], let latest = f.weeks.last else { continue }
            let primary = latest.review.q1.primaryReason
            let reason = primary.flatMap(policy.delayReasons.reason)
            // The call sees case references only: free text typed at the ward
            // or at Level 2 loses the patient's names and any NHS number here.
            let scrub = IdentifierScrubber(familyName: f.familyName, givenName: f.givenName, otherIdentifiers: [f.nhsNumber, f.patientKey])
            let ask = scrub(meetings[f.caseID]?.reversed().first { $0.decision == .referToChiefExecutive }?.ask)
            let tried =
                (actions.filter { $0.caseID == f.caseID }.reversed().map { "Level 2: \($0.description) (\($0.agency.label), due \($0.dueDate.iso))" }
                + latest.review.q2.actions.map { "Ward: \($0.description)\($0.isDone ? " (done)" : "")" }).map { scrub($0) }
            result.append(
                ChiefExecutiveCase(
                    caseID: f.caseID,
                    reference: CaseReference(caseID: f.caseID).description,
                    escalationID: escalation.id,
                    status: escalation.status,
                    outcome: escalation.outcome,
                    organisationID: f.organisationID,
                    organisationName: f.organisationName,
                    siteCode: f.siteCode,
                    siteName: f.siteName,
                    wardCode: latest.wardCode,
                    lengthOfStay: latest.lengthOfStay,
                    ageBand: f.age.flatMap { AgeBand(age: $0)?.label },
                    mainBarrier: reason?.label ?? primary.map { scrub($0.rawValue) },
                    agency: reason?.agency.label,
                    ask: ask,
                    actionsTried: tried,
                    rules: escalation.hits.reversed().map {
                        Level2Agenda.RuleHit(
                            rule: $0.rule,
                            title: EscalationRuleID(rawValue: $0.rule)?.title ?? $0.rule,
                            week: $0.week,
                            reason: scrub($0.reason)
                        )
                    },
                    decisions: decisions.filter { $0.caseID == f.caseID },
                    referredSinceSummary: summaryBuiltAt.map { built in
                        (escalation.hits.filter { $0.week == week.monday }.map(\.firedAt).min() ?? escalation.openedAt) > built
                    } ?? false
                )
            )
        }
        return result.sorted { ($0.status == .open ? 0 : 1, -$0.lengthOfStay) < ($1.status == .open ? 0 : 1, -$1.lengthOfStay) }
    }

    public func recordChiefExecutiveDecision(
        caseID: Int64,
        week: ReviewWeek,
        decision: ChiefExecutiveDecision,
        notes: String,
        actor: String,
        scope: RecordScope? = nil
    ) async throws -> ChiefExecutiveDecisionRow {
        try MeetingTextFields.check([(MeetingTextFields.notes, notes)])
        return try await level2.recordChiefExecutiveDecision(
            caseID: caseID,
            week: week,
            decision: decision,
            notes: notes.trimmingCharacters(in: .whitespacesAndNewlines),
            by: actor,
            scope: scope
        )
    }

    // MARK: For the chief executive summary (EscalationSummaryService)

    /// The week's escalation activity and the call's open cases as the
    /// summary takes them (no names or NHS numbers; the synopsis scrubs the
    /// patient's identifiers out of free text too). Only cases still open at
    /// the call are included: the summary is built before the call.
    public func summaryInputs(week: ReviewWeek) async throws -> (activity: EscalationActivity, referredCases: [ReferredCaseSynopsis]) {
        let counts = try await escalations.activity(week: week)
        let activity = EscalationActivity(
            level2Opened: counts.level2Opened,
            level2Resolved: counts.level2Resolved,
            level2Open: counts.level2Open,
            chiefExecutiveOpened: counts.chiefExecutiveOpened,
            chiefExecutiveResolved: counts.chiefExecutiveResolved,
            chiefExecutiveOpen: counts.chiefExecutiveOpen
        )
        let list = try await chiefExecutiveList(week: week).filter { $0.status == .open }
        let facts = try await level2.caseFacts(caseIDs: list.map(\.caseID), upTo: week)
        let days = try await redDays.days(caseIDs: list.map(\.caseID))
        let referred = list.map { c in
            let f = facts[c.caseID]
            let identifiers = [f?.nhsNumber, f?.familyName, f?.givenName, f?.patientKey].compactMap { $0 }.filter { !$0.isEmpty }
            let reason = f?.weeks.last?.review.q1.primaryReason.flatMap(policy.delayReasons.reason)
            return ReferredCaseSynopsis(
                caseID: c.caseID,
                site: c.siteName,
                ward: c.wardCode,
                lengthOfStay: c.lengthOfStay,
                age: f?.age,
                mainBarrier: c.mainBarrier ?? "Not recorded",
                agency: reason?.agency,
                actionsTried: c.actionsTried,
                ask: c.ask ?? c.rules.first.map { "\($0.title): \($0.reason)" } ?? "",
                redDays: days[c.caseID].map { RedDayCounts(days: $0, week: week) },
                patientIdentifiers: identifiers
            )
        }
        return (activity, referred)
    }

    static func clean(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
