import Foundation
import Store
import StrandedCore
import Workflow

// What the escalation templates see. Mustache reads stored
// properties only, so these are plain structs built once per request.

struct MeetingChoice {
    let value: String
    let label: String
    let selected: Bool
}

func agencyChoices(selected: String = "") -> [MeetingChoice] {
    Agency.allCases.map { MeetingChoice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
}

// MARK: - /level2

struct Level2WeeksPage {
    struct Row {
        let href: String
        let label: String
        let versions: Int
        let latestBuilt: String
        let cases: Int
    }
    let rows: [Row]
    let hasRows: Bool
    let currentHref: String
    let currentLabel: String

    init(versions: [AgendaVersionInfo], current: ReviewWeek) {
        var order: [CalendarDate] = []
        var byWeek: [CalendarDate: [AgendaVersionInfo]] = [:]
        for v in versions {
            if byWeek[v.week] == nil { order.append(v.week) }
            byWeek[v.week, default: []].append(v)
        }
        rows = order.map { week in
            let all = byWeek[week]!
            let latest = all.max { $0.version < $1.version }!
            return Row(
                href: "/level2/\(week.iso)",
                label: ReviewWeek(monday: week)?.label ?? week.iso,
                versions: all.count,
                latestBuilt: DisplayFormat.instant(latest.builtAt),
                cases: latest.cases
            )
        }
        hasRows = !rows.isEmpty
        currentHref = "/level2/\(current.monday.iso)"
        currentLabel = current.label
    }
}

// MARK: - /level2/{week}

struct AgendaPage {
    struct Group {
        let label: String
        let count: Int
        let cases: [CaseView]
    }
    struct Version {
        let href: String
        let label: String
        let current: Bool
    }
    struct Attendee {
        let name: String
        let role: String?
        let agency: String
        let present: Bool
    }
    let weekISO: String
    let weekLabel: String
    let hasAgenda: Bool
    let version: Int
    let isLatest: Bool
    let latestHref: String
    let builtAt: String
    let builtBy: String
    let meetingAt: String
    let newCases: Int
    let carriedOver: Int
    let total: Int
    let groups: [Group]
    let versions: [Version]
    let attendees: [Attendee]
    let hasAttendees: Bool
    let agencies: [MeetingChoice]
    let message: String?
    let notice: String?
    let buildHref: String
    // The attendance form as typed when it was refused.
    let attendeeName: String
    let attendeeRole: String
    let attendanceError: String?

    init(
        week: ReviewWeek,
        stored: StoredAgenda<Level2Agenda>?,
        latestVersion: Int?,
        versions: [AgendaVersionInfo],
        records: [Int64: Level2CaseRecordRow],
        decisionHistory: [Int64: [Level2CaseRecordRow]] = [:],
        actions: [Level2ActionRow],
        attendance: [AttendanceRow],
        policy: StrandedPolicy,
        message: String?,
        notice: String?,
        typed: MeetingTypedInput? = nil,
        confirmation: (caseID: Int64, text: String)? = nil
    ) {
        weekISO = week.monday.iso
        weekLabel = week.longLabel
        hasAgenda = stored != nil
        version = stored?.version ?? 0
        isLatest = stored.map { $0.version == latestVersion } ?? true
        latestHref = "/level2/\(week.monday.iso)"
        builtAt = stored.map { DisplayFormat.instant($0.builtAt) } ?? ""
        builtBy = stored?.builtBy ?? ""
        meetingAt = stored.map { DisplayFormat.instant($0.content.meetingAt) } ?? ""
        newCases = stored?.content.newCases ?? 0
        carriedOver = stored?.content.carriedOver ?? 0
        total = stored?.content.cases.count ?? 0
        let editable = stored.map { $0.version == latestVersion } ?? false
        groups = (stored?.content.groups ?? []).map { group in
            Group(
                label: group.label,
                count: group.cases.count,
                cases: group.cases.map { item in
                    CaseView(
                        item,
                        week: week,
                        record: records[item.caseID],
                        decisionsThisWeek: decisionHistory[item.caseID] ?? [],
                        actions: actions.filter { $0.caseID == item.caseID && $0.week == week.monday },
                        policy: policy,
                        editable: editable,
                        typed: typed,
                        confirmation: confirmation?.caseID == item.caseID ? confirmation?.text : nil
                    )
                }
            )
        }
        self.versions = versions.map {
            Version(
                href: "/level2/\(week.monday.iso)/versions/\($0.version)",
                label: "Version \($0.version), built \(DisplayFormat.instant($0.builtAt)) by \($0.builtBy) (\($0.cases) cases)",
                current: $0.version == stored?.version
            )
        }
        attendees = attendance.map { Attendee(name: $0.name, role: CaseView.nonEmpty($0.role), agency: $0.agency.label, present: $0.present) }
        hasAttendees = !attendees.isEmpty
        let attendance = typed?.fields(for: .attendance)
        agencies = agencyChoices(selected: attendance?["agency"] ?? "")
        attendeeName = attendance?["name"] ?? ""
        attendeeRole = attendance?["role"] ?? ""
        attendanceError = attendance == nil ? nil : typed?.message
        // A refused form's message stands beside that form, not at the top.
        self.message = typed == nil ? message : nil
        self.notice = notice
        buildHref = "/cycle?week=\(week.monday.iso)"
    }
}

struct CaseView {
    struct Rule {
        let rule: String
        let title: String
        let week: String
        let reason: String
    }
    struct History {
        let week: String
        let lengthOfStay: Int
        let formStatus: String
        let primaryReason: String
        let decision: String
        let ask: String?
        let actions: [String]
    }
    struct Action {
        let description: String
        let owner: String
        let agency: String
        let due: String
        let done: Bool
    }
    let anchor: String
    /// `C-000157`: the same reference the chief executive call and messages use.
    let reference: String
    let caseID: Int64
    let patient: String
    let nhsNumber: String
    let age: String
    let site: String
    let organisation: String
    let ward: String
    let lengthOfStay: Int
    let badges: [LoSBadge]
    let isNew: Bool
    let isLate: Bool
    let openedWeek: String
    let primaryReason: String
    let formStatus: String
    let reasons: [String]
    let q1Narrative: String
    let level1Actions: [Action]
    let expectedDischarge: String
    let pathway: String
    let q3Narrative: String
    let dayStatus: String
    let reviewers: String
    let wardOutcome: String
    /// The delay reasons as one sentence.
    let reasonsText: String
    /// Day status, reviewers and outcome, leaving out what was not recorded.
    let statusLine: String
    /// "2 red days this week, 5 in total, longest run 3 days"; nil when the
    /// board round has recorded none (or the agenda was frozen before it did).
    let redDaysLine: String?
    let rules: [Rule]
    let history: [History]
    let hasHistory: Bool
    let decision: String
    // Optionals, not "": Mustache treats an empty string as true.
    let recordAsk: String?
    let recordNotes: String?
    let recordedBy: String?
    /// Every decision this week's meeting recorded for the case, in order.
    let decisionsRecorded: [String]
    let hasDecisionsRecorded: Bool
    /// Where the case went after the decision just saved, beside the case.
    let confirmation: String?
    /// For a referral: the case on the call's list.
    let confirmationHref: String?
    let agreed: [Action]
    let hasAgreed: Bool
    let decisions: [MeetingChoice]
    let agencies: [MeetingChoice]
    let editable: Bool
    let postHref: String
    let actionHref: String
    // The forms' values: what was recorded, or what was typed when refused.
    let formAsk: String
    let formNotes: String
    let decisionError: String?
    let actionDescription: String
    let actionOwner: String
    let actionDue: String
    let actionError: String?

    init(
        _ c: Level2Agenda.Case,
        week: ReviewWeek,
        record: Level2CaseRecordRow?,
        decisionsThisWeek: [Level2CaseRecordRow] = [],
        actions: [Level2ActionRow],
        policy: StrandedPolicy,
        editable: Bool,
        typed: MeetingTypedInput? = nil,
        confirmation: String? = nil
    ) {
        let taxonomy = policy.delayReasons
        anchor = CaseReference(caseID: c.caseID).anchor
        reference = CaseReference(caseID: c.caseID).description
        caseID = c.caseID
        switch (c.familyName, c.givenName) {
        case let (family?, given?): patient = "\(family.uppercased()), \(given)"
        case let (family?, nil): patient = family.uppercased()
        default: patient = c.patientKey
        }
        nhsNumber = DisplayFormat.nhsNumber(c.nhsNumber)
        age = c.age.map(String.init) ?? "–"
        site = "\(c.siteName) (\(c.siteCode))"
        organisation = c.organisationName
        ward = WardName.display(name: c.wardName, code: c.wardCode)
        lengthOfStay = c.lengthOfStay
        badges = LoSBadge.badges(c.lengthOfStay, thresholds: policy.thresholds)
        isNew = c.isNew
        isLate = c.lateEscalation == true
        openedWeek = ReviewWeek(monday: c.openedWeek)?.label ?? c.openedWeek.iso
        primaryReason = c.primaryReason ?? "Not recorded"
        formStatus = FormStatus(rawValue: c.formStatus)?.label ?? c.formStatus
        let review = c.level1
        reasons = review.q1.reasons.map { entry in
            (taxonomy.reason(entry.code)?.label ?? entry.code.rawValue) + (entry.isPrimary ? " (primary)" : "")
        }
        q1Narrative = review.q1.narrative
        level1Actions = review.q2.actions.map {
            Action(
                description: $0.description,
                owner: $0.owner,
                agency: $0.agency?.label ?? "–",
                due: $0.dueDate.map(DisplayFormat.date) ?? "–",
                done: $0.isDone
            )
        }
        expectedDischarge = review.q2.expectedDischargeDate.map(DisplayFormat.date) ?? "None given"
        pathway = review.q2.dischargePathway.map { "\($0): \($0.label)" } ?? "–"
        q3Narrative = review.q3.narrative
        dayStatus = review.status?.label ?? "–"
        reviewers = [review.reviewers.health, review.reviewers.socialCare].filter { !$0.isEmpty }.joined(separator: " and ")
        switch review.outcome {
        case .managedAtWard?: wardOutcome = "Managed at ward level"
        case let .escalateToLevel2(ask)?: wardOutcome = "Ward asks Level 2: \(ask)"
        case nil: wardOutcome = "No outcome recorded"
        }
        // Only what was filled in, so a blank form does not read "–; ; ".
        reasonsText = reasons.isEmpty ? "No delay reason recorded." : reasons.joined(separator: "; ") + "."
        statusLine = [
            review.status?.label ?? "Day status not recorded",
            reviewers.isEmpty ? "no reviewers recorded" : "reviewed by \(reviewers)",
            wardOutcome,
        ].joined(separator: "; ")
        redDaysLine = c.redDays?.line
        rules = c.rules.map { Rule(rule: $0.rule, title: $0.title, week: ReviewWeek(monday: $0.week)?.label ?? $0.week.iso, reason: $0.reason) }
        history = c.history.map {
            History(
                week: ReviewWeek(monday: $0.week)?.label ?? $0.week.iso,
                lengthOfStay: $0.lengthOfStay,
                formStatus: FormStatus(rawValue: $0.formStatus)?.label ?? $0.formStatus,
                primaryReason: $0.primaryReason ?? "–",
                decision: $0.level2Decision ?? "Not at Level 2",
                ask: Self.nonEmpty($0.level2Ask),
                actions: $0.actionsAgreed
            )
        }
        hasHistory = !history.isEmpty
        decision = record?.decision?.label ?? "None recorded yet"
        recordAsk = Self.nonEmpty(record?.ask)
        recordNotes = Self.nonEmpty(record?.notes)
        recordedBy = record.map { "\($0.recordedBy), \(DisplayFormat.instant($0.recordedAt))" }
        decisionsRecorded = decisionsThisWeek.map { row in
            var text = row.decision?.label ?? "No decision (ask or notes only)"
            if let ask = Self.nonEmpty(row.ask) { text += "; ask: \(ask)" }
            if let notes = Self.nonEmpty(row.notes) { text += "; notes: \(notes)" }
            return text + " (\(row.recordedBy), \(DisplayFormat.instant(row.recordedAt)))"
        }
        hasDecisionsRecorded = decisionsRecorded.count > 1
        self.confirmation = confirmation
        confirmationHref =
            confirmation != nil && record?.decision == .referToChiefExecutive
            ? "/ce/\(week.monday.iso)#\(CaseReference(caseID: c.caseID).anchor)" : nil
        agreed = actions.map {
            Action(description: $0.description, owner: $0.owner, agency: $0.agency.label, due: DisplayFormat.date($0.dueDate), done: false)
        }
        hasAgreed = !agreed.isEmpty
        let decisionTyped = typed?.fields(for: .decision, caseID: c.caseID)
        // Each decision is a new record: the form starts on "Choose…" and
        // empty (the recorded decision is shown above it), so nothing is
        // decided by a default and no earlier note is carried into a new decision.
        let chosen = decisionTyped?["decision"] ?? ""
        decisions =
            [MeetingChoice(value: "", label: "Choose…", selected: Level2Decision(rawValue: chosen) == nil)]
            + Level2Decision.allCases.map { MeetingChoice(value: $0.rawValue, label: $0.label, selected: chosen == $0.rawValue) }
        formAsk = decisionTyped?["ask"] ?? ""
        formNotes = decisionTyped?["notes"] ?? ""
        decisionError = decisionTyped == nil ? nil : typed?.message
        let actionTyped = typed?.fields(for: .action, caseID: c.caseID)
        actionDescription = actionTyped?["description"] ?? ""
        actionOwner = actionTyped?["owner"] ?? ""
        actionDue = actionTyped?["due_date"] ?? ""
        actionError = actionTyped == nil ? nil : typed?.message
        agencies = agencyChoices(selected: actionTyped?["agency"] ?? "")
        self.editable = editable
        postHref = "/level2/\(week.monday.iso)/cases/\(c.caseID)"
        actionHref = "/level2/\(week.monday.iso)/cases/\(c.caseID)/actions"
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return text
    }
}

// MARK: - /ce/{week}

struct ChiefExecutivePage {
    struct Row {
        let anchor: String
        let reference: String
        let open: Bool
        let status: String
        let outcome: String?
        let site: String
        let ward: String
        let lengthOfStay: Int
        let badges: [LoSBadge]
        let ageBand: String
        let mainBarrier: String
        let agency: String
        let ask: String?
        let referredSinceSummary: Bool
        let actionsTried: [String]
        let rules: [CaseView.Rule]
        let decisions: [String]
        let choices: [MeetingChoice]
        let postHref: String
        let notes: String
        let error: String?
    }
    let weekLabel: String
    let weekISO: String
    let previousHref: String
    let nextHref: String
    let rows: [Row]
    let hasRows: Bool
    let hasReferredSinceSummary: Bool
    let message: String?
    let notice: String?

    init(
        week: ReviewWeek,
        cases: [ChiefExecutiveCase],
        thresholds: StrandedThresholds,
        message: String?,
        notice: String?,
        typed: MeetingTypedInput? = nil
    ) {
        weekLabel = week.longLabel
        weekISO = week.monday.iso
        previousHref = "/ce/\(week.previous.monday.iso)"
        nextHref = "/ce/\(week.next.monday.iso)"
        rows = cases.map { c in
            let entered = typed?.fields(for: .chiefExecutiveDecision, caseID: c.caseID)
            return Row(
                anchor: CaseReference(caseID: c.caseID).anchor,
                reference: c.reference,
                open: c.status == .open,
                status: c.status == .open ? "Open at the call" : (c.status == .resolved ? "Closed" : "Closed: discharged"),
                outcome: CaseView.nonEmpty(c.outcome),
                site: "\(c.siteName) (\(c.siteCode))",
                ward: WardName.display(name: nil, code: c.wardCode),
                lengthOfStay: c.lengthOfStay,
                badges: LoSBadge.badges(c.lengthOfStay, thresholds: thresholds),
                ageBand: c.ageBand ?? "–",
                mainBarrier: c.mainBarrier ?? "Not recorded",
                agency: c.agency ?? "–",
                ask: CaseView.nonEmpty(c.ask),
                referredSinceSummary: c.referredSinceSummary,
                actionsTried: c.actionsTried,
                rules: c.rules.map {
                    CaseView.Rule(rule: $0.rule, title: $0.title, week: ReviewWeek(monday: $0.week)?.label ?? $0.week.iso, reason: $0.reason)
                },
                decisions: c.decisions.map {
                    "\($0.decision.label) (\($0.recordedBy), \(DisplayFormat.instant($0.recordedAt)))\($0.notes.isEmpty ? "" : ": \($0.notes)")"
                },
                // No decision is preselected: the call chooses one.
                choices: [MeetingChoice(value: "", label: "Choose…", selected: ChiefExecutiveDecision(rawValue: entered?["decision"] ?? "") == nil)]
                    + ChiefExecutiveDecision.allCases.map {
                        MeetingChoice(value: $0.rawValue, label: $0.label, selected: entered?["decision"] == $0.rawValue)
                    },
                postHref: "/ce/\(week.monday.iso)/cases/\(c.caseID)",
                notes: entered?["notes"] ?? "",
                error: entered == nil ? nil : typed?.message
            )
        }
        hasRows = !rows.isEmpty
        hasReferredSinceSummary = cases.contains(where: \.referredSinceSummary)
        self.message = typed == nil ? message : nil
        self.notice = notice
    }
}

// MARK: - /cycle

struct CyclePage {
    struct Run {
        let week: String
        let job: String
        let label: String
        let status: String
        let failed: Bool
        let attempts: Int
        let result: String
        let error: String
        let nextAttempt: String
        let runner: String
        let trigger: String
        let finished: String
    }
    struct Upcoming {
        let job: String
        let at: String
    }
    let runs: [Run]
    let hasRuns: Bool
    let failures: Int
    let hasFailures: Bool
    let upcoming: [Upcoming]
    let jobs: [MeetingChoice]
    let weekISO: String
    let message: String?
    let notice: String?
    let source: String

    init(runs: [CycleJobRunRecord], configuration: CycleConfiguration, now: Date, week: ReviewWeek, message: String?, notice: String?) {
        self.runs = runs.map { r in
            Run(
                week: DisplayFormat.date(r.week),
                job: r.job.rawValue,
                label: r.job.label,
                status: r.status.rawValue,
                failed: r.status == .failed,
                attempts: r.attempts,
                result: r.result ?? "",
                error: r.lastError ?? "",
                nextAttempt: r.status == .failed ? (r.nextAttemptAt.map(DisplayFormat.instant) ?? "No more automatic retries: run it by hand") : "",
                runner: r.runner,
                trigger: r.trigger.rawValue,
                finished: r.finishedAt.map(DisplayFormat.instant) ?? ""
            )
        }
        hasRuns = !runs.isEmpty
        failures = runs.filter { $0.status == .failed }.count
        hasFailures = failures > 0
        let thisWeek = ReviewWeek.containing(now, timeZone: configuration.policy.timetable.timeZone)
        upcoming = [thisWeek, thisWeek.next].flatMap { w in
            CycleJob.allCases.map { (w, $0, configuration.policy.timetable.instant(of: $0.trigger, in: w)) }
        }.filter { $0.2 > now }.prefix(4).map { Upcoming(job: "\($0.1.label) (\($0.0.label))", at: DisplayFormat.instant($0.2)) }
        jobs = CycleJob.allCases.map { MeetingChoice(value: $0.rawValue, label: "\($0.rawValue): \($0.label)", selected: false) }
        weekISO = week.monday.iso
        self.message = message
        self.notice = notice
        source = configuration.source
    }
}

// MARK: - /config

struct ConfigPage {
    struct Rule {
        let id: String
        let title: String
        let level: String
        let enabled: Bool
        let description: String
        let parameters: String
    }
    struct Milestone {
        let label: String
        let time: String
    }
    let source: String
    let rules: [Rule]
    let milestones: [Milestone]
    let timeZone: String
    let thresholds: String
    let retry: String
    let earliestWeek: String
    let json: String

    init(configuration: CycleConfiguration) {
        source = configuration.source
        let policy = configuration.policy.escalation
        rules = EscalationRuleID.allCases.map { rule in
            Rule(
                id: rule.rawValue,
                title: rule.title,
                level: rule.level.label,
                enabled: policy.isEnabled(rule),
                description: rule.description(using: configuration.policy),
                parameters: rule.parameters(using: configuration.policy).map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
            )
        }
        let timetable = configuration.policy.timetable
        milestones = StrandedCore.Milestone.allCases.map { Milestone(label: $0.label, time: timetable.time(of: $0).description) }
        timeZone = timetable.timeZoneIdentifier
        let t = configuration.policy.thresholds
        thresholds =
            "Stranded at \(t.strandedDays) days or more; super stranded at \(t.superStrandedDays) days or more; reporting bands "
            + t.bands.map(\.label).joined(separator: ", ") + "."
        let s = configuration.scheduler
        retry =
            "first retry after \(s.retryBaseSeconds) s, doubling up to \(s.retryMaxSeconds) s, at most \(s.maxAttempts) attempts; checks at least every \(s.pollSeconds) s"
        earliestWeek = s.earliestWeek?.iso ?? "no limit"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        json = (try? encoder.encode(configuration)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
