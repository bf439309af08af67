import Foundation
import Reports
import Store
import StrandedCore
import Workflow

// The Level 2 meeting at the size of a real meeting (about a hundred cases):
// an index the chair runs the meeting from, one page per case with its
// forms, and the whole agenda as one read-only document for print.

/// What the meeting loads for a week: the agenda version shown, every
/// version of the week, and what the meeting has recorded so far.
struct MeetingWeek {
    let week: ReviewWeek
    let stored: StoredAgenda<Level2Agenda>?
    let versions: [AgendaVersionInfo]
    let records: [Int64: Level2CaseRecordRow]

    var cases: [Level2Agenda.Case] { stored?.content.cases ?? [] }
    var isLatest: Bool { stored.map { $0.version == versions.first?.version } ?? true }
    func isDecided(_ caseID: Int64) -> Bool { records[caseID]?.decision != nil }

    /// The cases a filter keeps, in agenda order.
    func cases(matching filter: AgendaFilter) -> [Level2Agenda.Case] {
        cases.filter { filter.matches($0, decided: isDecided($0.caseID)) }
    }
}

/// Decided and still to go, over the whole agenda the user may see.
struct MeetingTally {
    let decided: Int
    let toGo: Int
    let total: Int
    let text: String

    init(_ meeting: MeetingWeek) {
        total = meeting.cases.count
        decided = meeting.cases.filter { meeting.isDecided($0.caseID) }.count
        toGo = total - decided
        text = "\(decided) of \(total) decided, \(toGo) to go"
    }
}

/// The lines above every meeting page: which version, when it was frozen, for which meeting.
struct AgendaHeader {
    struct Version {
        let href: String
        let label: String
        let current: Bool
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
    let versions: [Version]
    let buildHref: String
    let printHref: String
    let indexHref: String

    init(_ meeting: MeetingWeek) {
        let week = meeting.week
        let stored = meeting.stored
        weekISO = week.monday.iso
        weekLabel = week.longLabel
        hasAgenda = stored != nil
        version = stored?.version ?? 0
        isLatest = meeting.isLatest
        latestHref = "/level2/\(week.monday.iso)"
        builtAt = stored.map { DisplayFormat.instant($0.builtAt) } ?? ""
        builtBy = stored?.builtBy ?? ""
        meetingAt = stored.map { DisplayFormat.instant($0.content.meetingAt) } ?? ""
        newCases = stored?.content.newCases ?? 0
        carriedOver = stored?.content.carriedOver ?? 0
        total = stored?.content.cases.count ?? 0
        versions = meeting.versions.map {
            Version(
                href: "/level2/\(week.monday.iso)/versions/\($0.version)",
                label: "Version \($0.version), built \(DisplayFormat.instant($0.builtAt)) by \($0.builtBy) (\($0.cases) cases)",
                current: $0.version == stored?.version
            )
        }
        buildHref = "/cycle?week=\(week.monday.iso)"
        printHref = meeting.isLatest ? "/level2/\(week.monday.iso)/print" : "/level2/\(week.monday.iso)/versions/\(version)"
        indexHref = "/level2/\(week.monday.iso)"
    }
}

struct MeetingAttendance {
    struct Attendee {
        let name: String
        let role: String?
        let agency: String
        let present: Bool
    }
    let attendees: [Attendee]
    let hasAttendees: Bool

    init(_ rows: [AttendanceRow]) {
        attendees = rows.map { Attendee(name: $0.name, role: CaseView.nonEmpty($0.role), agency: $0.agency.label, present: $0.present) }
        hasAttendees = !attendees.isEmpty
    }
}

// MARK: - /level2/{week}: the index

struct AgendaIndexPage {
    struct Row {
        let anchor: String
        let reference: String
        let href: String
        let site: String
        let siteName: String
        let ward: String
        let lengthOfStay: Int
        let agency: String
        let why: String
        let whyTitle: String
        let isNew: Bool
        let isLate: Bool
        let decision: String?
    }
    let header: AgendaHeader
    let tally: MeetingTally
    let rows: [Row]
    let hasRows: Bool
    let showing: String
    let filterApplied: Bool
    let agencyOptions: [MeetingChoice]
    let organisationOptions: [MeetingChoice]
    let siteOptions: [MeetingChoice]
    let arrivalOptions: [MeetingChoice]
    let undecidedOnly: Bool
    let firstCaseHref: String?
    /// This week's top prevention themes (what wards say could have been done earlier).
    let topThemes: [ThemeLine]
    let hasTopThemes: Bool
    let attendance: MeetingAttendance
    let agencies: [MeetingChoice]
    let message: String?
    let notice: String?
    // The attendance form as typed when it was refused.
    let attendeeName: String
    let attendeeRole: String
    let attendanceError: String?

