import Foundation
import Hummingbird
import Store
import StrandedCore

/// The data team's view of the hospital feeds: `/feeds`, each fed site's
/// feed health (last message, messages, errors and rejections today), and
/// `/feeds/{site}`, who is in which bed there now with length of stay.
struct FeedPages: Sendable {
    let store: FeedStore
    let renderer: PageRenderer

    init(dependencies: AppDependencies) {
        store = FeedStore(database: dependencies.database)
        renderer = dependencies.renderer
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/feeds", use: health)
        router.get("/feeds/:site", use: beds)
    }

    struct HealthView {
        struct Site {
            let code: String
            let name: String
            let lastMessage: String
            let messagesToday: Int
            let errorsToday: Int
            let rejectsToday: Int
            let inHospital: Int
            let lastError: String
            let quiet: Bool
        }
        let sites: [Site]
        let hasSites: Bool
        let unplacedErrors: Int
    }

    static func londonMidnight(_ now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .london
        return calendar.startOfDay(for: now)
    }

    static func time(_ date: Date?) -> String {
        guard let date else { return "never" }
        let formatter = DateFormatter()
        formatter.timeZone = .london
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = Date()
        let since = Self.londonMidnight(now)
        let sites = try await store.health(since: since).map { site in
            HealthView.Site(
                code: site.siteCode,
                name: site.siteName,
                lastMessage: Self.time(site.lastMessageAt),
                messagesToday: site.messagesToday,
                errorsToday: site.errorsToday,
                rejectsToday: site.rejectsToday,
                inHospital: site.inHospital,
                lastError: site.lastErrorField.map { "\($0): \(site.lastErrorReason ?? "") (\(Self.time(site.lastErrorAt)))" } ?? "none",
                // An hour without a message from a hospital's PAS usually means the interface is down.
                quiet: site.lastMessageAt.map { now.timeIntervalSince($0) > 3600 } ?? true
            )
        }
        let view = HealthView(sites: sites, hasSites: !sites.isEmpty, unplacedErrors: try await store.unplacedErrors(since: since))
        return try renderer.render("feeds", title: "Hospital feeds", context: view, noStore: true)
    }

    struct BedsView {
        struct Bed {
            let ward: String
            let room: String
            let bed: String
            let spell: String
            let admitted: String
            let lengthOfStay: Int
            let stranded: Bool
        }
        let site: String
        let beds: [Bed]
        let hasBeds: Bool
        let count: Int
    }

    @Sendable func beds(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = (context.parameters.get("site") ?? "").uppercased()
        let mapping = try await store.mapping()
        guard let site = mapping.facilities.values.first(where: { $0.code == code }) else {
            throw HTTPError(.notFound, message: "no fed site \(code); see /feeds for the sites with a feed")
        }
        let now = Date()
        let today = CalendarDate.today(now: now)
        let beds = try await store.census(at: now, mapping: mapping, siteIDs: [site.id]).map { entry in
            let days = entry.admissionDate.days(until: today)
            return BedsView.Bed(
                ward: entry.wardCode,
                room: entry.room ?? "",
                bed: entry.bed ?? "",
                spell: entry.spellID,
                admitted: entry.admissionDate.iso,
                lengthOfStay: days,
                stranded: days >= 7
            )
        }
        return try renderer.render("feed-beds", title: "Beds now at \(code)", context: BedsView(site: code, beds: beds, hasBeds: !beds.isEmpty, count: beds.count), noStore: true)
    }
}
