import Foundation
import Hummingbird
import NIOCore
import Store
import StrandedCore
import WardListImport
import Workflow

/// Stays extracts: `POST /api/imports/stays` (the data role, as ward lists),
/// the imports page's upload form (`POST /imports/stays`) and the file's
/// contract as a page, `/imports/stays/format` (Schema/stays.md, bundled
/// with the build).
struct StayImportRoutes: Sendable {
    let importer: StayImporter
    let renderer: PageRenderer
    /// Where page uploads are spooled (a private folder of the data directory).
    let uploadDirectory: URL?
    /// The contract as HTML, rendered once; nil only in a broken build (the page then answers 500).
    let formatHTML: String?

    static let formatPath = "/imports/stays/format"

    init(dependencies: AppDependencies) {
        importer = StayImporter(database: dependencies.database)
        renderer = dependencies.renderer
        uploadDirectory = dependencies.uploadDirectory
        formatHTML = WardListFormatPage.bodyHTML(ofBundled: "formats/stays")
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/imports/stays", use: apiImport)
        router.post("/imports/stays", use: uploadFromPage)
        router.get(RouterPath(stringLiteral: Self.formatPath), use: formatPage)
    }

    /// 200 recorded, 422 refused (nothing recorded) with every problem, 400 unreadable.
    @Sendable func apiImport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 64 * 1024 * 1024)
        let report: StayImportReport
        do {
            report = try await importer.importCSV(Array(buffer.readableBytesView), by: context.identity?.displayName ?? "import")
        } catch let error as StayFile.Unreadable {
            throw HTTPError(.badRequest, message: "\(error.description); the format: \(Self.formatPath)")
        }
        return try json(report, status: report.accepted ? .ok : .unprocessableContent)
    }

    /// The imports page's form: the result as a page, 200 recorded or 422 refused.
    @Sendable func uploadFromPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await renderer.importUpload(
            request,
            context: context,
            kind: "stays extract",
            fileLabel: "Stays extract file",
            title: "Stays extract import",
            formatLink: Self.formatPath,
            spoolIn: uploadDirectory
        ) { bytes, author in
            let report = try await importer.importCSV(bytes, by: author)
            return FileImportOutcome(
                accepted: report.accepted,
                summary: FileImportResultView.outcome(report.recording, rows: report.dataRows),
                dataRows: report.dataRows,
                issues: report.issues
            )
        }
    }

    @Sendable func formatPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let formatHTML else { throw HTTPError(.internalServerError, message: "the stays extract format is missing from the build") }
        return try renderer.render("ward-list-format", title: "Stays extract format", context: WardListFormatPage.View(html: formatHTML))
    }
}
