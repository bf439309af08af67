import StrandedCore

/// The columns of a ward list (Schema/ward-list.md §2) and the header names
/// accepted for each.
public enum WardListColumn: String, CaseIterable, Sendable, Codable {
    case siteCode = "site_code"
    case wardCode = "ward_code"
    case admissionDate = "admission_date"
    case nhsNumber = "nhs_number"
    case localPatientID = "local_patient_id"
    case snapshotDate = "snapshot_date"
    case wardName = "ward_name"
    case spellID = "spell_id"
    case familyName = "family_name"
    case givenName = "given_name"
    case dateOfBirth = "date_of_birth"
    case age
    case admissionMethod = "admission_method"
    case specialty
    case setting
    case dischargeReadyDate = "discharge_ready_date"
    case expectedDischargeDate = "expected_discharge_date"
    case dischargePathway = "discharge_pathway"
    case delayReason = "delay_reason"
    case lengthOfStay = "length_of_stay"

    public var name: String { rawValue }

    static let required: [WardListColumn] = [.siteCode, .wardCode, .admissionDate]

    var aliases: [String] {
        switch self {
        case .siteCode: return ["site", "site_id", "ods_site_code"]
        case .wardCode: return ["ward", "ward_id"]
        case .admissionDate: return ["admitted", "admission", "date_of_admission", "admit_date"]
        case .nhsNumber: return ["nhs_no", "nhsnumber", "nhs_num", "nhs"]
        case .localPatientID: return ["local_id", "mrn", "hospital_number", "hospital_no", "pas_id"]
        case .snapshotDate: return ["census_date", "list_date", "snapshot"]
        case .wardName: return ["ward_description"]
        case .spellID: return ["spell", "spell_number"]
        case .familyName: return ["surname", "last_name"]
        case .givenName: return ["forename", "first_name", "given_names"]
        case .dateOfBirth: return ["dob", "birth_date"]
        case .age: return ["age_years"]
        case .admissionMethod: return ["admission_type", "method_of_admission"]
        case .specialty: return ["speciality", "treatment_function", "main_specialty"]
        case .setting: return ["care_setting", "hospital_type"]
        case .dischargeReadyDate: return ["ready_for_discharge_date", "rfd_date", "medically_optimised_date", "mfd_date"]
        case .expectedDischargeDate: return ["edd", "estimated_discharge_date"]
        case .dischargePathway: return ["pathway"]
        case .delayReason: return ["reason_for_delay", "delay"]
        case .lengthOfStay: return ["los", "los_days"]
        }
    }

    /// Header text → canonical key: trimmed, lowercased, spaces and hyphens
    /// as underscores, full stops dropped (`NHS No.` → `nhs_no`).
    static func normalise(_ header: String) -> String {
        var out = ""
        var lastUnderscore = false
        for character in header.trimmingWhitespace().lowercased() {
            if character == "." { continue }
            if character == " " || character == "-" || character == "_" {
                if !lastUnderscore && !out.isEmpty { out.append("_") }
                lastUnderscore = true
            } else {
                out.append(character)
                lastUnderscore = false
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        return out
    }

    static let lookup: [String: WardListColumn] = {
        var table: [String: WardListColumn] = [:]
        for column in allCases {
            table[column.rawValue] = column
            for alias in column.aliases { table[normalise(alias)] = column }
        }
        return table
    }()
}

/// Where each known column sits in the file.
public struct WardListHeader: Sendable {
    public let positions: [WardListColumn: Int]
    /// Header names that matched no column (reported, then ignored).
    public let ignored: [String]
    public let fieldCount: Int

    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Required columns are missing from a line that reads as a header;
        /// `found` is its names as they may be shown.
        case missingColumns([String], found: [String])
        /// Required columns are missing and the first line reads as a
        /// patient's row (a file without a header): nothing of it is shown.
        case firstLineLooksLikeData(missing: [String])
        /// The header's names are separated by something other than a comma or tab.
        case otherSeparator(missing: [String], separator: String)
        case duplicateColumn(WardListColumn, names: [String])

        public var description: String {
            switch self {
            case .missingColumns(let missing, let found):
                return Self.missingText(missing) + "; the header has: \(found.isEmpty ? "(nothing)" : found.joined(separator: " | ")). "
                    + "Check the header row and that the file is comma- or tab-separated."
            case .firstLineLooksLikeData(let missing):
                return Self.missingText(missing) + "; the first line looks like data, not a header "
                    + "(its values are not shown, as they may identify a patient). "
                    + "The file must start with a header row naming the columns (Schema/ward-list.md §2)."
            case .otherSeparator(let missing, let separator):
                return Self.missingText(missing) + "; the header's names are separated by \"\(separator)\". "
                    + "Save the file as comma-separated (CSV UTF-8) or tab-separated text."
            case .duplicateColumn(let column, let names):
                return "the header names \(names.map { "\"\($0)\"" }.joined(separator: " and ")) both mean \(column.name); keep one"
            }
        }

