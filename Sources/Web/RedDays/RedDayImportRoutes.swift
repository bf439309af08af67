import Foundation
import Hummingbird
import NIOCore
import Store
import StrandedCore
import WardListImport
import Workflow

/// Red/green days files: `POST /api/imports/red-days` (the data role, as ward
/// lists), the imports page's upload form (`POST /imports/red-days`) and the
/// file's contract as a page, `/imports/red-days/format` (Schema/red-days.md,
/// bundled with the build).
struct RedDayImportRoutes: Sendable {
    let importer: RedDayImporter
    let renderer: PageRenderer
    /// Where page uploads are spooled (a private folder of the data directory).
    let uploadDirectory: URL?
    /// The clock the correction window is judged by, replaceable in tests.
    var now: @Sendable () -> Date = { Date() }
    /// The contract as HTML, rendered once; nil only in a broken build (the page then answers 500).
    let formatHTML: String?

    static let formatPath = "/imports/red-days/format"

    init(dependencies: AppDependencies) {
        importer = RedDayImporter(database: dependencies.database, policy: dependencies.policy)
        renderer = dependencies.renderer
        uploadDirectory = dependencies.uploadDirectory
        formatHTML = WardListFormatPage.bodyHTML(ofBundled: "formats/red-days")
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/imports/red-days", use: apiImport)
        router.post("/imports/red-days", use: uploadFromPage)
        router.get(RouterPath(stringLiteral: Self.formatPath), use: formatPage)
    }

    /// 200 recorded, 422 refused (nothing recorded) with every problem, 400 unreadable.
    @Sendable func apiImport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 64 * 1024 * 1024)
        let report: RedDayImportReport
        do {
            report = try await importer.importCSV(
                Array(buffer.readableBytesView),
                source: .import,
                by: context.identity?.displayName ?? "import",
                now: now()
            )
        } catch let error as RedDayFile.Unreadable {
            throw HTTPError(.badRequest, message: "\(error.description); the format: \(Self.formatPath)")
        }
        return try json(report, status: report.accepted ? .ok : .unprocessableContent)
    }

    /// The imports page's form: the result as a page, 200 recorded or 422 refused.
    @Sendable func uploadFromPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await renderer.importUpload(
            request,
            context: context,
            kind: "board-round days",
            fileLabel: "Board-round days file",
            title: "Board-round days import",
            formatLink: Self.formatPath,
            spoolIn: uploadDirectory
        ) { bytes, author in
            let report = try await importer.importCSV(bytes, source: .import, by: author, now: now())
            return FileImportOutcome(
                accepted: report.accepted,
                summary: FileImportResultView.outcome(report.recording, rows: report.dataRows),
                dataRows: report.dataRows,
                issues: report.issues
            )
        }
    }

    @Sendable func formatPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let formatHTML else { throw HTTPError(.internalServerError, message: "the red and green days format is missing from the build") }
        return try renderer.render("ward-list-format", title: "Red and green days file format", context: WardListFormatPage.View(html: formatHTML))
    }
}
