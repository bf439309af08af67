import Foundation
import Hummingbird
import NIOCore
import Store
import StrandedCore
import WardListImport
import Workflow

/// Ward list imports: `POST /api/imports` for machines, `/imports` pages for people.
struct ImportRoutes {
    let importer: WardListImporter
    let history: ImportHistory
    let renderer: PageRenderer
    let audit: AuditTrail
    let uploadDirectory: URL?
    let format: WardListFormatPage?

    init(dependencies: AppDependencies) {
        // Missing only from a broken build; the page then answers 500 rather than the service failing to start.
        format = try? WardListFormatPage()
        uploadDirectory = dependencies.uploadDirectory
        importer = WardListImporter(database: dependencies.database, policy: dependencies.policy)
        history = ImportHistory(database: dependencies.database)
        renderer = dependencies.renderer
        audit = AuditTrail(database: dependencies.database)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/imports", use: apiImport)
        router.get("/api/imports", use: apiList)
        router.get("/api/imports/{id}", use: apiReport)
        router.get("/imports", use: listPage)
        router.get("/imports/format", use: formatPage)
        router.post("/imports", use: uploadFromPage)
        router.get("/imports/{id}", use: reportPage)
    }

    // MARK: API

    /// 201 accepted, 200 duplicate, 422 rejected — each with the report.
    @Sendable func apiImport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let report = try await receiveAndImport(request, context: context, wording: .api)
        let status: HTTPResponse.Status =
            switch report.verdict {
            case .accepted: .created
            case .duplicate: .ok
            case .rejected: .unprocessableContent
            }
        return try json(report, status: status)
    }

    @Sendable func apiList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try json(try await history.recentImports(limit: 100), status: .ok)
    }

    @Sendable func apiReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let (_, report) = try await history.report(importID: id) else { throw HTTPError(.notFound, message: "no import \(id)") }
        try await audit.record(AuditEntry(action: "read", entityType: "import_file", entityID: String(id)))
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: report))
        )
    }

    // MARK: Pages

    @Sendable func listPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let imports = try await history.recentImports(limit: 100).map(ImportRowView.init)
        return try renderer.render(
            "imports",
            title: "Ward list imports",
            context: ["imports": imports, "hasImports": !imports.isEmpty] as [String: Any],
            noStore: true
        )
    }

    @Sendable func formatPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let format else { throw HTTPError(.internalServerError, message: "the ward list format is missing from the build") }
        return try renderer.render("ward-list-format", title: "Ward list file format", context: WardListFormatPage.View(html: format.html))
    }

    @Sendable func uploadFromPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let report = try await receiveAndImport(request, context: context, wording: .page)
        return Response(status: .seeOther, headers: [.location: "/imports/\(report.importID ?? 0)"])
    }

    @Sendable func reportPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let (summary, data) = try await history.report(importID: id) else { throw HTTPError(.notFound, message: "no import \(id)") }
        let report = try JSONDecoder().decode(ImportReport.self, from: data)
        try await audit.record(AuditEntry(action: "read", entityType: "import_file", entityID: String(id)))
        return try renderer.render(
            "import-report",
            title: "Import #\(id): \(summary.fileName ?? "ward list")",
            context: ImportReportView(summary: summary, report: report),
            noStore: true
        )
    }

    // MARK: Shared

    private func receiveAndImport(_ request: Request, context: AppRequestContext, wording: UploadWording) async throws -> ImportReport {
        // A page upload's CSRF token travels in its multipart body (AuthMiddleware
        // leaves this check to us); checked before any of the file is written.
        try await UploadedFile.withUpload(request, wording: wording, spoolIn: uploadDirectory, beforeFile: { try context.requireCSRF($0["_csrf"]) }) {
            upload in
            try context.requireCSRF(upload.fields["_csrf"])
            var snapshotDate: CalendarDate?
            if let text = upload.fields["snapshot_date"] ?? request.uri.queryParameters["snapshot_date"].map(String.init), !text.isEmpty {
                // StrandedCore's date parsing and accepted years, refused naming the field as this way in calls it.
                snapshotDate = try CalendarDate.requested(text, field: wording.snapshotDateFieldName)
            }
            let givenBy = wording.isPage ? "fill in the “Snapshot date” field" : "snapshot_date as a query parameter or form field"
            return try await importer.importFile(
                at: upload.url,
                source: wording.isPage ? .web : .api,
                displayName: upload.fileName ?? "upload.csv",
                snapshotDate: snapshotDate,
                snapshotDateGivenBy: givenBy
            )
        }
    }
}

