import Foundation
import Hummingbird
import NIOCore
import Reports
import Store
import StrandedCore
import Workflow

/// Trends: `GET /api/trends` exports, `GET /trends` the dashboard.
struct TrendRoutes {
    let service: TrendService
    let renderer: PageRenderer

    init(dependencies: AppDependencies) {
        service = TrendService(database: dependencies.database, policy: dependencies.policy)
        renderer = dependencies.renderer
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/trends", use: api)
        router.get("/trends", use: dashboard)
    }

    /// `?from=&to=&scope=&code=&format=csv|json|long&publication=true&suppress_below=N&policy=nhs-digital`.
    /// 400 with `{"error": {"message": …}}` for a bad parameter.
    @Sendable func api(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? { query.get(name) }
        let trendRequest: TrendRequest
        let body: String
        do {
            let publication = ["1", "true", "yes"].contains(value("publication")?.lowercased() ?? "")
            trendRequest = try TrendRequest.parse(
                from: value("from"),
                to: value("to"),
                scope: value("scope"),
                code: value("code"),
                format: value("format"),
                publication: publication,
                suppressBelow: value("suppress_below") ?? value("suppress-below"),
                policy: value("policy"),
                latest: try await service.latestWeek()
            )
            body = try await service.export(trendRequest)
        } catch let problem as TrendRequest.Problem {
            return try jsonError(problem.message, status: .badRequest)
        }
        var headers: HTTPFields = [.contentType: trendRequest.format.contentType, .cacheControl: "no-cache"]
        if trendRequest.format != .json {
            let name =
                "stranded-trends-\(trendRequest.scope.rawValue)\(trendRequest.code.map { "-" + $0.replacingOccurrences(of: "/", with: "-") } ?? "")-\(trendRequest.from.iso)-\(trendRequest.to.iso)\(Self.fileNameSuffix(trendRequest)).csv"
            let safe = String(
                name.unicodeScalars.filter {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._".unicodeScalars.contains($0))
                }
            )
            headers[.contentDisposition] = "attachment; filename=\"\(safe)\""
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Tells the downloads of one period apart once saved side by side:
    /// the long (NHS England) layout and a publication copy each say so.
    static func fileNameSuffix(_ request: TrendRequest) -> String {
        let published: Bool
        if case .none = request.control { published = false } else { published = true }
        return (request.format == .long ? "-long" : "") + (published ? "-publication" : "")
    }

    /// The charts of the system, an organisation (`?organisation=`) or a site
    /// (`?site=`), each with its numbers one click away, and a small chart per site.
    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let organisation = query.get("organisation").flatMap { $0.isEmpty ? nil : $0 }
        let site = query.get("site").flatMap { $0.isEmpty ? nil : $0 }
        let scope: TrendScope = site != nil ? .site : organisation != nil ? .organisation : .system
        let code = site ?? organisation
        let trendRequest: TrendRequest
        let units = try await service.units()
        do {
            var parsed = try TrendRequest.parse(
                from: query.get("from"),
                to: query.get("to"),
                scope: scope.rawValue,
                code: code,
                format: "csv",
                publication: false,
                suppressBelow: nil,
                latest: try await service.latestWeek()
            )
            // A short history fills the charts rather than the last few weeks of a year.
            if (query.get("from") ?? "").isEmpty, let first = try await service.firstWeek(), first > parsed.from, first <= parsed.to {
                parsed.from = first
            }
            trendRequest = parsed
            let series = try await service.series(scope: scope, code: code, from: trendRequest.from, to: trendRequest.to)
            // Small multiples: the sites of the organisation, or every site.
            let siteSeries: TrendSeries
            if let site {
                siteSeries = try await service.series(scope: .site, code: site, from: trendRequest.from, to: trendRequest.to)
            } else {
                let all = try await service.series(scope: .site, code: nil, from: trendRequest.from, to: trendRequest.to)
                let members = Set(units.sites.filter { organisation == nil || $0.organisation == organisation }.map(\.code))
                siteSeries = TrendSeries(
                    scope: .site,
                    from: all.from,
                    to: all.to,
                    units: all.units.filter { members.contains($0.code) },
                    escalationsAvailable: all.escalationsAvailable
                )
            }
            var view = TrendDashboardView(
                request: trendRequest,
                series: series,
                sites: siteSeries,
                units: units,
                organisation: organisation,
                site: site,
                policy: service.policy
            )
            view.redDays = RedDayTrendView(try await service.redDays(scope: scope, code: code, from: trendRequest.from, to: trendRequest.to))
            view.aim = AimTrendView(
                try await service.aim.unit(scope: scope, code: code, from: trendRequest.from, to: trendRequest.to, today: .today(in: .london)),
                weeks: TrendCharts.weeks(from: trendRequest.from, to: trendRequest.to),
                thresholds: service.policy.thresholds
            )
            return try renderer.render("trends", title: "Trends", context: view)
        } catch let problem as TrendRequest.Problem {
            let view = TrendDashboardView(problem: problem.message, units: units, organisation: organisation, site: site)
            return try renderer.render("trends", title: "Trends", context: view, status: .badRequest)
        }
    }
}
