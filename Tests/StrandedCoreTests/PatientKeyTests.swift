import StrandedCore
import Testing

@Suite("Patient key: who a list row is about, and when the site matters")
struct PatientKeyTests {
    let number = NHSNumber("999 000 0018")!

    @Test func theNHSNumberWinsOverALocalID() {
        #expect(PatientKey(nhsNumber: number, localPatientID: "H1")?.stored == "N:9990000018")
        #expect(PatientKey(nhsNumber: nil, localPatientID: "H1")?.stored == "L:H1")
        #expect(PatientKey(nhsNumber: nil, localPatientID: nil) == nil)
    }

    @Test func aLocalIDOfTheSameDigitsIsNotTheNHSNumber() {
        #expect(PatientKey.localPatientID(number.digits) != .nhsNumber(number))
        #expect(PatientKey.localPatientID(number.digits).stored != PatientKey.nhsNumber(number).stored)
    }

    @Test func anNHSNumberIsTheSamePatientAtAnySite() {
        let key = PatientKey.nhsNumber(number)
        #expect(key.acrossSites(siteID: 1) == key.acrossSites(siteID: 2))
        #expect(key.acrossSites(siteID: nil) == key.acrossSites(siteID: 1))
    }

    @Test func aLocalIDIsOnlyTheSamePatientAtItsOwnSite() {
        let key = PatientKey.localPatientID("H1")
        #expect(key.acrossSites(siteID: 1) == key.acrossSites(siteID: 1))
        #expect(key.acrossSites(siteID: 1) != key.acrossSites(siteID: 2))
        #expect(key.acrossSites(siteID: nil) == nil, "a local id at an unknown site matches nothing")
    }
}
