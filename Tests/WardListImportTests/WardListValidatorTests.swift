import StrandedCore
import Testing
import WardListImport

// MARK: Fixtures

private let acute = SiteReference(id: 1, code: "RZZ01", setting: "acute")
private let community = SiteReference(id: 2, code: "RZZ02", setting: "community")
private let sites = [acute, community]

private func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

/// Monday 10 March 2025, the snapshot date of most tests; "today" is two days later.
private let snapshot = date("2025-03-10")
private let today = date("2025-03-12")

/// Valid synthetic NHS numbers from the 999 test range, all different.
private let nhs: [String] = (1...200).compactMap { NHSNumber.make(stem: 999_000_000 + $0)?.digits }

private let standardColumns = ["site_code", "ward_code", "nhs_number", "local_patient_id", "admission_date"]

private func makeValidator(
    _ columns: [String] = standardColumns,
    given: CalendarDate? = snapshot,
    today: CalendarDate = today,
    policy: ImportPolicy = ImportPolicy()
) throws -> WardListValidator {
    WardListValidator(header: try WardListHeader(names: columns), sites: sites, givenSnapshotDate: given, today: today, policy: policy)
}

private func record(_ line: Int, _ fields: [String]) -> CSVRecord {
    CSVRecord(fields: fields.map { Array($0.utf8) }, line: line)
}

/// A record in `standardColumns` order.
private func row(
    _ line: Int,
    site: String = "RZZ01",
    ward: String = "W07",
    nhs: String = "",
    local: String = "",
    admitted: String = "2025-03-03"
) -> CSVRecord {
    record(line, [site, ward, nhs, local, admitted])
}

/// A record for `columns` with every required value filled in, plus `values` by column name.
private func record(_ line: Int, columns: [String], _ values: [String: String]) -> CSVRecord {
    let defaults = ["site_code": "RZZ01", "ward_code": "W07", "nhs_number": nhs[line], "admission_date": "2025-03-03"]
    return record(line, columns.map { values[$0] ?? defaults[$0] ?? "" })
}

@Suite("Ward list validator: rows")
struct WardListValidatorRowTests {
    @Test func aValidRowBecomesATypedRow() throws {
        var validator = try makeValidator()
        let result = validator.validate(row(2, site: "rzz01", ward: "W07", nhs: "999 000 0018", local: "H100001", admitted: "2025-03-03"))
        let typed = try #require(result)
        #expect(typed.line == 2)
        #expect(typed.site == acute, "site codes match case-insensitively")
        #expect(typed.wardCode == "W07")
        #expect(typed.nhsNumber?.digits == "9990000018")
        #expect(typed.localPatientID == "H100001")
        #expect(typed.admissionDate == date("2025-03-03"))
        #expect(typed.lengthOfStay == 7)
        #expect(typed.setting == "acute", "no setting column: the site's registered setting")
        #expect(typed.patientKey.stored == "N:9990000018")
        #expect(validator.errors.isEmpty && validator.warnings.isEmpty)
        #expect(validator.dataRows == 1 && validator.invalidRows == 0 && validator.importedRows == 1)
    }

    @Test func valuesAreTrimmed() throws {
        var validator = try makeValidator()
        let result = validator.validate(row(2, site: "  RZZ01 ", ward: " W07\t", nhs: " 999-000-0018 ", admitted: " 2025-03-03 "))
        let typed = try #require(result)
        #expect(typed.wardCode == "W07")
        #expect(typed.nhsNumber?.digits == "9990000018")
    }

    // MARK: Length of stay

    @Test(arguments: [
        ("2025-03-03", "2025-03-10", 7),  // admitted Monday, listed next Monday
        ("2025-03-10", "2025-03-10", 0),  // same day
        ("2025-03-24", "2025-03-31", 7),  // across the clocks going forward
        ("10/02/2025", "2025-03-10", 28),
        ("17/01/2025", "2025-03-10", 52),
        ("2024-02-28", "2024-03-01", 2),  // leap day
    ])
    func lengthOfStayIsSnapshotMinusAdmission(admitted: String, listed: String, days: Int) throws {
        var validator = try makeValidator(given: date(listed), today: date(listed))
        let result = validator.validate(row(2, nhs: nhs[0], admitted: admitted))
        let typed = try #require(result)
        #expect(typed.lengthOfStay == days)
    }

    @Test func theLengthOfStayExampleIsMondayToMonday() {
        #expect(date("2025-03-03").isoWeekday == 1)
        #expect(date("2025-03-10").isoWeekday == 1)
    }

