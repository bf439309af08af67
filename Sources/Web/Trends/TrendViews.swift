import Foundation
import Reports
import Store
import StrandedCore
import Workflow

/// What `trends.mustache` sees (stored properties only: Mustache does not
/// see computed ones).
struct TrendDashboardView {
    struct Option {
        let code: String
        let name: String
        let selected: Bool
    }

    struct Row { let cells: [String] }

    struct Chart {
        let title: String
        /// Built by ``SVGChart`` from numbers and escaped text: rendered raw.
        let svg: String
        let headers: [String]
        let rows: [Row]
    }

    struct Link {
        let label: String
        let href: String
    }

    let problem: String?
    let organisations: [Option]
    let sites: [Option]
    let from: String
    let to: String
    let heading: String
    let hasData: Bool
    let charts: [Chart]
    let multiples: [Chart]
    let hasMultiples: Bool
    /// Names the stranded and super-stranded lines the small charts draw.
    let multiplesHeading: String
    let downloads: [Link]
    /// Red bed-days from the board rounds, set by the dashboard when it has them.
    var redDays: RedDayTrendView?
    var aim: AimTrendView?

    init(
        request: TrendRequest,
        series: TrendSeries,
        sites siteSeries: TrendSeries,
        units: (organisations: [TrendStore.Unit], sites: [TrendStore.Unit]),
        organisation: String?,
        site: String?,
        policy: StrandedPolicy
    ) {
        problem = nil
        organisations = units.organisations.map { Option(code: $0.code, name: $0.name, selected: $0.code == organisation) }
        sites = units.sites.map { Option(code: $0.code, name: $0.name, selected: $0.code == site) }
        from = request.from.iso
        to = request.to.iso
        let weeks = TrendCharts.weeks(from: request.from, to: request.to)
        let main = series.units.first
        heading =
            main.map { "\($0.exportName), weeks \(DisplayFormat.date(request.from)) to \(DisplayFormat.date(request.to))" }
            ?? "No lists in these weeks"
        hasData = main != nil
        var charts: [Chart] = []
        if let main {
            charts.append(Self.chart(TrendCharts.stranded(main, weeks: weeks, thresholds: policy.thresholds)))
            charts.append(Self.chart(TrendCharts.delayReasons(main, weeks: weeks, taxonomy: policy.delayReasons)))
        }
        self.charts = charts
        multiples = TrendCharts.smallMultiples(siteSeries.units, weeks: weeks, thresholds: policy.thresholds).map(Self.chart)
        hasMultiples = !multiples.isEmpty
        multiplesHeading =
            "By site: LoS \(policy.thresholds.strandedDays)+ (solid, circles) and \(policy.thresholds.superStrandedDays)+ (dashed, squares)"
        var query = "from=\(request.from.iso)&to=\(request.to.iso)&scope=\(request.scope.rawValue)"
        if let code = request.code { query += "&code=" + (code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
        downloads = [
            Link(label: "CSV", href: "/api/trends?\(query)&format=csv"),
            Link(label: "CSV for publication (small numbers suppressed)", href: "/api/trends?\(query)&format=csv&publication=true"),
            Link(label: "NHS England long format", href: "/api/trends?\(query)&format=long"),
            Link(label: "JSON", href: "/api/trends?\(query)&format=json"),
        ]
    }

    init(problem: String, units: (organisations: [TrendStore.Unit], sites: [TrendStore.Unit]), organisation: String?, site: String?) {
        self.problem = problem
        organisations = units.organisations.map { Option(code: $0.code, name: $0.name, selected: $0.code == organisation) }
        sites = units.sites.map { Option(code: $0.code, name: $0.name, selected: $0.code == site) }
        from = ""
        to = ""
        heading = ""
        hasData = false
        charts = []
        multiples = []
        hasMultiples = false
        multiplesHeading = ""
        downloads = []
    }

    static func chart(_ chart: TrendChart) -> Chart {
        Chart(title: chart.title, svg: chart.svg, headers: chart.table.headers, rows: chart.table.rows.map(Row.init))
    }
}
