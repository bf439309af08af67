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
    let lateList: String
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
        lateList =
            "A form opened after its week's Level 1 deadline (its list came in late) is due \(timetable.lateListGraceHours) hours after it was opened."
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