    // MARK: Dates

    @Test(arguments: [
        ("10/03/2025", "2025-03-10"), ("03/10/2024", "2024-10-03"), ("1/3/2025", "2025-03-01"), ("2025-03-01", "2025-03-01"),
        ("2025-03-01 14:22", "2025-03-01"), ("2025-03-01T14:22:00", "2025-03-01"), ("01/03/2025 14:22", "2025-03-01"),
        ("2025-03-01 09:05:59.123", "2025-03-01"),
    ])
    func acceptedAdmissionDates(text: String, iso: String) throws {
        var validator = try makeValidator()
        let result = validator.validate(row(2, nhs: nhs[0], admitted: text))
        let typed = try #require(result)
        #expect(typed.admissionDate == date(iso), "\(text)")
    }

    @Test(arguments: [
        "31/02/2025", "2025-02-30", "10/03/25", "10 March 2025", "2025-3-1", "20250301", "03-10-2025",
        "2025-03-01T14:22:00Z", "2025-03-01 14:22+01:00", "2025-03-01 25:00", "2025-03-01 noon",
    ])
    func unparseableAdmissionDateIsARowError(text: String) throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(4, nhs: nhs[0], admitted: text)) == nil)
        #expect(
            validator.errors == [
                RowIssue(
                    line: 4,
                    column: "admission_date",
                    value: text,
                    reason: "admission_date \"\(text)\" is not a date; use yyyy-mm-dd or dd/mm/yyyy"
                )
            ]
        )
        #expect(validator.invalidRows == 1)
        #expect(validator.fileProblem == nil)
    }

    /// The validator's length of stay is LengthOfStay's, and the first day
    /// LengthOfStay refuses (the day after the snapshot) is the first row error.
    @Test func theValidatorAgreesWithLengthOfStayAroundTheSnapshot() throws {
        let snapshot = date("2025-03-10")
        for offset in -3...2 {
            var validator = try makeValidator(given: snapshot, today: snapshot)
            let admitted = snapshot.adding(days: offset)
            let row = validator.validate(row(2, nhs: nhs[0], admitted: admitted.iso))
            #expect(row?.lengthOfStay == LengthOfStay(admitted: admitted, snapshot: snapshot)?.days, "admitted \(admitted.iso)")
            #expect((row == nil) == (offset > 0), "admitted \(admitted.iso)")
        }
    }

    @Test func admissionAfterTheSnapshotDate() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, nhs: nhs[0], admitted: "2025-03-12")) == nil)
        #expect(
            validator.errors == [
                RowIssue(
                    line: 2,
                    column: "admission_date",
                    value: "2025-03-12",
                    reason: "admission_date 2025-03-12 is after the snapshot date 2025-03-10"
                )
            ]
        )
    }

    @Test(arguments: [
        ("2025-03-10", "2020-03-10", true), ("2025-03-10", "2020-03-09", false), ("2025-03-10", "10/03/2020", true),
        ("2025-03-31", "2020-03-31", true), ("2025-03-31", "2020-03-30", false), ("2025-03-31", "2020-03-29", false),
        ("2024-02-29", "2019-02-28", true), ("2024-02-29", "2019-02-27", false),
    ])
    func admissionMoreThanFiveYearsBeforeTheSnapshot(listed: String, admitted: String, accepted: Bool) throws {
        var validator = try makeValidator(given: date(listed), today: date(listed))
        let result = validator.validate(row(2, nhs: nhs[0], admitted: admitted))
        #expect((result != nil) == accepted, "admitted \(admitted), listed \(listed)")
        if !accepted {
            #expect(validator.errors.first?.reason == "admission_date \(date(admitted).iso) is more than 5 years before \(listed)")
        }
    }

    @Test func theAgeLimitOfAnAdmissionIsConfigurable() throws {
        var policy = ImportPolicy()
        policy.maxYearsBeforeSnapshot = 1
        var validator = try makeValidator(policy: policy)
        #expect(validator.validate(row(2, nhs: nhs[0], admitted: "2024-03-10")) != nil)
        #expect(validator.validate(row(3, nhs: nhs[1], admitted: "2024-03-09")) == nil)
        #expect(validator.errors.first?.reason == "admission_date 2024-03-09 is more than 1 years before 2025-03-10")
    }

    // MARK: NHS number

    @Test func anInvalidCheckDigitIsARowErrorWithTheNumberMasked() throws {
        var validator = try makeValidator()
        // 999 000 456 has check digit 0.
        #expect(NHSNumber("9990004560") != nil)
        #expect(validator.validate(row(5, nhs: "999 000 4567", local: "H1")) == nil)
        #expect(
            validator.errors == [
                RowIssue(
                    line: 5,
                    column: "nhs_number",
                    value: "999 *** 4567",
                    reason: "nhs_number 999 *** 4567 fails the check digit; check the number or leave it empty and give local_patient_id"
                )
            ]
        )
        #expect(!validator.errors.contains { "\($0)".contains("0004567") || "\($0)".contains("000 4567") })
    }

    @Test(arguments: [("99900001", "999 *** 0001"), ("999000001812", "999 *** 1812"), ("12345", "***"), ("999 000 001X", "999 *** 0001")])
    func anNHSNumberOfTheWrongShapeIsARowError(text: String, masked: String) throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, nhs: text)) == nil)
        #expect(validator.errors.map(\.value) == [masked])
        #expect(validator.errors.first?.reason.contains("is not 10 digits") == true)
    }

    @Test func aStemWithNoCheckDigitIsARowError() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, nhs: "9990000001")) == nil)
        #expect(validator.errors.first?.value == "999 *** 0001")
    }

    @Test func aLocalIDOnlyRowIsValid() throws {
        var validator = try makeValidator()
        let result = validator.validate(row(2, local: "H100004"))
        let typed = try #require(result)
        #expect(typed.nhsNumber == nil)
        #expect(typed.patientKey.stored == "L:H100004")
    }

    @Test func noPatientIdentifier() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(3)) == nil)
        #expect(validator.errors == [RowIssue(line: 3, column: nil, value: nil, reason: "row has neither nhs_number nor local_patient_id")])
    }

    // MARK: Same patient twice

    @Test func theSameNHSNumberTwiceMakesBothRowsErrors() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, nhs: "999 000 0018")) != nil, "the first row looks fine when it is read")
        #expect(validator.validate(row(3, nhs: nhs[1])) != nil)
        #expect(validator.validate(row(4, ward: "W09", nhs: "9990000018")) == nil)
        #expect(validator.retractedLines == [2])
        #expect(
            validator.errors == [
                RowIssue(line: 2, column: "nhs_number", value: "999 *** 0018", reason: "patient also on line 4"),
                RowIssue(line: 4, column: "nhs_number", value: "999 *** 0018", reason: "patient also on line 2"),
            ]
        )
        #expect(validator.invalidRows == 2)
        #expect(validator.importedRows == 1)
        #expect(validator.quarantinedKeys == [1: ["N:9990000018"]])
    }

    @Test func theSameNHSNumberAtTwoSitesIsADuplicateAndQuarantinedAtBoth() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, site: "RZZ01", nhs: nhs[0])) != nil)
        #expect(validator.validate(row(3, site: "RZZ02", nhs: nhs[0])) == nil)
        #expect(validator.retractedLines == [2])
        #expect(validator.invalidRows == 2)
        #expect(validator.quarantinedKeys == [1: ["N:\(nhs[0])"], 2: ["N:\(nhs[0])"]])
    }

    @Test func aThirdOccurrenceRetractsTheFirstOnlyOnce() throws {
        var validator = try makeValidator()
        _ = validator.validate(row(2, nhs: nhs[0]))
        _ = validator.validate(row(3, nhs: nhs[0]))
        _ = validator.validate(row(4, nhs: nhs[0]))
        #expect(validator.retractedLines == [2])
        #expect(validator.invalidRows == 3)
        #expect(validator.errors.map(\.line).sorted() == [2, 3, 4])
        #expect(validator.errors.filter { $0.line == 4 }.map(\.reason) == ["patient also on line 2"])
    }

    @Test func aDuplicateOfARowThatAlreadyHadErrorsIsNotCountedTwice() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, nhs: nhs[0], admitted: "not a date")) == nil)
        #expect(validator.validate(row(3, nhs: nhs[0])) == nil)
        #expect(validator.invalidRows == 2)
        #expect(validator.retractedLines.isEmpty, "line 2 was never accepted, so there is nothing to take back")
        #expect(validator.errors.map(\.line) == [2, 2, 3])
    }

    @Test func theSameNHSNumberAsARowWithAnUnknownSiteIsStillADuplicate() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, site: "RZZ09", nhs: nhs[0])) == nil)
        #expect(validator.validate(row(3, site: "RZZ01", nhs: nhs[0])) == nil)
        #expect(validator.invalidRows == 2)
        #expect(validator.errors.contains { $0.line == 3 && $0.reason == "patient also on line 2" })
    }

    @Test func theSameLocalIDAtTheSameSiteIsADuplicate() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, local: "H100001")) != nil)
        #expect(validator.validate(row(3, ward: "W09", local: "H100001")) == nil)
        #expect(validator.retractedLines == [2])
        #expect(validator.errors.map(\.column) == ["local_patient_id", "local_patient_id"])
        #expect(validator.errors.map(\.value) == ["H100001", "H100001"])
        #expect(validator.quarantinedKeys == [1: ["L:H100001"]])
    }

    @Test func theSameLocalIDAtTwoSitesIsTwoPatients() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, site: "RZZ01", local: "H100001")) != nil)
        #expect(validator.validate(row(3, site: "RZZ02", local: "H100001")) != nil)
        #expect(validator.errors.isEmpty)
    }

    // MARK: Site, required values, field count

    @Test func anUnknownSiteIsARowError() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(2, site: "RZZ09", nhs: nhs[0])) == nil)
        #expect(validator.errors.count == 1)
        #expect(validator.errors.first?.column == "site_code")
        #expect(validator.errors.first?.value == "RZZ09")
        #expect(validator.errors.first?.reason.hasPrefix("site \"RZZ09\" is not registered") == true)
        #expect(validator.quarantinedPatients.isEmpty, "no site to hold the patient at")
    }

    @Test(arguments: ["site_code", "ward_code", "admission_date"])
    func aRequiredValueMissing(column: String) throws {
        var validator = try makeValidator()
        let blank = column == "ward_code" ? " " : ""
        #expect(validator.validate(record(2, columns: standardColumns, [column: blank])) == nil)
        #expect(validator.errors == [RowIssue(line: 2, column: column, value: nil, reason: "required value missing")])
    }

    @Test func aShortRowIsPaddedWithEmptyValues() throws {
        var validator = try makeValidator(["site_code", "ward_code", "admission_date", "nhs_number", "specialty", "delay_reason"])
        let result = validator.validate(record(2, ["RZZ01", "W07", "2025-03-03", nhs[0]]))
        let typed = try #require(result)
        #expect(typed.specialty == nil && typed.delayReason == nil)
        #expect(validator.validate(record(3, ["RZZ01", "W07"])) == nil)
        #expect(validator.errors.contains(RowIssue(line: 3, column: "admission_date", value: nil, reason: "required value missing")))
    }

    @Test func tooManyFields() throws {
        var validator = try makeValidator()
        #expect(validator.validate(record(2, ["RZZ01", "W07", nhs[0], "", "2025-03-03", "extra"])) == nil)
        #expect(validator.errors == [RowIssue(line: 2, column: nil, value: nil, reason: "row has 6 fields, header has 5")])
    }

    @Test func everyErrorOfARowIsReported() throws {
        var validator = try makeValidator()
        #expect(validator.validate(row(7, site: "RZZ09", ward: "", nhs: "9990004567", admitted: "2026-01-01")) == nil)
        #expect(validator.errors.map(\.column) == ["site_code", "ward_code", "nhs_number", "admission_date"])
        #expect(validator.errors.allSatisfy { $0.line == 7 })
        #expect(validator.invalidRows == 1)
        #expect(validator.errorCount == 4)
    }

    @Test func quarantinedPatientsHoldTheKeyOfARowWithErrors() throws {
        var validator = try makeValidator()
        _ = validator.validate(row(2, site: "RZZ01", nhs: "999 000 0018", admitted: "31/02/2025"))
        _ = validator.validate(row(3, site: "RZZ02", ward: "", local: "C7"))
        _ = validator.validate(row(4, site: "RZZ01", nhs: nhs[3]))
        #expect(validator.quarantinedKeys == [1: ["N:9990000018"], 2: ["L:C7"]])
    }

    @Test func textThatIsNotUTF8RefusesTheFile() throws {
        var validator = try makeValidator()
        let bad = CSVRecord(fields: [Array("RZZ01".utf8), [0x57, 0xE9, 0x37], Array(nhs[0].utf8), [], Array("2025-03-03".utf8)], line: 9)
        #expect(validator.validate(bad) == nil)
        #expect(validator.fileProblem == .notUTF8(line: 9, byte: nil))
    }

    @Test func issuesKeptInTheReportAreCappedButCounted() throws {
        var policy = ImportPolicy()
        policy.maxIssuesReported = 2
        var validator = try makeValidator(policy: policy)
        for line in 2...5 { _ = validator.validate(row(line, nhs: nhs[line], admitted: "x")) }
        #expect(validator.errors.count == 2)
        #expect(validator.errorCount == 4)
        #expect(validator.invalidRows == 4)
    }
}