/// One line of the imports table.
struct ImportRowView {
    let id: Int64
    let received: String
    let source: String
    let fileName: String
    let snapshotDate: String
    let verdict: String
    let dataRows: Int
    /// nil for a rejected file: none of its rows were imported, whatever they held.
    let importedRows: Int?
    let invalidRows: Int
    let warningCount: Int
    let supersededBy: Int64?

    init(_ summary: WardListStore.ImportSummary) {
        id = summary.id
        received = DisplayFormat.instant(summary.receivedAt)
        source = ImportPageMessages.source(summary.source.rawValue)
        fileName = summary.fileName ?? "—"
        snapshotDate = summary.snapshotDate.map(DisplayFormat.date) ?? "—"
        verdict = summary.verdict.rawValue
        dataRows = summary.dataRows
        importedRows = summary.verdict == .rejected ? nil : summary.importedRows
        invalidRows = summary.invalidRows
        warningCount = summary.warningCount
        supersededBy = summary.supersededBy
    }

}

/// The report page's values. Stored properties only: Mustache reads values
/// through reflection, which does not see computed properties.
struct ImportReportView {
    let summary: WardListStore.ImportSummary
    let report: ImportReport
    let received: String
    let isRejected: Bool
    let hasRowErrors: Bool
    let hasWarnings: Bool
    let hasSites: Bool
    let moreErrors: Int
    let hasMoreErrors: Bool
    let hasIgnoredColumns: Bool
    let arrivedBy: String
    let counts: String
    let snapshotDate: String
    /// The file's problem, in the page's terms; nil unless rejected.
    let fileError: ImportPageMessages.Message?
    /// The summary line, for files that were not rejected (a rejection says it in its own box).
    let outcome: ImportPageMessages.Message?
    let rowErrors: [Issue]
    let warnings: [Issue]
    let formatLink = WardListFormatPage.path

    struct Issue {
        let line: Int
        let column: String?
        let value: String?
        let reason: ImportPageMessages.Message
    }

    init(summary: WardListStore.ImportSummary, report: ImportReport) {
        self.summary = summary
        self.report = report
        received = DisplayFormat.instant(summary.receivedAt)
        arrivedBy = ImportPageMessages.source(summary.source.rawValue)
        isRejected = report.verdict == .rejected
        counts =
            ImportCounts.outcome(
                verdict: report.verdict.rawValue,
                dataRows: report.dataRows,
                importedRows: report.importedRows,
                invalidRows: report.invalidRows
            )
            + (report.warningCount == 1 ? ", 1 warning" : report.warningCount > 1 ? ", \(report.warningCount) warnings" : "")
        snapshotDate = report.snapshotDate.flatMap { CalendarDate(isoOrUK: $0) }.map(DisplayFormat.date) ?? report.snapshotDate ?? "—"
        fileError = isRejected ? ImportPageMessages.message(report.fileError ?? "the file could not be imported") : nil
        outcome = isRejected ? nil : ImportPageMessages.message(report.summary)
        rowErrors = report.rowErrors.map { Issue(line: $0.line, column: $0.column, value: $0.value, reason: ImportPageMessages.message($0.reason)) }
        warnings = report.warnings.map { Issue(line: $0.line, column: $0.column, value: $0.value, reason: ImportPageMessages.message($0.reason)) }
        hasRowErrors = !report.rowErrors.isEmpty
        hasWarnings = !report.warnings.isEmpty
        hasSites = !report.sites.isEmpty
        moreErrors = report.errorCount - report.rowErrors.count
        hasMoreErrors = moreErrors > 0
        hasIgnoredColumns = !report.ignoredColumns.isEmpty
    }
}
