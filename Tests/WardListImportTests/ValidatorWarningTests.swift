import StrandedCore
import Testing
import WardListImport

@Suite("Ward list validator: warnings and limits")
struct ValidatorWarningTests {
    let site = SiteReference(id: 1, code: "RZZ01", setting: "acute")
    let columns = ["site_code", "ward_code", "nhs_number", "local_patient_id", "admission_date", "date_of_birth", "age", "expected_discharge_date"]

    func validate(_ fields: [String]) throws -> (WardListRow?, WardListValidator) {
        var validator = WardListValidator(
            header: try WardListHeader(names: columns),
            sites: [site],
            givenSnapshotDate: CalendarDate(iso: "2025-03-10"),
            today: CalendarDate(iso: "2025-03-12")!
        )
        let row = validator.validate(CSVRecord(fields: fields.map { Array($0.utf8) }, line: 2))
        return (row, validator)
    }

    @Test func theDateOfBirthWinsOverAStaleAgeWithAWarning() throws {
        let (row, validator) = try validate(["RZZ01", "W1", "9990000018", "", "2025-03-01", "1940-03-11", "86", ""])
        #expect(row?.age == 84)
        #expect(validator.warnings.first?.reason.contains("age 86 disagrees with date_of_birth (84") == true)
        #expect(validator.invalidRows == 0)
    }

    @Test func aPastExpectedDischargeDateIsAWarningOnly() throws {
        let (row, validator) = try validate(["RZZ01", "W1", "9990000018", "", "2025-03-01", "", "", "2025-03-07"])
        #expect(row?.expectedDischargeDate == CalendarDate(iso: "2025-03-07"))
        #expect(validator.warnings.first?.column == "expected_discharge_date")
        #expect(validator.warnings.first?.reason.contains("has already passed") == true)
    }

    @Test func overlongCodesAreRowErrors() throws {
        let (row, validator) = try validate(["RZZ01", String(repeating: "W", count: 21), "9990000018", "", "2025-03-01", "", "", ""])
        #expect(row == nil)
        #expect(validator.errors.first?.reason == "ward_code is longer than 20 characters; check the column mapping")
    }
}
