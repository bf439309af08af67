import Foundation
import Logging
import Store
import StrandedCore
import WardListImport

/// The one code path every ward list takes — command line, API upload and
/// inbox alike: fingerprint → duplicate check → stream, validate and COPY in
/// one transaction → snapshots and cases → report.
public struct WardListImporter: Sendable {
    let store: WardListStore
    let reference: ReferenceDataStore
    /// How strict the file checks are (share of bad rows tolerated, …).
    public var importPolicy: ImportPolicy
    /// The running rules: who is stranded, and the delay reasons a list's text maps to.
    public let policy: StrandedPolicy
    /// Open the list's review week (Level 1 forms) after each accepted import.
    /// Benchmarks turn it off to time the import and the opening apart.
    public var opensReviewWeek = true
    let logger: Logger
    static let chunkSize = 256 * 1024

    public init(
        database: Database,
        policy: StrandedPolicy,
        importPolicy: ImportPolicy = ImportPolicy(),
        logger: Logger = Logger(label: "stranded.import")
    ) {
        self.policy = policy
        self.importPolicy = importPolicy
        store = WardListStore(database: database)
        reference = ReferenceDataStore(database: database)
        self.logger = logger
    }

    /// Imports the file at `url`. Never throws for a bad file — that is a
    /// rejected report; throws only when the database itself fails.
    ///
    /// `snapshotDateGivenBy` says, in a rejection for want of a snapshot
    /// date, how this way in takes one (the page's field, a flag); nil gives
    /// every way.
    public func importFile(
        at url: URL,
        source: ImportSource,
        displayName: String? = nil,
        snapshotDate: CalendarDate? = nil,
        snapshotDateGivenBy: String? = nil,
        today: CalendarDate = .today()
    ) async throws -> ImportReport {
        let name = displayName ?? url.lastPathComponent
        var stopwatch = Stopwatch()
        var scan = try FileScan.read(url)
        stopwatch.lap("fingerprint")
        // The same bytes given a different snapshot date are a different list.
        if let snapshotDate { scan.fingerprint += "@" + snapshotDate.iso }
        var report = ImportReport(
            verdict: .rejected,
            fileName: name,
            source: source,
            fingerprint: scan.fingerprint,
            byteCount: scan.byteCount,
            maxInvalidShare: importPolicy.maxInvalidShare
        )
        if scan.isBlank {
            return try await reject(report, problem: .empty, snapshotDate: snapshotDate, validator: nil)
        }
        // Binary or non-UTF-8 bytes never reach the parser or PostgreSQL.
        if let problem = scan.textProblem {
            return try await reject(report, problem: problem, snapshotDate: snapshotDate, validator: nil)
        }
        if let original = try await store.acceptedImport(fingerprint: scan.fingerprint) {
            return try await recordDuplicate(report, of: original, snapshotDate: snapshotDate)
        }
        let sites = try await reference.sites().map { SiteReference(id: $0.id, code: $0.code, setting: $0.setting) }
        let siteCodes = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0.code) })

        var validatorAfterFailure: WardListValidator?
        do {
            report = try await store.withImport(source: source, fileName: name, byteCount: scan.byteCount) { session in
                var run = ImportRun(sites: sites, snapshotDate: snapshotDate, today: today, policy: importPolicy, thresholds: policy.thresholds)
                do {
                    try await session.copyRows { sink in
                        try await run.stream(url, chunkSize: Self.chunkSize) { rows in
                            for row in rows { try await sink.append(row) }
                        }
                    }
                    try run.finish()
                    stopwatch.lap("rows")
                } catch {
                    validatorAfterFailure = run.validator
                    throw error
                }
                guard let validator = run.validator, let snapshot = validator.snapshotDate else { throw FileProblem.noDataRows }
                let outcome = try await session.apply(
                    snapshotDate: snapshot,
                    siteIDs: Array(run.siteIDs),
                    retractedLines: Array(validator.retractedLines),
                    quarantined: validator.quarantinedPatients,
                    wardNames: run.wardNames,
                    copied: validator.retractedLines.isEmpty ? run.copied : nil,
                    thresholds: policy.thresholds
                )
                stopwatch.append(contentsOf: outcome.phases)
                var accepted = report
                accepted.importID = session.importID
                accepted.verdict = .accepted
                accepted.fill(from: validator, snapshotDate: snapshot)
                accepted.sites = outcome.sites.map {
                    ImportReport.SiteSummary(
                        site: siteCodes[$0.siteID] ?? "?",
                        rows: $0.patients,
                        listKind: $0.listKind,
                        stranded: $0.stranded,
                        superStranded: $0.superStranded
                    )
                }.sorted { $0.site < $1.site }
                accepted.newWards = outcome.newWards.map { "\(siteCodes[$0.siteID] ?? "?")/\($0.code)" }.sorted()
                accepted.warnings += accepted.newWards.map { RowIssue(line: 0, column: "ward_code", value: $0, reason: "new ward \($0) registered") }
                accepted.warningCount += accepted.newWards.count
                accepted.supersededImports = outcome.supersededImports
                accepted.cases.opened = outcome.opened
                accepted.cases.continuing = outcome.continuing
                accepted.cases.discharged = outcome.discharged
                accepted.cases.heldOpen = outcome.heldOpen
                accepted.summarise()
                try await session.finalize(
                    fingerprint: scan.fingerprint,
                    snapshotDate: snapshot,
                    dataRows: validator.dataRows,
                    importedRows: validator.importedRows,
                    invalidRows: validator.invalidRows,
                    warningCount: accepted.warningCount,
                    report: accepted
                )
                stopwatch.lap("report")
                return accepted
            }
            stopwatch.lap("commit")
        } catch let problem as FileProblem {
            return try await reject(
                report,
                problem: problem,
                snapshotDate: snapshotDate,
                snapshotDateGivenBy: snapshotDateGivenBy,
                validator: validatorAfterFailure
            )
        } catch let problem as CSVError {
            return try await reject(report, problem: .csv(problem), snapshotDate: snapshotDate, validator: validatorAfterFailure)
        } catch let problem as WardListHeader.Problem {
            return try await reject(report, problem: .header(problem), snapshotDate: snapshotDate, validator: nil)
        } catch is WardListStore.SameContentAlreadyAccepted {
            // The same content was imported by someone else while we worked.
            let original = try await store.acceptedImport(fingerprint: scan.fingerprint)
            return try await recordDuplicate(report, of: original, snapshotDate: snapshotDate)
        }
        logger.info(
            "ward list imported",
            metadata: [
                "import": "\(report.importID ?? 0)", "file": "\(name)", "rows": "\(report.importedRows)", "quarantined": "\(report.invalidRows)",
            ]
        )
        logger.debug("ward list import phases", metadata: ["import": "\(report.importID ?? 0)", "phases": "\(stopwatch.summary)"])
        if opensReviewWeek {
            await openReviewWeek(after: report)  // so the week's Level 1 forms are ready as soon as its list is in
        }
        return report
    }

    private func reject(
        _ base: ImportReport,
        problem: FileProblem,
        snapshotDate: CalendarDate?,
        snapshotDateGivenBy: String? = nil,
        validator: WardListValidator?
    ) async throws -> ImportReport {
        var report = base
        report.verdict = .rejected
        report.fileError = problem.description(snapshotDateGivenBy: snapshotDateGivenBy)
        if let validator { report.fill(from: validator, snapshotDate: validator.snapshotDate ?? snapshotDate) }
        report.summarise()
        report.importID = try await store.recordUnaccepted(
            verdict: .rejected,
            source: report.source,
            fileName: report.fileName,
            fingerprint: report.fingerprint,
            byteCount: report.byteCount,
            snapshotDate: validator?.snapshotDate ?? snapshotDate,
            dataRows: report.dataRows,
            invalidRows: report.invalidRows,
            warningCount: report.warningCount,
            duplicateOf: nil,
            report: report
        )
        // The kind of problem only: a file's messages may quote its values, and logs must hold no patient data.
        logger.notice(
            "ward list rejected",
            metadata: [
                "import": "\(report.importID ?? 0)", "file": "\(report.fileName ?? "")", "problem": "\(problem.kind)",
            ]
        )
        return report
    }

    private func recordDuplicate(_ base: ImportReport, of original: Int64?, snapshotDate: CalendarDate?) async throws -> ImportReport {
        var report = base
        report.verdict = .duplicate
        report.duplicateOf = original
        report.summarise()
        report.importID = try await store.recordUnaccepted(
            verdict: .duplicate,
            source: report.source,
            fileName: report.fileName,
            fingerprint: report.fingerprint,
            byteCount: report.byteCount,
            snapshotDate: snapshotDate,
            dataRows: 0,
            invalidRows: 0,
            warningCount: 0,
            duplicateOf: original,
            report: report
        )
        return report
    }
}

extension ImportReport {
    mutating func fill(from validator: WardListValidator, snapshotDate: CalendarDate?) {
        self.snapshotDate = snapshotDate?.iso
        dataRows = validator.dataRows
        importedRows = validator.importedRows
        invalidRows = validator.invalidRows
        errorCount = validator.errorCount
        rowErrors = validator.errors.sorted { ($0.line, $0.column ?? "") < ($1.line, $1.column ?? "") }
        warnings = validator.warnings
        warningCount = validator.warningCount
        ignoredColumns = validator.header.ignored
    }
}
