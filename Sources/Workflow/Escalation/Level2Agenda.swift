import Foundation
import Store
import StrandedCore

/// A Level 2 agenda as built and frozen: the cases escalated to
/// the week's meeting, grouped by the agency responsible for the main delay,
/// each with its Level 1 answers, its earlier weeks and the rules that
/// brought it. Stored as JSON, so what the meeting saw never changes.
public struct Level2Agenda: Sendable, Codable, Equatable {
    public var week: ReviewWeek
    public var builtAt: Date
    public var meetingAt: Date
    public var newCases: Int
    public var carriedOver: Int
    public var groups: [AgencyGroup]

    public struct AgencyGroup: Sendable, Codable, Equatable {
        /// `Agency` raw value, or "unknown" when no delay reason is recorded.
        public var agency: String
        public var label: String
        public var cases: [Case]
    }

    public struct Case: Sendable, Codable, Equatable {
        public var caseID: Int64
        public var escalationID: Int64
        public var organisationID: Int64
        public var organisationName: String
        public var siteCode: String
        public var siteName: String
        public var wardCode: String
        public var wardName: String?
        public var patientKey: String
        public var nhsNumber: String?
        public var familyName: String?
        public var givenName: String?
        public var age: Int?
        public var admissionDate: CalendarDate
        /// On the ward list that week.
        public var lengthOfStay: Int
        /// Escalated this week (else carried over from an earlier week).
        public var isNew: Bool
        public var openedWeek: CalendarDate
        public var primaryReason: String?
        /// The agency responsible for the primary delay reason (`Agency` raw
        /// value), or "unknown": what the agenda is grouped by.
        public var agency: String
        /// The week's Level 1 form as it stood when the agenda was built.
        public var formStatus: String
        public var level1: Level1Review
        /// Earlier weeks, latest first.
        public var history: [HistoryWeek]
        /// Every rule hit of the escalation, latest week first.
        public var rules: [RuleHit]
        /// The ward asked for Level 2 after the Level 1 deadline (nil in
        /// agendas frozen before late escalations were marked).
        public var lateEscalation: Bool?
        /// Red days this week, in the stay and the longest run, as at the
        /// week's end (nil in agendas frozen before board rounds were recorded).
        public var redDays: RedDayCounts?
    }

    public struct HistoryWeek: Sendable, Codable, Equatable {
        public var week: CalendarDate
        public var lengthOfStay: Int
        public var formStatus: String
        public var primaryReason: String?
        public var level2Decision: String?
        public var level2Ask: String?
        public var actionsAgreed: [String]
    }

    public struct RuleHit: Sendable, Codable, Equatable {
        public var rule: String
        public var title: String
        public var week: CalendarDate
        public var reason: String
    }

    /// All cases, in agenda order.
    public var cases: [Case] { groups.flatMap(\.cases) }

    /// Only the cases of one organisation (nil: all).
    public func filtered(organisationID: Int64?) -> Level2Agenda {
        guard let organisationID else { return self }
        var copy = self
        copy.groups = groups.compactMap { group in
            var g = group
            g.cases = group.cases.filter { $0.organisationID == organisationID }
            return g.cases.isEmpty ? nil : g
        }
        copy.newCases = copy.cases.filter(\.isNew).count
        copy.carriedOver = copy.cases.count - copy.newCases
        return copy
    }

    /// Only these cases (what a signed-in user may see).
    public func filtered(caseIDs: Set<Int64>) -> Level2Agenda {
        var copy = self
        copy.groups = groups.compactMap { group in
            var g = group
            g.cases = group.cases.filter { caseIDs.contains($0.caseID) }
            return g.cases.isEmpty ? nil : g
        }
        copy.newCases = copy.cases.filter(\.isNew).count
        copy.carriedOver = copy.cases.count - copy.newCases
        return copy
    }
}

/// Builds the week's agenda from the database and freezes it as a new version.
public struct Level2AgendaBuilder: Sendable {
    let escalations: EscalationStore
    let level2: Level2Store
    let redDays: RedDayStore
    /// The running rules: the meeting's time and the delay reasons' labels and agencies.
    public let policy: StrandedPolicy
    var now: @Sendable () -> Date

    public init(database: Database, policy: StrandedPolicy, now: @escaping @Sendable () -> Date = { Date() }) {
        escalations = EscalationStore(database: database)
        level2 = Level2Store(database: database)
        redDays = RedDayStore(database: database)
        self.policy = policy
        self.now = now
    }

