import StrandedCore

/// Settings of the quarantine policy (Schema/ward-list.md §8).
public struct ImportPolicy: Sendable, Equatable, Codable {
    /// The file is rejected when more than this share of data rows have errors.
    public var maxInvalidShare: Double = 0.05
    /// Admissions further back than this are taken for data errors.
    public var maxYearsBeforeSnapshot = 5
    /// Row issues kept in a report; beyond this they are counted only.
    public var maxIssuesReported = 1000

    public init() {}
}

/// Why a whole file is refused.
public enum FileProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    /// A NUL or other control byte: a binary file, not text.
    case binary(byte: Int)
    /// `byte` counts from 1 at the start of the file, when known.
    case notUTF8(line: Int, byte: Int?)
    case csv(CSVError)
    case header(WardListHeader.Problem)
    case noDataRows
    case noSnapshotDate
    case unreadableSnapshotDate(line: Int, value: String)
    case mixedSnapshotDates([(date: String, line: Int)])
    case snapshotDateDisagrees(inFile: CalendarDate, given: CalendarDate)
    case snapshotDateInFuture(CalendarDate, today: CalendarDate)
    case tooManyInvalidRows(invalid: Int, rows: Int, threshold: Double)

    public static func == (lhs: FileProblem, rhs: FileProblem) -> Bool { lhs.description == rhs.description }

    public var description: String {
        switch self {
        case .empty: return "the file is empty"
        case .binary(let byte):
            return "not a text file (binary data at byte \(byte)); send the ward list as CSV UTF-8 text, not a spreadsheet, compressed file or PDF"
        case .notUTF8(let line, let byte):
            return "not valid UTF-8 at line \(line)\(byte.map { ", byte \($0)" } ?? ""); save the file as \"CSV UTF-8\" and send it again"
        case .csv(let error): return "\(error)"
        case .header(let problem): return "\(problem)"
        case .noDataRows: return "the file has a header but no data rows"
        case .noSnapshotDate:
            return Self.noSnapshotDateText(giveItBy: "--snapshot-date yyyy-mm-dd, ?snapshot_date= on the API, or a yyyy-mm-dd in the inbox file name")
        case .unreadableSnapshotDate(let line, let value):
            return
                "snapshot_date \(Self.shown(value).map { "\"\($0)\"" } ?? Self.notShown) on line \(line) is not a date; use yyyy-mm-dd or dd/mm/yyyy"
        case .mixedSnapshotDates(let dates):
            return "the snapshot_date column holds different dates ("
                + dates.map { "\($0.date.isEmpty ? "(blank)" : Self.shown($0.date) ?? Self.notShown) first on line \($0.line)" }.joined(
                    separator: "; "
                ) + "); send one file per snapshot date"
        case .snapshotDateDisagrees(let inFile, let given):
            return "the file's snapshot_date is \(inFile.iso) but the import was given \(given.iso)"
        case .snapshotDateInFuture(let date, let today):
            return "the snapshot date \(date.iso) is after today (\(today.iso))"
        case .tooManyInvalidRows(let invalid, let rows, let threshold):
            let share = rows == 0 ? 0 : Double(invalid) * 100 / Double(rows)
            return
                "\(invalid) of \(rows) data rows (\(share.formatted1)%) have errors, more than the \((threshold * 100).formatted1)% allowed; the file was rejected whole — correct the rows listed and send it again"
        }
    }
}

extension FileProblem {
    /// The kind of problem, for logs: never a value from the file.
    public var kind: String {
        switch self {
        case .empty: "empty"
        case .binary: "binary"
        case .notUTF8: "not-utf8"
        case .csv: "csv"
        case .header: "header"
        case .noDataRows: "no-data-rows"
        case .noSnapshotDate: "no-snapshot-date"
        case .unreadableSnapshotDate: "unreadable-snapshot-date"
        case .mixedSnapshotDates: "mixed-snapshot-dates"
        case .snapshotDateDisagrees: "snapshot-date-disagrees"
        case .snapshotDateInFuture: "snapshot-date-in-future"
        case .tooManyInvalidRows: "too-many-invalid-rows"
        }
    }

    /// The message, with `giveItBy` saying how this way in takes a snapshot
    /// date (a form field on the page, a flag on the command line).
    public func description(snapshotDateGivenBy giveItBy: String?) -> String {
        guard case .noSnapshotDate = self, let giveItBy else { return description }
        return Self.noSnapshotDateText(giveItBy: giveItBy)
    }