@Suite("Ward list validator: warnings")
struct WardListValidatorWarningTests {
    static let columns =
        standardColumns + [
            "date_of_birth", "age", "setting", "discharge_ready_date", "expected_discharge_date", "discharge_pathway", "length_of_stay",
            "specialty", "family_name",
        ]

    @Test(arguments: [
        ("expected_discharge_date", "soon", "soon"),
        ("expected_discharge_date", "31/02/2025", "31/02/2025"),
        ("discharge_ready_date", "2025-03-01", "2025-03-01"),  // before the admission on 3 March
        ("discharge_pathway", "4", "4"),
        ("discharge_pathway", "P5", "P5"),
        ("setting", "hospice", "hospice"),
        ("age", "131", "131"),
        ("age", "-1", "-1"),
        ("age", "eighty", "eighty"),
        ("date_of_birth", "1948-13-01", "***"),
        ("date_of_birth", "2025-03-04", "***"),  // after the admission
        ("length_of_stay", "8", "8"),
    ])
    func aBadOptionalValueIsAWarningNotAnError(column: String, value: String, shown: String) throws {
        var validator = try makeValidator(Self.columns)
        let result = validator.validate(record(2, columns: Self.columns, [column: value]))
        let typed = try #require(result)
        #expect(validator.errors.isEmpty)
        #expect(validator.invalidRows == 0)
        #expect(validator.warnings.count == 1)
        let warning = try #require(validator.warnings.first)
        #expect(warning.line == 2 && warning.column == column && warning.value == shown)
        #expect(typed.lengthOfStay == 7)
        #expect(typed.expectedDischargeDate == nil && typed.dischargeReadyDate == nil && typed.dischargePathway == nil)
        #expect(typed.age == nil && typed.dateOfBirth == nil && typed.setting == "acute")
    }