        private static func missingText(_ missing: [String]) -> String {
            "missing required column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"
        }
    }

    public init(names: [String]) throws(Problem) {
        var positions: [WardListColumn: Int] = [:]
        var ignored: [String] = []
        var namesByColumn: [WardListColumn: [String]] = [:]
        for (index, name) in names.enumerated() {
            guard let column = WardListColumn.lookup[WardListColumn.normalise(name)] else {
                if !name.trimmingWhitespace().isEmpty { ignored.append(name.trimmingWhitespace()) }
                continue
            }
            namesByColumn[column, default: []].append(name.trimmingWhitespace())
            if positions[column] == nil { positions[column] = index }
        }
        if let (column, duplicates) = namesByColumn.first(where: { $0.value.count > 1 }) {
            throw .duplicateColumn(column, names: duplicates)
        }
        var missing = WardListColumn.required.filter { positions[$0] == nil }.map(\.name)
        if positions[.nhsNumber] == nil && positions[.localPatientID] == nil {
            missing.append("nhs_number or local_patient_id")
        }
        guard missing.isEmpty else { throw Self.explain(missing: missing, names: names) }
        self.positions = positions
        self.ignored = ignored
        fieldCount = names.count
    }
}

extension WardListHeader {
    /// Says why a first line lacks required columns without echoing what
    /// could be a patient's details: a line is shown only when it reads as a
    /// header (some names are columns, and no value is a date or a long number).
    static func explain(missing: [String], names: [String]) -> Problem {
        let cells = names.map { $0.trimmingWhitespace() }
        func isColumn(_ name: some StringProtocol) -> Bool { WardListColumn.lookup[WardListColumn.normalise(String(name))] != nil }
        let recognised = cells.filter { isColumn($0) }
        if recognised.isEmpty {
            for separator in [";", "|"] where cells.contains(where: { $0.split(separator: Character(separator)).contains(where: isColumn) }) {
                return .otherSeparator(missing: missing, separator: separator)
            }
        }
        let looksLikeData =
            recognised.isEmpty
            || cells.contains { cell in
                cell.unicodeScalars.filter { ("0"..."9").contains($0) }.count >= 6 || WardListValidator.parseDate(cell) != nil
            }
        if looksLikeData { return .firstLineLooksLikeData(missing: missing) }
        return .missingColumns(
            missing,
            found: cells.map { cell in
                let visible = ReferenceCode.visible(cell)
                return visible.count > 40 ? String(visible.prefix(40)) + "…" : visible
            }
        )
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        // Fast path: nearly every value has no surrounding white space.
        let string = String(self)
        // Empty (every blank optional column) has nothing to trim either.
        if string.isEmpty { return string }
        if let first = string.utf8.first, let last = string.utf8.last, first > 0x20, last > 0x20, first < 0x80, last < 0x80 {
            return string
        }
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
