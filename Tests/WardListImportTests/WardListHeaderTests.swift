import Testing
import WardListImport

@Suite("Ward list header")
struct WardListHeaderTests {
    @Test func theContractExampleHeaderIsRead() throws {
        let names = [
            "Site Code", "Ward Code", "Ward Name", "NHS Number", "Local Patient ID", "Admission Date",
            "Expected Discharge Date", "Discharge Pathway", "Delay Reason",
        ]
        let header = try WardListHeader(names: names)
        #expect(
            header.positions == [
                .siteCode: 0, .wardCode: 1, .wardName: 2, .nhsNumber: 3, .localPatientID: 4, .admissionDate: 5,
                .expectedDischargeDate: 6, .dischargePathway: 7, .delayReason: 8,
            ]
        )
        #expect(header.ignored.isEmpty)
        #expect(header.fieldCount == 9)
    }

    @Test func namesIgnoreCaseAndSurroundingSpaces() throws {
        let header = try WardListHeader(names: ["  SITE_CODE ", "Ward Code", "ADMISSION DATE\t", " nhs number"])
        #expect(header.positions == [.siteCode: 0, .wardCode: 1, .admissionDate: 2, .nhsNumber: 3])
    }

    @Test(arguments: [
        ("NHS No.", WardListColumn.nhsNumber), ("nhs-no", .nhsNumber), ("nhs_no", .nhsNumber), ("NHSNumber", .nhsNumber),
        ("NHS", .nhsNumber), ("MRN", .localPatientID), ("Hospital No.", .localPatientID), ("Census Date", .snapshotDate),
        ("DOB", .dateOfBirth), ("Speciality", .specialty), ("EDD", .expectedDischargeDate), ("RFD date", .dischargeReadyDate),
        ("Pathway", .dischargePathway), ("Reason for delay", .delayReason), ("LoS", .lengthOfStay), ("los-days", .lengthOfStay),
        ("Surname", .familyName), ("Forename", .givenName), ("Care Setting", .setting), ("Spell", .spellID),
    ])
    func aliasesName(alias: String, column: WardListColumn) throws {
        let identifier = column == .nhsNumber ? "local_patient_id" : "nhs_number"
        let header = try WardListHeader(names: ["site_code", "ward_code", "admission_date", identifier, alias])
        #expect(header.positions[column] == 4, "\(alias)")
    }

    @Test(arguments: [
        ("Site", WardListColumn.siteCode), ("site id", .siteCode), ("ODS Site Code", .siteCode),
        ("Ward", .wardCode), ("Admitted", .admissionDate), ("Date of Admission", .admissionDate), ("admit-date", .admissionDate),
    ])
    func aliasesOfRequiredColumns(alias: String, column: WardListColumn) throws {
        var names = ["site_code", "ward_code", "admission_date", "nhs_number"]
        names[names.firstIndex(of: column.name)!] = alias
        let header = try WardListHeader(names: names)
        #expect(header.positions[column] == names.firstIndex(of: alias))
    }

    @Test func missingColumnsAreNamedWithTheColumnsFound() {
        let problem = WardListHeader.Problem.missingColumns(["ward_code"], found: ["site_code", "nhs_number", "admitted"])
        #expect(problem.description.contains("missing required column ward_code"))
        #expect(problem.description.contains("site_code | nhs_number | admitted"))
    }

    @Test func aSemicolonSeparatedHeaderIsNamedAsSuch() {
        // A semicolon-separated file reads as one long column.
        let found = "site_code;ward_code;admission_date;nhs_number"
        #expect(
            throws: WardListHeader.Problem.otherSeparator(
                missing: ["site_code", "ward_code", "admission_date", "nhs_number or local_patient_id"],
                separator: ";"
            )
        ) {
            try WardListHeader(names: [found])
        }
        #expect(WardListHeader.Problem.otherSeparator(missing: ["site_code"], separator: ";").description.contains("comma-separated"))
    }

    /// A file without a header row: its first line is a patient's row, and
    /// the message must say so without quoting any of it.
    @Test func aHeaderlessFileIsRefusedWithoutEchoingTheFirstRow() {
        let firstRow = ["R9A01", "W01", "9991000089", "2026-11-01", "Familyname", "Givenname"]
        let missing = ["site_code", "ward_code", "admission_date", "nhs_number or local_patient_id"]
        #expect(throws: WardListHeader.Problem.firstLineLooksLikeData(missing: missing)) {
            try WardListHeader(names: firstRow)
        }
        let message = WardListHeader.Problem.firstLineLooksLikeData(missing: missing).description
        #expect(message.contains("missing required columns site_code, ward_code, admission_date"))
        #expect(message.contains("the first line looks like data"))
        for value in firstRow + ["999 *** 0089", "0089"] { #expect(!message.contains(value), "echoed \(value)") }
    }

    @Test(arguments: [
        ["site_code", "ward_code", "9991000089"],  // a recognised name, but an NHS number beside it
        ["site", "ward", "01/11/2026", "Familyname"],  // a date
        ["Familyname", "Givenname", "Northshire"],  // nothing recognised
    ])
    func aFirstLineWithValuesIsNotQuoted(names: [String]) {
        #expect(throws: WardListHeader.Problem.self) { try WardListHeader(names: names) }
        do {
            _ = try WardListHeader(names: names)
        } catch {
            guard case .firstLineLooksLikeData = error else {
                Issue.record("expected the first line to read as data, got \(error)")
                return
            }
        }
    }

    @Test func oneMissingRequiredColumn() {
        #expect(throws: WardListHeader.Problem.missingColumns(["admission_date"], found: ["site", "ward", "nhs no"])) {
            try WardListHeader(names: ["site", "ward", "nhs no"])
        }
    }

    @Test func neitherNHSNumberNorLocalPatientID() {
        #expect(
            throws: WardListHeader.Problem.missingColumns(
                ["nhs_number or local_patient_id"],
                found: ["site_code", "ward_code", "admission_date", "patient"]
            )
        ) {
            try WardListHeader(names: ["site_code", "ward_code", "admission_date", "patient"])
        }
    }

    @Test(arguments: ["nhs_number", "local_patient_id"])
    func eitherIdentifierColumnIsEnough(identifier: String) throws {
        let header = try WardListHeader(names: ["site_code", "ward_code", "admission_date", identifier])
        #expect(header.positions.count == 4)
    }

    @Test func twoNamesForOneColumnAreRefusedNamingBoth() {
        #expect(throws: WardListHeader.Problem.duplicateColumn(.nhsNumber, names: ["NHS Number", "nhs no."])) {
            try WardListHeader(names: ["site_code", "ward_code", "admission_date", "NHS Number", " nhs no. "])
        }
        let description = WardListHeader.Problem.duplicateColumn(.siteCode, names: ["Site", "site_code"]).description
        #expect(description.contains("\"Site\" and \"site_code\""))
        #expect(description.contains("site_code"))
    }

    @Test func theSameNameTwiceIsADuplicate() {
        #expect(throws: WardListHeader.Problem.duplicateColumn(.wardCode, names: ["ward_code", "Ward_Code"])) {
            try WardListHeader(names: ["site_code", "ward_code", "admission_date", "nhs_number", "Ward_Code"])
        }
    }

    @Test func extraColumnsAreIgnoredAndListed() throws {
        let header = try WardListHeader(names: ["site_code", "Consultant", "ward_code", "admission_date", "nhs_number", " Bed ", ""])
        #expect(header.ignored == ["Consultant", "Bed"])
        #expect(header.positions == [.siteCode: 0, .wardCode: 2, .admissionDate: 3, .nhsNumber: 4])
        #expect(header.fieldCount == 7)
    }
}