    @Test func aDateOfBirthIsNeverEchoed() throws {
        var validator = try makeValidator(Self.columns)
        _ = validator.validate(record(2, columns: Self.columns, ["date_of_birth": "1948-02-30"]))
        _ = validator.validate(record(3, columns: Self.columns, ["date_of_birth": "2025-03-04"]))
        #expect(validator.warnings.count == 2)
        #expect(!validator.warnings.contains { "\($0)".contains("1948") || "\($0)".contains("2025-03-04") })
    }

    @Test func goodOptionalValuesAreKept() throws {
        var validator = try makeValidator(Self.columns)
        let result = validator.validate(
            record(
                2,
                columns: Self.columns,
                [
                    "date_of_birth": "02/01/1940", "age": "85", "setting": "Community", "discharge_ready_date": "2025-03-08",
                    "expected_discharge_date": "2025-03-14", "discharge_pathway": "P3", "length_of_stay": "7", "specialty": "Geriatric medicine",
                    "family_name": "Example",
                ]
            )
        )
        let typed = try #require(result)
        #expect(validator.warnings.isEmpty)
        #expect(typed.dateOfBirth == date("1940-01-02"))
        #expect(typed.age == 85)
        #expect(typed.setting == "community")
        #expect(typed.dischargeReadyDate == date("2025-03-08"))
        #expect(typed.expectedDischargeDate == date("2025-03-14"))
        #expect(typed.dischargePathway == 3)
        #expect(typed.specialty == "Geriatric medicine")
        #expect(typed.familyName == "Example")
    }