    static func noSnapshotDateText(giveItBy: String) -> String {
        "no snapshot date: add a snapshot_date column, or give the date with the import (\(giveItBy))"
    }

    /// A snapshot_date value as a file error may quote it. A column that is
    /// not what its header says (shifted by a missing delimiter) may hold a
    /// name or an NHS number, so only text that could be a date is shown.
    static func shown(_ value: String) -> String? {
        let dateLike = value.count <= 32 && value.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || "-/.: T".unicodeScalars.contains($0) }
        guard dateLike else { return nil }
        return maskedIfNHSNumber(value) ?? value
    }

    static let notShown = "(a value that is not a date, not shown)"
}

/// An NHS number's mask (`999 *** 0018`) when `text` is 10 digits once spaces
/// and dashes are dropped — what a shifted column puts where a code or a date should be.
func maskedIfNHSNumber(_ text: String) -> String? {
    let compact = text.unicodeScalars.filter { $0 != " " && $0 != "-" }
    guard compact.count == 10, compact.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
    return maskNHSNumber(text)
}

extension Double {
    var formatted1: String {
        let scaled = (self * 10).rounded() / 10
        return scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)
    }
}

/// Checks the rows of one ward list, one at a time, keeping only what it
/// needs to find duplicates and the snapshot date.
public struct WardListValidator {
    public let header: WardListHeader
    public let policy: ImportPolicy
    let sites: [String: SiteReference]
    let givenSnapshotDate: CalendarDate?
    let today: CalendarDate

    public private(set) var snapshotDate: CalendarDate?
    public private(set) var dataRows = 0
    public private(set) var invalidRows = 0
    public private(set) var errors: [RowIssue] = []
    public private(set) var warnings: [RowIssue] = []
    public private(set) var errorCount = 0
    public private(set) var warningCount = 0
    /// Lines of rows that were accepted but later turned out to share their
    /// patient with another row: the importer removes them again.
    public private(set) var retractedLines: Set<Int> = []
    /// Patient keys at each site whose rows were quarantined: their open cases must not close.
    public private(set) var quarantinedPatients: [Int64: Set<PatientKey>] = [:]
    public private(set) var fileProblem: FileProblem?
    private var seenSnapshotDates: [(date: String, line: Int)] = []
    /// Where each patient was first seen: the line, its site, and whether that row was accepted.
    private var firstOfPatient: [DuplicateKey: (line: Int, siteID: Int64?, accepted: Bool)] = [:]
    private var flaggedFirstLines: Set<Int> = []

    public init(
        header: WardListHeader,
        sites: [SiteReference],
        givenSnapshotDate: CalendarDate?,
        today: CalendarDate,
        policy: ImportPolicy = ImportPolicy()
    ) {
        self.header = header
        self.policy = policy
        self.sites = Dictionary(sites.map { ($0.code.uppercased(), $0) }, uniquingKeysWith: { first, _ in first })
        self.givenSnapshotDate = givenSnapshotDate
        self.today = today
        if header.positions[.snapshotDate] == nil { snapshotDate = givenSnapshotDate }
    }

    /// Makes room for about `rows` patients up front: growing the duplicate
    /// index row by row rehashes it ~17 times on a national list.
    public mutating func reserveCapacity(rows: Int) {
        firstOfPatient.reserveCapacity(rows)
    }

    // MARK: One row

