import StrandedCore
import Testing

@Suite("Scrubbing patient identifiers from free text leaving ward scope")
struct IdentifierScrubberTests {
    // 999 100 0046: synthetic, from the 999 test range, valid check digit.
    @Test(arguments: ["9991000046", "999 100 0046", "999-100-0046", "999.100.0046", "999 100-0046"])
    func nhsNumbersAreRemovedHoweverTheyAreWritten(_ written: String) {
        #expect(NHSNumber(written.filter(\.isNumber)) != nil)
        let scrub = IdentifierScrubber(identifiers: [])
        #expect(scrub("re \(written), please call") == "re [removed], please call")
    }

    @Test func theCallListExampleLosesTheNumberAndTheName() {
        let scrub = IdentifierScrubber(familyName: "Smith", givenName: "Ann", otherIdentifiers: ["9991000046"])
        #expect(scrub("re 999 100 0046, Ann Smith") == "re [removed], [removed] [removed]")
        #expect(scrub("re 999.100.0046, ANN SMITH's daughter") == "re [removed], [removed] [removed]'s daughter")
    }

    @Test func namesGoOnlyAsWholeWords() {
        let scrub = IdentifierScrubber(familyName: "Smith", givenName: "Ann")
        #expect(scrub("Annual review with Smithson; ann agreed") == "Annual review with Smithson; [removed] agreed")
        #expect(scrub("Mrs smith-Jones") == "Mrs [removed]-Jones")
    }

    @Test func multiWordNamesGoWholeAndInParts() {
        let scrub = IdentifierScrubber(familyName: "Brown", givenName: "Mary Ann")
        #expect(scrub("Mary Ann Brown") == "[removed] [removed]")
        #expect(scrub("Ask Mary") == "Ask [removed]")
    }

    @Test func ordinaryNumbersStay() {
        let scrub = IdentifierScrubber(identifiers: [])
        #expect(scrub("LoS 45 days, call 01865 123456 ext 12, v1.2.3") == "LoS 45 days, call 01865 123456 ext 12, v1.2.3")
        #expect(scrub("id 12345678901") == "id 12345678901")
        #expect(scrub("NHS 943 476 5919.") == "NHS [removed].")
    }
}
