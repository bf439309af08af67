import Foundation
import Reports
import Store
import StrandedCore
import Workflow

/// The start page: for each role the user holds, the job waiting for them
/// now, with a link to do it. An administrator sees every part, which is
/// the service's overview at a glance.
struct HomePage {
    var wardsDue: WardsDue?
    var level2: Level2Meeting?
    var summary: LatestSummary?
    var lastImport: LastImport?
    var planDue: PlanDue?
    let isAdministrator: Bool
    var hasAnything: Bool { wardsDue != nil || level2 != nil || summary != nil || lastImport != nil || planDue != nil }
    // Mustache reads stored properties only.
    var showsNothing = false

    /// A ward user's wards whose forms are still open this week.
    struct WardsDue {
        let weekLabel: String
        let deadline: String
        let overdue: Bool
        let wards: [Ward]
        let hasWards: Bool
        let hasOpen: Bool
        let allDone: Bool

        struct Ward {
            let name: String
            let href: String
            let open: Int
            let forms: Int
        }
    }

    /// This week's Level 2 agenda.
    struct Level2Meeting {
        let weekLabel: String
        let href: String
        let built: Bool
        let cases: Int
        let undecided: Int
    }

    /// The latest chief executive summary.
    struct LatestSummary {
        let weekLabel: String
        let href: String
        let version: Int
        let builtAt: String
    }

    /// The last ward list received, and what became of it.
    struct LastImport {
        let href: String
        let fileName: String
        let received: String
        let verdict: String
        let outcome: String
    }

    /// The action plan's overdue and due-soon items.
    struct PlanDue {
        let overdue: Int
        let dueSoon: Int
        let dueSoonDays: Int
    }
}

/// Gathers each part of ``HomePage`` that the signed-in user's roles call for.
struct HomePageBuilder: Sendable {
    let reviews: ReviewService
    let meetings: MeetingService
    let summaries: EscalationSummaryService
    let imports: ImportHistory
    let plan: PlanService
    let policy: StrandedPolicy

    init(dependencies: AppDependencies) {
        reviews = ReviewService(database: dependencies.database, policy: dependencies.policy)
        meetings = MeetingService(database: dependencies.database, policy: dependencies.policy)
        summaries = EscalationSummaryService(
            database: dependencies.database,
            policy: dependencies.policy,
            delivery: dependencies.summaryDelivery
        )
        imports = ImportHistory(database: dependencies.database)
        plan = PlanService(database: dependencies.database, policy: dependencies.policy.planRAG)
        policy = dependencies.policy
    }

    func page(for identity: Identity?, now: Date = Date()) async throws -> HomePage {
        let admin = identity?.has(.administrator) ?? false
        func holds(_ role: Role) -> Bool { admin || (identity?.has(role) ?? false) }
        let scope = identity?.scope ?? .none
        var page = HomePage(isAdministrator: admin)
        if holds(.ward) { page.wardsDue = try await wardsDue(scope: scope, now: now) }
        if holds(.level2) { page.level2 = try await level2Agenda(scope: scope, now: now) }
        if holds(.executive) || holds(.level2) { page.summary = try await latestSummary() }
        if holds(.data) { page.lastImport = try await lastImport() }
        if holds(.planEditor) { page.planDue = try await planDue() }
        page.showsNothing = !page.hasAnything
        return page
    }

    private func wardsDue(scope: RecordScope, now: Date) async throws -> HomePage.WardsDue {
        let week = try await reviews.defaultWeek(now: now)
        let deadline = reviews.deadline(of: week)
        let wards = try await reviews.wards(week: week, scope: scope)
        let open = wards.compactMap { ward -> HomePage.WardsDue.Ward? in
            let remaining = ward.forms - ward.done - ward.discharged
            guard remaining > 0 else { return nil }
            return .init(
                name: WardName.display(name: ward.wardName, code: ward.wardCode),
                href: "/wards/\(ward.wardID)?week=\(week.monday.iso)",
                open: remaining,
                forms: ward.forms
            )
        }
        return .init(
            weekLabel: week.label,
            deadline: DisplayFormat.instant(deadline),
            overdue: now > deadline && !open.isEmpty,
            wards: open,
            hasWards: !wards.isEmpty,
            hasOpen: !open.isEmpty,
            allDone: !wards.isEmpty && open.isEmpty
        )
    }

    private func level2Agenda(scope: RecordScope, now: Date) async throws -> HomePage.Level2Meeting {
        let week = ReviewWeek.containing(now, timeZone: policy.timetable.timeZone)
        let href = "/level2/\(week.monday.iso)"
        guard let agenda = try await meetings.agenda(week: week, scope: scope) else {
            return .init(weekLabel: week.label, href: href, built: false, cases: 0, undecided: 0)
        }
        let records = try await meetings.records(week: week)
        let cases = agenda.content.cases.map(\.caseID)
        let undecided = cases.filter { records[$0]?.decision == nil }.count
        return .init(weekLabel: week.label, href: href, built: true, cases: cases.count, undecided: undecided)
    }

    private func latestSummary() async throws -> HomePage.LatestSummary? {
        guard let latest = try await summaries.versions(weeks: 4).max(by: { ($0.week, $0.version) < ($1.week, $1.version) }) else { return nil }
        return .init(
            weekLabel: latest.week.label,
            href: "/summary/\(latest.week.monday.iso)",
            version: latest.version,
            builtAt: DisplayFormat.instant(latest.builtAt)
        )
    }

    private func lastImport() async throws -> HomePage.LastImport? {
        guard let last = try await imports.recentImports(limit: 1).first else { return nil }
        return .init(
            href: "/imports/\(last.id)",
            fileName: last.fileName ?? "ward list",
            received: DisplayFormat.instant(last.receivedAt),
            verdict: last.verdict.rawValue,
            outcome: ImportCounts.outcome(
                verdict: last.verdict.rawValue,
                dataRows: last.dataRows,
                importedRows: last.importedRows,
                invalidRows: last.invalidRows
            )
        )
    }

    private func planDue() async throws -> HomePage.PlanDue? {
        // No plan loaded yet is not an error on the start page.
        guard let (_, document) = try? await plan.current() else { return nil }
        let today = plan.today()
        return .init(
            overdue: PlanItems.overdue(in: document, on: today, policy: plan.policy).count,
            dueSoon: PlanItems.dueSoon(in: document, on: today, policy: plan.policy).count,
            dueSoonDays: plan.policy.dueSoonDays
        )
    }
}