    /// Validates one data record. Returns the row when it may be imported;
    /// errors and warnings are collected. Sets `fileProblem` when the file
    /// as a whole must be refused (the caller then stops).
    public mutating func validate(_ record: CSVRecord) -> WardListRow? {
        dataRows += 1
        let line = record.line
        var values = RowValues()
        for (column, index) in header.positions where index < record.count {
            let bytes = record[index]
            // ASCII needs no validation; anything else must be well-formed UTF-8.
            guard let text = bytes.allSatisfy({ $0 < 0x80 }) ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
            else {
                fileProblem = .notUTF8(line: line, byte: nil)
                return nil
            }
            let trimmed = text.trimmingWhitespace()
            if !trimmed.isEmpty { values[column] = trimmed }
        }
        guard resolveSnapshotDate(values[.snapshotDate], line: line), let snapshot = snapshotDate else { return nil }

        var rowErrors: [RowIssue] = []
        func error(_ column: WardListColumn?, _ value: String?, _ reason: String) {
            rowErrors.append(RowIssue(line: line, column: column?.name, value: value, reason: reason))
        }
        if record.count > header.fieldCount {
            error(nil, nil, "row has \(record.count) fields, header has \(header.fieldCount)")
        }

        // Site and ward.
        var site: SiteReference?
        if let code = values[.siteCode] {
            if case .controlCharacter? = ReferenceCode.problem(code) {
                error(.siteCode, Self.shownCode(code), ReferenceCode.problem(code)!.reason(field: "site_code"))
            } else {
                site = sites[code.uppercased()]
                if site == nil {
                    let shown = Self.shownCode(code)
                    error(.siteCode, shown, "site \"\(shown)\" is not registered; register it with `stranded sites add` or correct the code")
                }
            }
        } else {
            error(.siteCode, nil, "required value missing")
        }
        let wardCode = values[.wardCode]
        if let wardCode {
            if case .controlCharacter? = ReferenceCode.problem(wardCode) {
                error(.wardCode, Self.shownCode(wardCode), ReferenceCode.problem(wardCode)!.reason(field: "ward_code"))
            }
        } else {
            error(.wardCode, nil, "required value missing")
        }
        for (column, limit) in Self.identifierLimits {
            // No more characters than UTF-8 bytes: the grapheme count is for the long ones only.
            if let value = values[column], value.utf8.count > limit, value.count > limit {
                error(
                    column,
                    Self.shownCode(String(value.prefix(24))) + "…",
                    "\(column.name) is longer than \(limit) characters; check the column mapping"
                )
            }
        }

        // Patient identity.
        var nhsNumber: NHSNumber?
        if let raw = values[.nhsNumber] {
            do {
                nhsNumber = try NHSNumber(parsing: raw)
            } catch {
                let problem: String
                switch error {
                case .badCheckDigit: problem = "fails the check digit"
                default: problem = "is not 10 digits"
                }
                rowErrors.append(
                    RowIssue(
                        line: line,
                        column: WardListColumn.nhsNumber.name,
                        value: maskNHSNumber(raw),
                        reason: "nhs_number \(maskNHSNumber(raw)) \(problem); check the number or leave it empty and give local_patient_id"
                    )
                )
            }
        }
        let localID = values[.localPatientID]
        if values[.nhsNumber] == nil && localID == nil {
            error(nil, nil, "row has neither nhs_number nor local_patient_id")
        }

        // Admission date and length of stay.
        var admission: CalendarDate?
        var lengthOfStay: LengthOfStay?
        if let raw = values[.admissionDate] {
            if let date = Self.parseDate(raw) {
                // LengthOfStay refuses a stay that ends before it starts; the row says why.
                if let stay = LengthOfStay(admitted: date, snapshot: snapshot) {
                    if let earliest = Self.date(years: policy.maxYearsBeforeSnapshot, before: snapshot), date < earliest {
                        error(
                            .admissionDate,
                            raw,
                            "admission_date \(date.iso) is more than \(policy.maxYearsBeforeSnapshot) years before \(snapshot.iso)"
                        )
                    } else {
                        admission = date
                        lengthOfStay = stay
                    }
                } else {
                    error(.admissionDate, raw, "admission_date \(date.iso) is after the snapshot date \(snapshot.iso)")
                }
            } else {
                error(.admissionDate, raw, "admission_date \"\(raw)\" is not a date; use yyyy-mm-dd or dd/mm/yyyy")
            }
        } else {
            error(.admissionDate, nil, "required value missing")
        }

        // The same patient twice: every occurrence is an error. The same NHS
        // number anywhere in the file counts; a local id only at the same site.
        let patientKey = PatientKey(nhsNumber: nhsNumber, localPatientID: localID)
        if let patient = patientKey?.acrossSites(siteID: site?.id) {
            let duplicateKey = DuplicateKey(patient)
            if let first = firstOfPatient[duplicateKey] {
                error(nhsNumber != nil ? .nhsNumber : .localPatientID, nhsNumber?.masked ?? localID, "patient also on line \(first.line)")
                if flaggedFirstLines.insert(first.line).inserted {
                    collect(
                        RowIssue(
                            line: first.line,
                            column: nhsNumber != nil ? WardListColumn.nhsNumber.name : WardListColumn.localPatientID.name,
                            value: nhsNumber?.masked ?? localID,
                            reason: "patient also on line \(line)"
                        ),
                        isError: true
                    )
                    // A first row that had errors of its own was already counted and quarantined.
                    if first.accepted, let siteID = first.siteID {
                        retractedLines.insert(first.line)
                        invalidRows += 1
                        quarantinedPatients[siteID, default: []].insert(patient.key)
                    }
                }
            } else {
                firstOfPatient[duplicateKey] = (line, site?.id, rowErrors.isEmpty)
            }
        }

        guard rowErrors.isEmpty, let site, let wardCode, let admission, let lengthOfStay else {
            invalidRows += 1
            rowErrors.forEach { collect($0, isError: true) }
            if let site, let patientKey {
                quarantinedPatients[site.id, default: []].insert(patientKey)
            }
            return nil
        }
        dropOverlongText(&values, line: line)
        let dateOfBirth = optionalDate(.dateOfBirth, values, line: line, notAfter: admission)
        var age = optionalAge(values, line: line, snapshot: snapshot)
        if let dateOfBirth, let computed = AgeBand.age(dateOfBirth: dateOfBirth, on: snapshot) {
            // The date of birth wins: an age column is often stale.
            if let given = age, given != computed {
                warn(line, .age, String(given), "age \(given) disagrees with date_of_birth (\(computed) on the snapshot date); \(computed) is used")
            }
            age = computed
        }
        let expectedDischarge = optionalDate(.expectedDischargeDate, values, line: line)
        if let expectedDischarge, expectedDischarge < snapshot {
            warn(
                line,
                .expectedDischargeDate,
                expectedDischarge.iso,
                "expected_discharge_date \(expectedDischarge.iso) has already passed (snapshot \(snapshot.iso)); it is kept, but counts as no date for escalation"
            )
        }
        return WardListRow(
            line: line,
            site: site,
            wardCode: wardCode,
            wardName: values[.wardName],
            nhsNumber: nhsNumber,
            localPatientID: localID,
            admissionDate: admission,
            lengthOfStay: lengthOfStay.days,
            spellID: values[.spellID],
            familyName: values[.familyName],
            givenName: values[.givenName],
            dateOfBirth: dateOfBirth,
            age: age,
            admissionMethod: values[.admissionMethod],
            specialty: values[.specialty],
            setting: optionalSetting(values, line: line) ?? site.setting,
            dischargeReadyDate: optionalDate(.dischargeReadyDate, values, line: line, notBefore: admission),
            expectedDischargeDate: expectedDischarge,
            dischargePathway: optionalPathway(values, line: line),
            delayReason: values[.delayReason]
        ).checkingLengthOfStay(values[.lengthOfStay], warn: { warn(line, .lengthOfStay, $0, $1) })
    }

