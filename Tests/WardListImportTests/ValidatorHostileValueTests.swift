import StrandedCore
import Testing
import WardListImport

@Suite("Ward list validator: over-long text, control characters and what messages quote")
struct ValidatorHostileValueTests {
    let site = SiteReference(id: 1, code: "RZZ01", setting: "acute")
    let columns = [
        "site_code", "ward_code", "nhs_number", "admission_date", "ward_name", "spell_id", "family_name", "given_name",
        "admission_method", "specialty",
    ]

    func validate(
        site siteCode: String = "RZZ01",
        ward: String = "W1",
        wardName: String = "",
        spell: String = "",
        family: String = "",
        given: String = "",
        method: String = "",
        specialty: String = ""
    ) throws -> (WardListRow?, WardListValidator) {
        var validator = WardListValidator(
            header: try WardListHeader(names: columns),
            sites: [site],
            givenSnapshotDate: CalendarDate(iso: "2025-03-10"),
            today: CalendarDate(iso: "2025-03-12")!
        )
        let fields = [siteCode, ward, "9990000018", "2025-03-01", wardName, spell, family, given, method, specialty]
        let row = validator.validate(CSVRecord(fields: fields.map { Array($0.utf8) }, line: 2))
        return (row, validator)
    }

    @Test func overlongOptionalTextIsAWarningAndIgnored() throws {
        let (row, validator) = try validate(
            wardName: String(repeating: "N", count: 201),
            spell: String(repeating: "5", count: 65),
            family: String(repeating: "F", count: 201),
            given: String(repeating: "G", count: 201),
            method: String(repeating: "M", count: 65),
            specialty: String(repeating: "S", count: 65)
        )
        let row2 = try #require(row)
        #expect(row2.wardName == nil && row2.spellID == nil && row2.familyName == nil && row2.givenName == nil)
        #expect(row2.admissionMethod == nil && row2.specialty == nil)
        #expect(validator.invalidRows == 0)
        #expect(validator.warnings.map(\.column) == ["ward_name", "spell_id", "family_name", "given_name", "admission_method", "specialty"])
        #expect(validator.warnings[0].reason == "ward_name is longer than 200 characters and was ignored")
        #expect(validator.warnings[1].reason == "spell_id is longer than 64 characters and was ignored")
        // Names are never echoed, not even in part.
        #expect(validator.warnings[2].value == "***" && validator.warnings[3].value == "***")
    }

    @Test func textAtTheLimitIsKept() throws {
        let (row, validator) = try validate(wardName: String(repeating: "N", count: 200), family: String(repeating: "F", count: 200))
        #expect(row?.wardName?.count == 200 && row?.familyName?.count == 200)
        #expect(validator.warningCount == 0)
    }

    @Test(arguments: ["W1\r\nW2", "W\n1", "W\t1", "W\u{0}1", "W\u{202E}1", "W\u{85}1"])
    func aWardCodeWithAControlCharacterIsARowError(ward: String) throws {
        let (row, validator) = try validate(ward: ward)
        #expect(row == nil)
        let error = try #require(validator.errors.first)
        #expect(error.column == "ward_code")
        #expect(error.reason.hasPrefix("ward_code contains a control or invisible character (U+"))
        // Shown with the character made visible, so a report or log line stays one line.
        #expect(error.value?.contains("<U+") == true)
        #expect(error.value?.unicodeScalars.contains(where: { $0.value < 0x20 }) == false)
    }

    @Test func aSiteCodeWithALineBreakIsARowError() throws {
        let (row, validator) = try validate(site: "RZZ\n01")
        #expect(row == nil)
        #expect(validator.errors.first?.column == "site_code")
        #expect(validator.errors.first?.value == "RZZ<U+000A>01")
    }

    @Test func aWardNameWithALineBreakIsAWarningAndIgnored() throws {
        let (row, validator) = try validate(wardName: "Ward 7\r\nRespiratory")
        #expect(row?.wardName == nil)
        #expect(validator.warnings.first?.column == "ward_name")
    }

    @Test func anNHSNumberInTheSiteColumnIsMasked() throws {
        // A shifted column puts a patient's number where the site code should be.
        let (_, validator) = try validate(site: "9991000089")
        let error = try #require(validator.errors.first)
        #expect(error.value == "999 *** 0089")
        #expect(!error.reason.contains("9991000089"))
    }

    @Test func aSnapshotDateThatIsNotADateIsNotQuotedUnlessItCouldBeOne() {
        let name = FileProblem.unreadableSnapshotDate(line: 2, value: "Familyname").description
        #expect(!name.contains("Familyname"))
        let number = FileProblem.unreadableSnapshotDate(line: 2, value: "9991000089").description
        #expect(number.contains("999 *** 0089") && !number.contains("9991000089"))
        #expect(FileProblem.unreadableSnapshotDate(line: 2, value: "2025-13-45").description.contains("\"2025-13-45\""))
        let mixed = FileProblem.mixedSnapshotDates([("2025-03-10", 2), ("Givenname", 3)]).description
        #expect(mixed.contains("2025-03-10") && !mixed.contains("Givenname"))
    }

    @Test func theNoSnapshotDateMessageNamesTheWayInItCameBy() {
        let page = FileProblem.noSnapshotDate.description(snapshotDateGivenBy: "fill in the “Snapshot date” field")
        #expect(page.contains("“Snapshot date”") && !page.contains("--snapshot-date"))
    }

    @Test func aRejectionSummaryEndsItsSentenceOnce() {
        var report = ImportReport(verdict: .rejected, fileName: "a.csv", source: .cli, fingerprint: "", byteCount: 0, maxInvalidShare: 0.05)
        report.fileError = WardListHeader.Problem.firstLineLooksLikeData(missing: ["site_code"]).description
        report.summarise()
        #expect(!report.summary.contains(".."))
        #expect(report.summary.hasSuffix("(Schema/ward-list.md §2). Nothing was imported."))
    }
}