    @Test(arguments: [("0", 0), ("3", 3), ("P2", 2), ("p0", 0), ("Pathway 1", 1), ("pathway2", 2)])
    func dischargePathwayForms(text: String, pathway: Int) throws {
        var validator = try makeValidator(Self.columns)
        let result = validator.validate(record(2, columns: Self.columns, ["discharge_pathway": text]))
        let typed = try #require(result)
        #expect(typed.dischargePathway == pathway)
        #expect(validator.warnings.isEmpty)
    }

    @Test func aLengthOfStayMismatchIsAWarningAndTheComputedValueIsUsed() throws {
        var validator = try makeValidator(Self.columns)
        let result = validator.validate(record(2, columns: Self.columns, ["length_of_stay": "8"]))
        let typed = try #require(result)
        #expect(typed.lengthOfStay == 7)
        #expect(
            validator.warnings == [
                RowIssue(
                    line: 2,
                    column: "length_of_stay",
                    value: "8",
                    reason: "length_of_stay 8 differs from the computed 7 days (snapshot date − admission date); the computed value is used"
                )
            ]
        )
    }

    @Test func warningsNeverCountTowardsTheThreshold() throws {
        var validator = try makeValidator(Self.columns)
        for line in 2...21 {
            #expect(validator.validate(record(line, columns: Self.columns, ["length_of_stay": "99", "setting": "?"])) != nil)
        }
        validator.finish()
        #expect(validator.fileProblem == nil)
        #expect(validator.warningCount == 40)
        #expect(validator.importedRows == 20)
    }
}

