import Testing

@testable import StrandedCore
@testable import WardListImport

@Suite("Stays extract: reading the file")
struct StayFileTests {
    @Test func readsRowsWithTheNHSNumberFirstAndTabsOrCommas() throws {
        let file =
            "\u{FEFF}Site_Code\tward_code\tnhs_number\tlocal_patient_id\tadmission_date\tdischarge_date\tdestination\n"
            + "acu1\tAMU\t999 000 0018\tRX1\t30/11/2026\t30/11/2026\tDied\n\n"
            + "ACU1\tAMU\t\tRX2\t2026-12-01\t\t\n"
        let (rows, issues) = try StayFile.read(Array(file.utf8))
        #expect(issues.isEmpty)
        #expect(rows.map(\.line) == [2, 4])
        #expect(rows.map(\.siteCode) == ["ACU1", "ACU1"])
        #expect(rows.map(\.patientKey.stored) == ["N:9990000018", "L:RX2"])
        #expect(rows[0].endedOn == rows[0].admissionDate)
        #expect(rows[0].destination == .died)
        #expect(rows[1].endedOn == nil && rows[1].destination == nil)
    }

    @Test func refusesAFileWithoutTheColumnsItNeeds() {
        #expect(throws: StayFile.Unreadable.self) { try StayFile.read(Array("site_code,ward_code,nhs_number\n".utf8)) }
        #expect(throws: StayFile.Unreadable.self) { try StayFile.read(Array("site_code,ward_code,admission_date\n".utf8)) }
        #expect(throws: StayFile.Unreadable.self) {
            try StayFile.read(Array("site_code,ward_code,admission_date,nhs_number,discharged\n".utf8))
        }
    }

    @Test func namesTheLineAndColumnOfEachProblem() throws {
        let file = """
            site_code,ward_code,nhs_number,local_patient_id,admission_date,discharge_date,destination
            ACU1,,9990000018,,2026-12-01,,
            ACU1,AMU,,,2026-12-01,,
            ACU1,AMU,9990000026,,2026-13-01,,
            ACU1,AMU,9990000026,,2026-12-01,,usual-residence
            ACU1,AMU,9990000034,,2026-12-01,2026-12-02,
            ACU1,AMU,999 000 0034,,01/12/2026,,
            """
        let (rows, issues) = try StayFile.read(Array(file.utf8))
        #expect(rows.map(\.line) == [6])
        #expect(issues.map(\.line) == [2, 3, 4, 5, 7])
        #expect(issues.map(\.column) == ["ward_code", nil, "admission_date", "destination", nil])
        #expect(issues.last?.reason.contains("line 6") == true)
    }
}