    /// Builds the agenda as things stand and stores it as the week's next version.
    public func build(week: ReviewWeek, actor: String) async throws -> (version: Int, agenda: Level2Agenda) {
        let agenda = try await assemble(week: week)
        let version = try await level2.saveAgenda(week: week, content: agenda, caseIDs: agenda.cases.map(\.caseID), by: actor)
        return (version, agenda)
    }

    /// The agenda as it would be built now, not stored.
    public func assemble(week: ReviewWeek) async throws -> Level2Agenda {
        let caseIDs = try await escalations.openLevel2CaseIDs(week: week, forTheAgenda: true)
        let onAgenda = Set(caseIDs)
        let records = try await escalations.escalations(level: .level2, week: week)
            .filter { $0.status == .open && onAgenda.contains($0.caseID) }
        let facts = try await level2.caseFacts(caseIDs: caseIDs, upTo: week)
        let meetings = try await escalations.level2Meetings(caseIDs: caseIDs, upTo: week.previous)
        let actions = try await level2.actions(caseIDs: caseIDs, upTo: week.previous)
        let days = try await redDays.days(caseIDs: caseIDs)
        var cases: [Level2Agenda.Case] = []
        for escalation in records {
            guard let f = facts[escalation.caseID], let latest = f.weeks.last else { continue }
            let primary = latest.review.q1.primaryReason ?? f.weeks.reversed().lazy.compactMap(\.review.q1.primaryReason).first
            let byWeek = Dictionary(grouping: meetings[f.caseID] ?? [], by: { $0.week.monday })
            // The last six weeks before this one are enough for the meeting.
            let history = f.weeks.dropLast().suffix(Self.historyWeeks).reversed().map { w in
                let meeting = byWeek[w.week]?.last
                return Level2Agenda.HistoryWeek(
                    week: w.week,
                    lengthOfStay: w.lengthOfStay,
                    formStatus: w.status.rawValue,
                    primaryReason: w.review.q1.primaryReason.map(label),
                    level2Decision: meeting.map { $0.decision?.label ?? "No decision recorded" },
                    level2Ask: meeting?.ask,
                    actionsAgreed: actions.filter { $0.caseID == f.caseID && $0.week == w.week }
                        .map { "\($0.description) (\($0.owner), \($0.agency.label), due \($0.dueDate.iso))" }
                )
            }
            cases.append(
                Level2Agenda.Case(
                    caseID: f.caseID,
                    escalationID: escalation.id,
                    organisationID: f.organisationID,
                    organisationName: f.organisationName,
                    siteCode: f.siteCode,
                    siteName: f.siteName,
                    wardCode: latest.wardCode,
                    wardName: latest.wardName,
                    patientKey: f.patientKey,
                    nhsNumber: f.nhsNumber,
                    familyName: f.familyName,
                    givenName: f.givenName,
                    age: f.age,
                    admissionDate: f.admissionDate,
                    lengthOfStay: latest.lengthOfStay,
                    isNew: escalation.openedWeek == week.monday,
                    openedWeek: escalation.openedWeek,
                    primaryReason: primary.map(label),
                    agency: primary.flatMap { policy.delayReasons.reason($0)?.agency.rawValue } ?? "unknown",
                    formStatus: latest.status.rawValue,
                    level1: latest.review,
                    history: Array(history),
                    rules: escalation.hits.reversed().map {
                        Level2Agenda.RuleHit(
                            rule: $0.rule,
                            title: EscalationRuleID(rawValue: $0.rule)?.title ?? $0.rule,
                            week: $0.week,
                            reason: $0.reason
                        )
                    },
                    lateEscalation: escalation.hits.contains(where: \.late) ? true : nil,
                    redDays: RedDayCounts(days: days[f.caseID] ?? [], week: week)
                )
            )
        }
        let groups = Dictionary(grouping: cases, by: \.agency)
        let order = Agency.allCases.map(\.rawValue) + ["unknown"]
        let agenda = Level2Agenda(
            week: week,
            builtAt: now(),
            meetingAt: policy.timetable.instant(of: .level2Meeting, in: week),
            newCases: cases.filter(\.isNew).count,
            carriedOver: cases.filter { !$0.isNew }.count,
            groups: order.compactMap { key in
                guard let members = groups[key] else { return nil }
                return Level2Agenda.AgencyGroup(
                    agency: key,
                    label: Agency(rawValue: key)?.label ?? "Responsible agency not known",
                    cases: members.sorted { ($0.isNew ? 0 : 1, -$0.lengthOfStay, $0.caseID) < ($1.isNew ? 0 : 1, -$1.lengthOfStay, $1.caseID) }
                )
            }
        )
        return agenda
    }

    static let historyWeeks = 6

    private func label(_ code: DelayReasonCode) -> String {
        policy.delayReasons.reason(code)?.label ?? code.rawValue
    }
}