    init(
        _ meeting: MeetingWeek,
        filter: AgendaFilter,
        topThemes: [ThemeCount],
        attendance: [AttendanceRow],
        message: String?,
        notice: String?,
        typed: MeetingTypedInput? = nil
    ) {
        let week = meeting.week
        header = AgendaHeader(meeting)
        tally = MeetingTally(meeting)
        let shown = meeting.cases(matching: filter)
        let caseQuery = filter.query
        rows = shown.map { item in
            let reference = CaseReference(caseID: item.caseID)
            return Row(
                anchor: reference.anchor,
                reference: reference.description,
                href: AgendaFilter.caseLink(week: week, reference: reference, query: caseQuery),
                site: item.siteCode,
                siteName: item.siteName,
                ward: WardName.display(name: item.wardName, code: item.wardCode),
                lengthOfStay: item.lengthOfStay,
                agency: Agency(rawValue: item.agency)?.label ?? "Not known",
                why: item.rules.map(\.rule).uniqued().joined(separator: ", "),
                whyTitle: item.rules.map { "\($0.rule): \($0.title)" }.uniqued().joined(separator: "; "),
                isNew: item.isNew,
                isLate: item.lateEscalation == true,
                decision: meeting.records[item.caseID]?.decision?.label
            )
        }
        hasRows = !rows.isEmpty
        filterApplied = !filter.isEmpty
        showing = filter.isEmpty ? "All \(meeting.cases.count) cases" : "Showing \(shown.count) of \(meeting.cases.count) cases"
        firstCaseHref = rows.first?.href

        // Each filter offers only what is on this agenda, with its count.
        let all = meeting.cases
        agencyOptions = Self.options(all, key: \.agency, label: { Agency(rawValue: $0.agency)?.label ?? "Not known" }, chosen: filter.agency)
        organisationOptions = Self.options(
            all,
            key: { String($0.organisationID) },
            label: { $0.organisationName },
            chosen: filter.organisationID.map(String.init)
        )
        siteOptions = Self.options(all, key: \.siteCode, label: { "\($0.siteName) (\($0.siteCode))" }, chosen: filter.siteCode)
        arrivalOptions = [
            MeetingChoice(value: "", label: "New and carried over", selected: filter.arrival == nil),
            MeetingChoice(value: "new", label: "New this week (\(all.filter(\.isNew).count))", selected: filter.arrival == .new),
            MeetingChoice(value: "carried", label: "Carried over (\(all.filter { !$0.isNew }.count))", selected: filter.arrival == .carried),
        ]
        undecidedOnly = filter.undecidedOnly
        self.topThemes = topThemes.map { ThemeLine(label: $0.label, cases: $0.cases, href: "/themes/\($0.theme.rawValue)") }
        hasTopThemes = !self.topThemes.isEmpty

        self.attendance = MeetingAttendance(attendance)
        let attendanceTyped = typed?.fields(for: .attendance)
        agencies = agencyChoices(selected: attendanceTyped?["agency"] ?? "")
        attendeeName = attendanceTyped?["name"] ?? ""
        attendeeRole = attendanceTyped?["role"] ?? ""
        attendanceError = attendanceTyped == nil ? nil : typed?.message
        self.message = typed == nil ? message : nil
        self.notice = notice
    }

    /// "All" and then each value present on the agenda, in first-seen order, with its count.
    static func options(
        _ cases: [Level2Agenda.Case],
        key: (Level2Agenda.Case) -> String,
        label: (Level2Agenda.Case) -> String,
        chosen: String?
    ) -> [MeetingChoice] {
        var order: [String] = []
        var labels: [String: String] = [:]
        var counts: [String: Int] = [:]
        for item in cases {
            let value = key(item)
            if counts[value] == nil {
                order.append(value)
                labels[value] = label(item)
            }
            counts[value, default: 0] += 1
        }
        return [MeetingChoice(value: "", label: "All", selected: chosen == nil)]
            + order.map { MeetingChoice(value: $0, label: "\(labels[$0]!) (\(counts[$0]!))", selected: $0 == chosen) }
    }
}

struct ThemeLine {
    let label: String
    let cases: Int
    let href: String
}

// MARK: - /level2/{week}/cases/{reference}: one case, its forms, the way on

struct AgendaCasePage {
    let header: AgendaHeader
    let tally: MeetingTally
    let item: CaseView
    let position: String
    let indexHref: String
    let previousHref: String?
    let previousReference: String?
    let nextHref: String?
    let nextReference: String?
    let nextUndecidedHref: String?
    let nextUndecidedReference: String?
    let filterApplied: Bool
    let message: String?
    let notice: String?
    let noticeHref: String?