@Suite("Ward list validator: the file")
struct WardListValidatorFileTests {
    static let withSnapshotColumn = standardColumns + ["snapshot_date"]

    func snapshotRow(_ line: Int, _ snapshotDate: String) -> CSVRecord {
        record(line, ["RZZ01", "W07", nhs[line], "", "2025-03-03", snapshotDate])
    }

    @Test func theSnapshotDateComesFromTheColumn() throws {
        var validator = try makeValidator(Self.withSnapshotColumn, given: nil)
        #expect(validator.snapshotDate == nil)
        #expect(validator.validate(snapshotRow(2, "2025-03-10")) != nil)
        #expect(validator.validate(snapshotRow(3, "10/03/2025")) != nil, "the same date written the UK way")
        #expect(validator.validate(snapshotRow(4, "2025-03-10 00:00")) != nil)
        validator.finish()
        #expect(validator.fileProblem == nil)
        #expect(validator.snapshotDate == snapshot)
    }

    @Test func theSnapshotDateGivenWithTheImportIsUsedWithoutAColumn() throws {
        var validator = try makeValidator(given: snapshot)
        #expect(validator.snapshotDate == snapshot)
        #expect(validator.validate(row(2, nhs: nhs[0])) != nil)
    }

    @Test func mixedSnapshotDates() throws {
        var validator = try makeValidator(Self.withSnapshotColumn, given: nil)
        #expect(validator.validate(snapshotRow(2, "2025-03-10")) != nil)
        #expect(validator.validate(snapshotRow(3, "2025-03-10")) != nil)
        #expect(validator.validate(snapshotRow(4, "2025-03-03")) == nil)
        let problem = try #require(validator.fileProblem)
        guard case .mixedSnapshotDates(let dates) = problem else {
            Issue.record("got \(problem)")
            return
        }
        #expect(dates.map(\.date) == ["2025-03-10", "2025-03-03"])
        #expect(dates.map(\.line) == [2, 4])
        #expect(problem.description.contains("2025-03-10 first on line 2"))
        #expect(problem.description.contains("2025-03-03 first on line 4"))
    }

    @Test func aBlankSnapshotDateOnSomeRows() throws {
        var validator = try makeValidator(Self.withSnapshotColumn, given: nil)
        #expect(validator.validate(snapshotRow(2, "2025-03-10")) != nil)
        #expect(validator.validate(snapshotRow(3, "")) == nil)
        #expect(validator.fileProblem?.description.contains("(blank) first on line 3") == true)
    }

    @Test func aBlankSnapshotDateOnTheFirstRow() throws {
        var validator = try makeValidator(Self.withSnapshotColumn, given: snapshot)
        #expect(validator.validate(snapshotRow(2, "")) == nil)
        #expect(validator.fileProblem?.description.contains("(blank) first on line 2") == true)
    }

    @Test func anUnreadableSnapshotDate() throws {
        var validator = try makeValidator(Self.withSnapshotColumn, given: nil)
        #expect(validator.validate(snapshotRow(2, "10/03/25")) == nil)
        #expect(validator.fileProblem == .unreadableSnapshotDate(line: 2, value: "10/03/25"))
    }

    @Test func theColumnAndTheGivenDateDisagree() throws {
        var validator = try makeValidator(Self.withSnapshotColumn, given: date("2025-03-03"))
        #expect(validator.validate(snapshotRow(2, "2025-03-10")) == nil)
        #expect(validator.fileProblem == .snapshotDateDisagrees(inFile: snapshot, given: date("2025-03-03")))
        #expect(validator.fileProblem?.description.contains("2025-03-10") == true)
        #expect(validator.fileProblem?.description.contains("2025-03-03") == true)
    }