    /// Codes longer than these are extract faults (a shifted column), not codes.
    static let identifierLimits: [(WardListColumn, Int)] = [(.siteCode, 20), (.wardCode, 20), (.localPatientID, 64)]

    /// The longest values of the optional text columns (Schema/ward-list.md §2).
    static let optionalTextLimits: [(WardListColumn, Int)] = [
        (.wardName, 200), (.spellID, 64), (.familyName, 200), (.givenName, 200), (.admissionMethod, 64), (.specialty, 64),
    ]

    /// A code as a row error shows it: control characters made visible, and
    /// an NHS number (a shifted column) masked.
    static func shownCode(_ code: String) -> String {
        maskedIfNHSNumber(code) ?? ReferenceCode.visible(code)
    }

    /// Over-long optional text is a warning and is ignored, as any bad
    /// optional value is; so is a ward name with control characters, which
    /// would become the ward's name on every page.
    private mutating func dropOverlongText(_ values: inout RowValues, line: Int) {
        for (column, limit) in Self.optionalTextLimits {
            guard let value = values[column], value.utf8.count > limit, value.count > limit else { continue }
            // Names are never echoed (Schema/ward-list.md §4).
            let shown = column == .familyName || column == .givenName ? "***" : Self.shownCode(String(value.prefix(24))) + "…"
            warn(line, column, shown, "\(column.name) is longer than \(limit) characters and was ignored")
            values[column] = nil
        }
        // Printable ASCII (nearly every name) has none: checked by byte first, not by scalar.
        if let name = values[.wardName], !name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
            name.unicodeScalars.contains(where: ReferenceCode.isControlOrInvisible)
        {
            warn(
                line,
                .wardName,
                Self.shownCode(String(name.prefix(24))),
                "ward_name contains a control or invisible character and was ignored; check for a line break or tab inside a quoted value"
            )
            values[.wardName] = nil
        }
    }