    init(
        _ meeting: MeetingWeek,
        item: Level2Agenda.Case,
        filter: AgendaFilter,
        decisionsThisWeek: [Level2CaseRecordRow],
        actions: [Level2ActionRow],
        policy: StrandedPolicy,
        message: String?,
        notice: String?,
        noticeHref: String? = nil,
        typed: MeetingTypedInput?,
        confirmation: String?
    ) {
        let week = meeting.week
        header = AgendaHeader(meeting)
        tally = MeetingTally(meeting)
        let reference = CaseReference(caseID: item.caseID)
        self.item = CaseView(
            item,
            week: week,
            record: meeting.records[item.caseID],
            decisionsThisWeek: decisionsThisWeek,
            actions: actions.filter { $0.caseID == item.caseID && $0.week == week.monday },
            policy: policy,
            editable: meeting.isLatest,
            typed: typed,
            confirmation: confirmation,
            filter: filter
        )
        let link = { (c: Level2Agenda.Case) in
            AgendaFilter.caseLink(week: week, reference: CaseReference(caseID: c.caseID), query: filter.query)
        }
        // The way on stays within the filter; the case itself stays reachable
        // even when a save has just taken it out (e.g. "undecided" only).
        let shown = meeting.cases(matching: filter)
        let around =
            shown.contains { $0.caseID == item.caseID }
            ? shown
            : meeting.cases.filter { c in
                c.caseID == item.caseID || shown.contains { $0.caseID == c.caseID }
            }
        let index = around.firstIndex { $0.caseID == item.caseID } ?? 0
        let previous = index > 0 ? around[index - 1] : nil
        let next = index + 1 < around.count ? around[index + 1] : nil
        previousHref = previous.map(link)
        previousReference = previous.map { CaseReference(caseID: $0.caseID).description }
        nextHref = next.map(link)
        nextReference = next.map { CaseReference(caseID: $0.caseID).description }
        let undecided = Self.nextUndecided(after: item.caseID, in: meeting, filter: filter)
        nextUndecidedHref = undecided.flatMap { $0.caseID == next?.caseID ? nil : link($0) }
        nextUndecidedReference = undecided.map { CaseReference(caseID: $0.caseID).description }
        position = "Case \(index + 1) of \(around.count)\(filter.isEmpty ? "" : " (filtered)")"
        indexHref = filter.link("/level2/\(week.monday.iso)") + "#\(reference.anchor)"
        filterApplied = !filter.isEmpty
        self.message = typed == nil ? message : nil
        self.notice = notice
        self.noticeHref = noticeHref
    }

    /// The first undecided case after this one within the filter, wrapping to the start.
    static func nextUndecided(after caseID: Int64, in meeting: MeetingWeek, filter: AgendaFilter) -> Level2Agenda.Case? {
        let shown = meeting.cases.filter { filter.matches($0, decided: false) }
        guard let index = shown.firstIndex(where: { $0.caseID == caseID }) else {
            return shown.first { !meeting.isDecided($0.caseID) }
        }
        let after = shown[(index + 1)...] + shown[..<index]
        return after.first { !meeting.isDecided($0.caseID) }
    }
}

// MARK: - /level2/{week}/print and /versions/{n}: the whole agenda, read-only

struct AgendaDocumentPage {
    struct Group {
        let label: String
        let count: Int
        let cases: [CaseView]
    }
    let header: AgendaHeader
    let tally: MeetingTally
    let groups: [Group]
    let attendance: MeetingAttendance

    init(
        _ meeting: MeetingWeek,
        decisionHistory: [Int64: [Level2CaseRecordRow]],
        actions: [Level2ActionRow],
        attendance: [AttendanceRow],
        policy: StrandedPolicy
    ) {
        let week = meeting.week
        header = AgendaHeader(meeting)
        tally = MeetingTally(meeting)
        let actionsByCase = Dictionary(grouping: actions.filter { $0.week == week.monday }, by: \.caseID)
        groups = (meeting.stored?.content.groups ?? []).map { group in
            Group(
                label: group.label,
                count: group.cases.count,
                cases: group.cases.map { item in
                    CaseView(
                        item,
                        week: week,
                        record: meeting.records[item.caseID],
                        decisionsThisWeek: decisionHistory[item.caseID] ?? [],
                        actions: actionsByCase[item.caseID] ?? [],
                        policy: policy,
                        editable: false
                    )
                }
            )
        }
        self.attendance = MeetingAttendance(attendance)
    }
}

extension AgendaFilter {
    /// A case's page on the latest agenda, keeping the chair's filter.
    static func caseLink(week: ReviewWeek, reference: CaseReference, query: String) -> String {
        let base = "/level2/\(week.monday.iso)/cases/\(reference)"
        return query.isEmpty ? base : "\(base)?\(query)"
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
