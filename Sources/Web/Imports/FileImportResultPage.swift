import Foundation
import Hummingbird
import Store
import WardListImport

/// The page after a board-round days file or a stays extract is sent from
/// the imports page: what was recorded, or why nothing was, row by row.
/// Stored properties only: Mustache reads values through reflection.
struct FileImportResultView {
    /// Shown at most: a file with thousands of problems has one cause, usually.
    static let shownIssues = 200

    let kind: String
    let fileName: String
    let accepted: Bool
    let outcome: String
    let fileError: String?
    let dataRows: Int
    let issues: [RowIssue]
    let hasIssues: Bool
    let issueCount: Int
    let moreIssues: Int
    let hasMoreIssues: Bool
    let formatLink: String

    init(kind: String, fileName: String?, accepted: Bool, outcome: String, dataRows: Int, issues: [RowIssue], fileError: String? = nil, formatLink: String) {
        self.kind = kind
        self.fileName = fileName ?? "upload.csv"
        self.accepted = accepted
        self.outcome = outcome
        self.fileError = fileError
        self.dataRows = dataRows
        self.issues = Array(issues.prefix(Self.shownIssues))
        hasIssues = !issues.isEmpty
        issueCount = issues.count
        moreIssues = max(0, issues.count - Self.shownIssues)
        hasMoreIssues = moreIssues > 0
        self.formatLink = formatLink
    }

    /// A file that could not be read at all.
    init(unreadable error: UnreadableFile, kind: String, fileName: String?, formatLink: String) {
        self.init(
            kind: kind,
            fileName: fileName,
            accepted: false,
            outcome: "",
            dataRows: 0,
            issues: [],
            fileError: "The file could not be read: \(error.description).",
            formatLink: formatLink
        )
    }

    /// "All 12 rows recorded: 10 new days, 1 corrected, 1 unchanged."
    static func outcome(_ recording: DayRecording, rows: Int) -> String {
        "All \(rows) row\(rows == 1 ? "" : "s") recorded: \(recording.recorded) new day\(recording.recorded == 1 ? "" : "s"), "
            + "\(recording.corrected) corrected, \(recording.unchanged) unchanged."
    }

    /// "All 12 rows recorded: 10 new stays, 1 updated, 1 unchanged."
    static func outcome(_ recording: StayRecording, rows: Int) -> String {
        "All \(rows) row\(rows == 1 ? "" : "s") recorded: \(recording.added) new stay\(recording.added == 1 ? "" : "s"), "
            + "\(recording.updated) updated, \(recording.unchanged) unchanged."
    }

    /// 200 when recorded; 422 when refused, so a script or a test can tell.
    var status: HTTPResponse.Status { accepted ? .ok : .unprocessableContent }
}

/// What an import of a days file or a stays extract reported, as its result page needs it.
struct FileImportOutcome {
    let accepted: Bool
    let summary: String
    let dataRows: Int
    let issues: [RowIssue]
}

extension PageRenderer {
    func render(_ result: FileImportResultView, title: String) throws -> Response {
        try render("file-import-result", title: title, context: result, status: result.status, noStore: true)
    }

    /// A page's upload of a days file or a stays extract: received into a
    /// private spool (the CSRF token checked before the file is written),
    /// imported by `importing` with the signed-in user as its author, and
    /// answered with its result page.
    func importUpload(
        _ request: Request,
        context: AppRequestContext,
        kind: String,
        fileLabel: String,
        title: String,
        formatLink: String,
        spoolIn directory: URL?,
        importing: (_ bytes: [UInt8], _ author: String) async throws -> FileImportOutcome
    ) async throws -> Response {
        let wording = UploadWording.page(kind, label: fileLabel)
        return try await UploadedFile.withUpload(request, wording: wording, spoolIn: directory, beforeFile: { try context.requireCSRF($0["_csrf"]) }) {
            upload in
            try context.requireCSRF(upload.fields["_csrf"])
            let result: FileImportResultView
            do {
                let outcome = try await importing(Array(try Data(contentsOf: upload.url)), context.identity?.displayName ?? "import")
                result = FileImportResultView(
                    kind: kind,
                    fileName: upload.fileName,
                    accepted: outcome.accepted,
                    outcome: outcome.summary,
                    dataRows: outcome.dataRows,
                    issues: outcome.issues,
                    formatLink: formatLink
                )
            } catch let error as UnreadableFile {
                result = FileImportResultView(unreadable: error, kind: kind, fileName: upload.fileName, formatLink: formatLink)
            }
            return try render(result, title: title)
        }
    }
}