    // MARK: The end of the file

    /// Whole-file checks once every row has been seen.
    public mutating func finish() {
        guard fileProblem == nil else { return }
        if dataRows == 0 {
            fileProblem = .noDataRows
            return
        }
        if snapshotDate == nil {
            fileProblem = .noSnapshotDate
            return
        }
        // Divided rather than multiplied: a product like 0.29 × 100 rounds below 29.
        if Double(invalidRows) / Double(dataRows) > policy.maxInvalidShare {
            fileProblem = .tooManyInvalidRows(invalid: invalidRows, rows: dataRows, threshold: policy.maxInvalidShare)
        }
    }

    public var importedRows: Int { dataRows - invalidRows }

    // MARK: Helpers

    private mutating func resolveSnapshotDate(_ value: String?, line: Int) -> Bool {
        guard header.positions[.snapshotDate] != nil else {
            if snapshotDate == nil {
                fileProblem = .noSnapshotDate
                return false
            }
            return checkNotFuture()
        }
        let text = value ?? ""
        if seenSnapshotDates.isEmpty {
            seenSnapshotDates.append((text, line))
            guard let date = Self.parseDate(text) else {
                fileProblem = text.isEmpty ? .mixedSnapshotDates([("", line)]) : .unreadableSnapshotDate(line: line, value: text)
                return false
            }
            if let given = givenSnapshotDate, given != date {
                fileProblem = .snapshotDateDisagrees(inFile: date, given: given)
                return false
            }
            snapshotDate = date
            return checkNotFuture()
        }
        // The same text as the first row's (every row, nearly always) is the same date: not parsed again.
        if text != seenSnapshotDates[0].date, Self.parseDate(text) != snapshotDate {
            seenSnapshotDates.append((text, line))
            fileProblem = .mixedSnapshotDates(seenSnapshotDates)
            return false
        }
        return true
    }

    /// A date as Schema/ward-list.md §3 accepts it: `yyyy-mm-dd` or `dd/mm/yyyy`,
    /// optionally followed by a time of day (after a space or `T`), which is
    /// ignored. A time with a zone offset or `Z` is refused: converting it could change the date.
    static func parseDate(_ text: String) -> CalendarDate? {
        if let date = CalendarDate(isoOrUK: text) { return date }
        guard let split = text.firstIndex(where: { $0 == " " || $0 == "T" }),
            isTimeOfDay(text[text.index(after: split)...].trimmingWhitespace())
        else { return nil }
        return CalendarDate(isoOrUK: text[..<split])
    }