    @Test func theColumnAndTheGivenDateAgree() throws {
        var validator = try makeValidator(Self.withSnapshotColumn, given: snapshot)
        #expect(validator.validate(snapshotRow(2, "10/03/2025")) != nil)
        #expect(validator.fileProblem == nil)
    }

    @Test func aSnapshotDateInTheFutureFromTheImport() throws {
        var validator = try makeValidator(given: date("2025-03-13"), today: today)
        #expect(validator.validate(row(2, nhs: nhs[0])) == nil)
        #expect(validator.fileProblem == .snapshotDateInFuture(date("2025-03-13"), today: today))
        #expect(validator.fileProblem?.description.contains("2025-03-13") == true)
    }

    @Test func aSnapshotDateInTheFutureFromTheColumn() throws {
        var validator = try makeValidator(Self.withSnapshotColumn, given: nil, today: date("2025-03-09"))
        #expect(validator.validate(snapshotRow(2, "2025-03-10")) == nil)
        #expect(validator.fileProblem == .snapshotDateInFuture(snapshot, today: date("2025-03-09")))
    }

    @Test func aSnapshotDateOfTodayIsFine() throws {
        var validator = try makeValidator(given: snapshot, today: snapshot)
        #expect(validator.validate(row(2, nhs: nhs[0])) != nil)
        validator.finish()
        #expect(validator.fileProblem == nil)
    }

    @Test func noSnapshotDate() throws {
        var validator = try makeValidator(given: nil)
        #expect(validator.validate(row(2, nhs: nhs[0])) == nil)
        #expect(validator.fileProblem == .noSnapshotDate)
        #expect(FileProblem.noSnapshotDate.description.contains("--snapshot-date"))
    }

    @Test func noDataRows() throws {
        var validator = try makeValidator()
        validator.finish()
        #expect(validator.fileProblem == .noDataRows)
    }

    @Test func noDataRowsAndNoSnapshotDateSaysNoDataRows() throws {
        var validator = try makeValidator(given: nil)
        validator.finish()
        #expect(validator.fileProblem == .noDataRows)
    }

    // MARK: Quarantine threshold

    /// Validates `rows` rows of which the first `bad` have an error, then finishes.
    func run(rows: Int, bad: Int, policy: ImportPolicy = ImportPolicy()) throws -> WardListValidator {
        var validator = try makeValidator(policy: policy)
        for index in 0..<rows {
            _ = validator.validate(row(index + 2, nhs: nhs[index], admitted: index < bad ? "yesterday" : "2025-03-03"))
        }
        validator.finish()
        return validator
    }

    @Test(arguments: [
        (20, 1, true), (20, 2, false), (19, 1, false), (40, 2, true), (41, 2, true), (39, 2, false),
        (100, 5, true), (100, 6, false), (1, 0, true), (1, 1, false),
    ])
    func moreThanFivePercentOfRowsWithErrorsRejectsTheFile(rows: Int, bad: Int, accepted: Bool) throws {
        let validator = try run(rows: rows, bad: bad)
        #expect(validator.invalidRows == bad)
        if accepted {
            #expect(validator.fileProblem == nil, "\(bad) of \(rows)")
            #expect(validator.importedRows == rows - bad)
        } else {
            #expect(validator.fileProblem == .tooManyInvalidRows(invalid: bad, rows: rows, threshold: 0.05), "\(bad) of \(rows)")
        }
    }

    @Test(arguments: [
        (0.10, 20, 2, true), (0.10, 20, 3, false), (0.29, 100, 29, true), (0.29, 100, 30, false),
        (0.07, 100, 7, true), (0, 20, 1, false), (1, 3, 3, true),
    ])
    func theThresholdIsConfigurable(share: Double, rows: Int, bad: Int, accepted: Bool) throws {
        var policy = ImportPolicy()
        policy.maxInvalidShare = share
        let validator = try run(rows: rows, bad: bad, policy: policy)
        #expect((validator.fileProblem == nil) == accepted, "\(bad) of \(rows) at \(share)")
    }

    @Test func theThresholdMessageGivesTheShareAndTheLimit() {
        let problem = FileProblem.tooManyInvalidRows(invalid: 2, rows: 20, threshold: 0.05)
        #expect(problem.description.hasPrefix("2 of 20 data rows (10%) have errors, more than the 5% allowed"))
    }

