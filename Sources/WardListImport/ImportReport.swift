import StrandedCore

/// What happened to one ward list file: the same report for the command
/// line, the API, the inbox (`NAME.report.json`) and the imports page.
public struct ImportReport: Sendable, Codable, Equatable {
    /// Kept under this name for callers of the report; the enum is Core's so
    /// the store can read and write it too.
    public typealias Verdict = ImportVerdict

    public struct SiteSummary: Sendable, Codable, Equatable {
        public var site: String
        public var rows: Int
        public var listKind: WardListKind
        public var stranded: Int
        public var superStranded: Int
        public init(site: String, rows: Int, listKind: WardListKind, stranded: Int, superStranded: Int) {
            self.site = site
            self.rows = rows
            self.listKind = listKind
            self.stranded = stranded
            self.superStranded = superStranded
        }
    }

    public struct CaseChanges: Sendable, Codable, Equatable {
        public var opened = 0
        public var continuing = 0
        public var discharged = 0
        public var heldOpen = 0
        public init() {}
    }

    public var importID: Int64?
    public var verdict: Verdict
    public var fileName: String?
    public var source: ImportSource
    public var snapshotDate: String?
    public var fingerprint: String
    public var byteCount: Int
    public var dataRows: Int
    public var importedRows: Int
    public var invalidRows: Int
    public var warningCount: Int
    public var errorCount: Int
    /// Why the whole file was refused, when it was.
    public var fileError: String?
    public var rowErrors: [RowIssue]
    public var warnings: [RowIssue]
    public var ignoredColumns: [String]
    public var sites: [SiteSummary]
    public var newWards: [String]
    public var supersededImports: [Int64]
    public var duplicateOf: Int64?
    public var cases: CaseChanges
    public var maxInvalidShare: Double
    /// One sentence for people.
    public var summary: String

    public init(verdict: Verdict, fileName: String?, source: ImportSource, fingerprint: String, byteCount: Int, maxInvalidShare: Double) {
        self.verdict = verdict
        self.fileName = fileName
        self.source = source
        self.fingerprint = fingerprint
        self.byteCount = byteCount
        dataRows = 0
        importedRows = 0
        invalidRows = 0
        warningCount = 0
        errorCount = 0
        rowErrors = []
        warnings = []
        ignoredColumns = []
        sites = []
        newWards = []
        supersededImports = []
        cases = CaseChanges()
        self.maxInvalidShare = maxInvalidShare
        summary = ""
    }

    /// Fills in the human summary from the numbers.
    public mutating func summarise() {
        switch verdict {
        case .accepted:
            var text = "Accepted: \(importedRows) of \(dataRows) rows imported for \(sites.count) site\(sites.count == 1 ? "" : "s")"
            if let snapshotDate { text += " (snapshot \(snapshotDate))" }
            if invalidRows > 0 { text += "; \(invalidRows) row\(invalidRows == 1 ? "" : "s") quarantined" }
            if warningCount > 0 { text += "; \(warningCount) warning\(warningCount == 1 ? "" : "s")" }
            text += ". Cases: \(cases.opened) opened, \(cases.discharged) closed as discharged"
            if cases.heldOpen > 0 { text += ", \(cases.heldOpen) held open" }
            if !supersededImports.isEmpty { text += "; replaces import \(supersededImports.map { "#\($0)" }.joined(separator: ", "))" }
            summary = text + "."
        case .duplicate:
            summary = "Duplicate: this content was already imported\(duplicateOf.map { " as import #\($0)" } ?? ""); nothing changed."
        case .rejected:
            let reason = fileError ?? "the file could not be imported"
            summary = "Rejected: \(reason)\(reason.hasSuffix(".") ? "" : ".") Nothing was imported."
        }
    }
}