    /// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fff`, with no zone.
    private static func isTimeOfDay(_ text: String) -> Bool {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return false }
        if parts.count == 3, let dot = parts[2].firstIndex(of: ".") {
            let fraction = parts[2][parts[2].index(after: dot)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            parts[2] = parts[2][..<dot]
        }
        return zip(parts, [24, 60, 61]).allSatisfy { part, limit in
            (1...2).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part)! < limit
        }
    }

    /// The same day `years` years earlier (29 February → 28 February); nil before year 1.
    static func date(years: Int, before date: CalendarDate) -> CalendarDate? {
        let year = date.year - years
        guard year >= 1 else { return nil }
        return CalendarDate(year: year, month: date.month, day: min(date.day, CalendarDate.daysIn(month: date.month, year: year)))
    }

    private mutating func checkNotFuture() -> Bool {
        if let snapshotDate, snapshotDate > today {
            fileProblem = .snapshotDateInFuture(snapshotDate, today: today)
            return false
        }
        return true
    }

    private mutating func collect(_ issue: RowIssue, isError: Bool) {
        if isError {
            errorCount += 1
            if errors.count < policy.maxIssuesReported { errors.append(issue) }
        } else {
            warningCount += 1
            if warnings.count < policy.maxIssuesReported { warnings.append(issue) }
        }
    }

    mutating func warn(_ line: Int, _ column: WardListColumn, _ value: String?, _ reason: String) {
        collect(RowIssue(line: line, column: column.name, value: value, reason: reason), isError: false)
    }

    private mutating func optionalDate(
        _ column: WardListColumn,
        _ values: RowValues,
        line: Int,
        notAfter: CalendarDate? = nil,
        notBefore: CalendarDate? = nil
    ) -> CalendarDate? {
        guard let raw = values[column] else { return nil }
        // A date of birth is never echoed (Schema/ward-list.md §4).
        let shown = column == .dateOfBirth ? "***" : raw
        guard let date = Self.parseDate(raw) else {
            warn(line, column, shown, "\(column.name) \"\(shown)\" is not a date and was ignored; use yyyy-mm-dd or dd/mm/yyyy")
            return nil
        }
        let shownDate = column == .dateOfBirth ? "***" : date.iso
        if let notAfter, date > notAfter {
            warn(line, column, shown, "\(column.name) \(shownDate) is after the admission date and was ignored")
            return nil
        }
        if let notBefore, date < notBefore {
            warn(line, column, shown, "\(column.name) \(shownDate) is before the admission date and was ignored")
            return nil
        }
        return date
    }

    private mutating func optionalAge(_ values: RowValues, line: Int, snapshot: CalendarDate) -> Int? {
        guard let raw = values[.age] else { return nil }
        guard let age = Int(raw), (0...130).contains(age) else {
            warn(line, .age, raw, "age \"\(raw)\" is not a whole number from 0 to 130 and was ignored")
            return nil
        }
        return age
    }

    private mutating func optionalSetting(_ values: RowValues, line: Int) -> String? {
        guard let raw = values[.setting] else { return nil }
        let setting = raw.lowercased()
        guard setting == "acute" || setting == "community" else {
            warn(line, .setting, raw, "setting \"\(raw)\" is neither acute nor community; the site's registered setting was used")
            return nil
        }
        return setting
    }

    private mutating func optionalPathway(_ values: RowValues, line: Int) -> Int? {
        guard let raw = values[.dischargePathway] else { return nil }
        var text = raw.lowercased()
        for prefix in ["pathway", "p"] where text.hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)).trimmingWhitespace() }
        guard let pathway = Int(text), (0...3).contains(pathway) else {
            warn(line, .dischargePathway, raw, "discharge_pathway \"\(raw)\" is not 0, 1, 2 or 3 and was ignored")
            return nil
        }
        return pathway
    }
}

extension WardListRow {
    /// Compares a supplied length of stay with the computed one: a mismatch is a warning only.
    func checkingLengthOfStay(_ supplied: String?, warn: (String?, String) -> Void) -> WardListRow {
        guard let supplied else { return self }
        if Int(supplied) != lengthOfStay {
            warn(
                supplied,
                "length_of_stay \(supplied) differs from the computed \(lengthOfStay) days (snapshot date − admission date); the computed value is used"
            )
        }
        return self
    }
}

/// One row's values by column: an array indexed by the column's ordinal,
/// because a dictionary per row costs hashing on every read.
/// A patient as the duplicate index holds it: the same identity as
/// ``PatientAcrossSites``, with an NHS number's ten digits as one integer,
/// which hashes and compares far cheaper than text ~90,000 times a list.
struct DuplicateKey: Hashable {
    private enum Identity: Hashable {
        case nhsNumber(UInt64)
        case localPatientID(String, siteID: Int64?)
    }
    private let identity: Identity

    init(_ patient: PatientAcrossSites) {
        switch patient.key {
        case .nhsNumber(let number):
            // Always ten ASCII digits, so the integer is one-to-one with the number.
            identity = .nhsNumber(number.digits.utf8.reduce(0) { $0 &* 10 &+ UInt64($1 &- 48) })
        case .localPatientID(let id):
            identity = .localPatientID(id, siteID: patient.siteID)
        }
    }
}

struct RowValues {
    private var storage = [String?](repeating: nil, count: WardListColumn.allCases.count)

    subscript(column: WardListColumn) -> String? {
        get { storage[column.ordinal] }
        set { storage[column.ordinal] = newValue }
    }
}

extension WardListColumn {
    /// Position in `allCases`, without hashing the raw string.
    var ordinal: Int {
        switch self {
        case .siteCode: return 0
        case .wardCode: return 1
        case .admissionDate: return 2
        case .nhsNumber: return 3
        case .localPatientID: return 4
        case .snapshotDate: return 5
        case .wardName: return 6
        case .spellID: return 7
        case .familyName: return 8
        case .givenName: return 9
        case .dateOfBirth: return 10
        case .age: return 11
        case .admissionMethod: return 12
        case .specialty: return 13
        case .setting: return 14
        case .dischargeReadyDate: return 15
        case .expectedDischargeDate: return 16
        case .dischargePathway: return 17
        case .delayReason: return 18
        case .lengthOfStay: return 19
        }
    }
}