    @Test func duplicatesCountTowardsTheThreshold() throws {
        var validator = try makeValidator()
        for index in 0..<20 { _ = validator.validate(row(index + 2, nhs: nhs[index == 19 ? 0 : index])) }
        validator.finish()
        #expect(validator.invalidRows == 2)
        #expect(validator.fileProblem == .tooManyInvalidRows(invalid: 2, rows: 20, threshold: 0.05))
    }
}

@Suite("Ward list: the contract's examples end to end")
struct WardListExampleTests {
    /// Parses `text`, reads the header and validates every row.
    func importFile(_ text: String, given: CalendarDate?) throws -> (rows: [WardListRow], validator: WardListValidator, header: WardListHeader) {
        let records = try parseCSV(Array(text.utf8)).records
        let header = try WardListHeader(names: records[0].fields)
        var validator = WardListValidator(header: header, sites: sites, givenSnapshotDate: given, today: today)
        var rows: [WardListRow] = []
        for parsed in records.dropFirst() {
            if let typed = validator.validate(record(parsed.line, parsed.fields)) { rows.append(typed) }
        }
        validator.finish()
        return (rows, validator, header)
    }

    @Test func theCommaSeparatedCensus() throws {
        let text = """
            Site Code,Ward Code,Ward Name,NHS Number,Local Patient ID,Admission Date,Expected Discharge Date,Discharge Pathway,Delay Reason
            RZZ01,W07,"Ward 7, Respiratory",999 000 0018,H100001,2025-03-03,2025-03-14,1,care package at home
            RZZ01,W07,"Ward 7, Respiratory",999-000-0026,H100002,10/02/2025,,P3,nursing home
            RZZ01,W09,"Chiltern ""B"" ward",9990000034,H100003,2025-03-08,,,
            RZZ01,W09,"Chiltern ""B"" ward",,H100004,17/01/2025,2025-03-12,2,

            """
        let (rows, validator, _) = try importFile(text, given: snapshot)
        #expect(validator.fileProblem == nil)
        #expect(validator.errors.isEmpty && validator.warnings.isEmpty)
        #expect(rows.map(\.lengthOfStay) == [7, 28, 2, 52])
        #expect(rows.map(\.line) == [2, 3, 4, 5])
        #expect(rows.map(\.wardName) == ["Ward 7, Respiratory", "Ward 7, Respiratory", "Chiltern \"B\" ward", "Chiltern \"B\" ward"])
        #expect(rows.map(\.dischargePathway) == [1, 3, nil, 2])
        #expect(rows.map(\.patientKey.stored) == ["N:9990000018", "N:9990000026", "N:9990000034", "L:H100004"])
    }

    @Test func theTabSeparatedLongStayList() throws {
        let text =
            "site\tward\tnhs no\tadmitted\tlos\tsnapshot_date\tsetting\r\n"
            + "RZZ02\tOAK\t9990000042\t2025-02-14\t24\t2025-03-10\tcommunity\r\n"
            + "RZZ02\tOAK\t9990000050\t03/03/2025\t7\t2025-03-10\tcommunity\r\n"
            + "RZZ02\tELM\t9990000069\t2025-01-02\t67\t2025-03-10\tcommunity\r\n"
        let (rows, validator, _) = try importFile(text, given: nil)
        #expect(validator.fileProblem == nil)
        #expect(validator.snapshotDate == snapshot)
        #expect(validator.errors.isEmpty && validator.warnings.isEmpty)
        #expect(rows.map(\.lengthOfStay) == [24, 7, 67])
        #expect(rows.allSatisfy { $0.site == community && $0.setting == "community" })
    }

    @Test func aHeaderWithExtraColumnsListsThemAsIgnored() throws {
        let text = "site_code,ward_code,nhs_number,admission_date,Consultant,Bed\nRZZ01,W07,9990000018,2025-03-03,Dr Example,4\n"
        let (rows, validator, header) = try importFile(text, given: snapshot)
        #expect(header.ignored == ["Consultant", "Bed"])
        #expect(rows.count == 1)
        #expect(validator.warnings.isEmpty)
    }
}

extension WardListValidator {
    /// The quarantined patients as their stored keys: what the database compares.
    fileprivate var quarantinedKeys: [Int64: Set<String>] { quarantinedPatients.mapValues { Set($0.map(\.stored)) } }
}
