import Foundation
import Hummingbird
import NIOCore
import Reports
import StrandedCore
import Workflow

/// Prevention themes counted: `GET /themes` the table (by week, site, ward
/// or responsible agency), `GET /themes/export.csv` the download.
struct ThemeRoutes {
    let service: ThemeService
    let renderer: PageRenderer

    init(dependencies: AppDependencies) {
        service = ThemeService(database: dependencies.database, policy: dependencies.policy)
        renderer = dependencies.renderer
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/themes", use: page)
        router.get("/themes/export.csv", use: export)
    }

    /// `?from=&to=&by=week|site|ward|agency`; 400 naming the field for a bad one, what was typed kept.
    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = ThemeQuery(request.uri.queryParameters, policy: service.policy)
        switch query.parsed {
        case let .failure(problem):
            return try renderer.render(
                "themes",
                title: "Prevention themes",
                context: ThemesPageView(query: query, problem: problem.message),
                status: .badRequest
            )
        case let .success(range):
            let table = try await service.crossTab(from: range.from, to: range.to, by: range.dimension)
            return try renderer.render("themes", title: "Prevention themes", context: ThemesPageView(query: query, range: range, table: table))
        }
    }

    /// The counts of `?from=&to=` as CSV; 400 with the problem as text for a bad parameter.
    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = ThemeQuery(request.uri.queryParameters, policy: service.policy)
        switch query.parsed {
        case let .failure(problem):
            return Response(
                status: .badRequest,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: problem.message + "\n"))
            )
        case let .success(range):
            let csv = try await service.csv(from: range.from, to: range.to)
            let headers: HTTPFields = [
                .contentType: "text/csv; charset=utf-8",
                .cacheControl: "no-cache",
                .contentDisposition: "attachment; filename=\"stranded-prevention-themes-\(range.from.monday.iso)-\(range.to.monday.iso).csv\"",
            ]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv)))
        }
    }
}

/// The page's query as typed, and what it means.
struct ThemeQuery {
    struct Range {
        let from: ReviewWeek
        let to: ReviewWeek
        let dimension: ThemeDimension
    }
    struct Problem: Error {
        let message: String
    }

    let fromText: String
    let toText: String
    let byText: String
    let parsed: Result<Range, Problem>

    /// At most this many weeks in one table.
    static let maxWeeks = 104
    /// Shown when no range is given: the last eight weeks.
    static let defaultWeeks = 8

    init(_ parameters: some Collection<(key: Substring, value: Substring)>, policy: StrandedPolicy, now: Date = Date()) {
        func value(_ name: String) -> String {
            parameters.first { $0.key == name }.map { String($0.value) }?.trimmingCharacters(in: .whitespaces) ?? ""
        }
        fromText = value("from")
        toText = value("to")
        byText = value("by")
        parsed = Self.parse(from: fromText, to: toText, by: byText, thisWeek: ReviewWeek.containing(now, timeZone: policy.timetable.timeZone))
    }

    static func parse(from: String, to: String, by: String, thisWeek: ReviewWeek) -> Result<Range, Problem> {
        func week(_ text: String, field: String) -> Result<ReviewWeek?, Problem> {
            guard !text.isEmpty else { return .success(nil) }
            guard let date = CalendarDate(isoOrUK: text) else {
                return .failure(Problem(message: "\(field) \"\(text)\" is not a date; give it as yyyy-mm-dd or dd/mm/yyyy, for example 2026-11-16."))
            }
            return .success(ReviewWeek.containing(date))
        }
        let dimension: ThemeDimension
        if by.isEmpty {
            dimension = .week
        } else if let chosen = ThemeDimension(rawValue: by) {
            dimension = chosen
        } else {
            return .failure(Problem(message: "by \"\(by)\" is not a breakdown; choose week, site, ward or agency."))
        }
        let toWeek: ReviewWeek
        let fromWeek: ReviewWeek
        switch (week(to, field: "to"), week(from, field: "from")) {
        case let (.failure(problem), _), let (_, .failure(problem)): return .failure(problem)
        case let (.success(t), .success(f)):
            toWeek = t ?? thisWeek
            fromWeek = f ?? toWeek.adding(weeks: -(defaultWeeks - 1))
        }
        guard fromWeek <= toWeek else {
            return .failure(Problem(message: "from (\(fromWeek.monday.iso)) is after to (\(toWeek.monday.iso)); give the earlier week first."))
        }
        guard fromWeek.weeks(until: toWeek) < maxWeeks else {
            return .failure(Problem(message: "from and to are more than \(maxWeeks) weeks apart; choose a shorter range."))
        }
        return .success(Range(from: fromWeek, to: toWeek, dimension: dimension))
    }
}

struct ThemesPageView {
    struct Choice {
        let value: String
        let label: String
        let selected: Bool
    }
    struct Row {
        /// The theme page's address; nil for a code no longer configured (it has no page).
        let href: String?
        let label: String
        let agency: String
        let cells: [Int]
        let total: Int
    }

    let from: String
    let to: String
    let dimensions: [Choice]
    let problem: String?
    let heading: String
    let columnHeading: String
    let columns: [String]
    let rows: [Row]
    let totals: [Int]
    let total: Int
    let hasCases: Bool
    let exportHref: String

    init(query: ThemeQuery, problem: String) {
        from = query.fromText
        to = query.toText
        dimensions = ThemeDimension.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == query.byText) }
        self.problem = problem
        heading = ""
        columnHeading = ""
        columns = []
        rows = []
        totals = []
        total = 0
        hasCases = false
        exportHref = "/themes/export.csv"
    }

    init(query: ThemeQuery, range: ThemeQuery.Range, table: ThemeCrossTab) {
        from = range.from.monday.iso
        to = range.to.monday.iso
        dimensions = ThemeDimension.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == range.dimension) }
        problem = nil
        heading =
            "Cases coded with each prevention theme, weeks \(DisplayFormat.date(range.from.monday)) to \(DisplayFormat.date(range.to.monday)), by \(range.dimension.label.lowercased())"
        columnHeading = range.dimension.label
        columns = table.columns.map(\.label)
        rows = table.rows.map {
            Row(
                href: $0.agency == nil ? nil : "/themes/\($0.theme.rawValue)",
                label: $0.label,
                agency: $0.agency?.label ?? "",
                cells: $0.counts,
                total: $0.total
            )
        }
        totals = table.columnTotals
        total = table.total
        hasCases = table.total > 0
        exportHref = "/themes/export.csv?from=\(range.from.monday.iso)&to=\(range.to.monday.iso)"
    }
}
