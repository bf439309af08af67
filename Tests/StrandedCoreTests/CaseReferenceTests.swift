import Foundation
import StrandedCore
import Testing

@Suite("Case references: one spelling")
struct CaseReferenceTests {
    @Test func referencesArePaddedToSixDigits() {
        #expect(CaseReference(caseID: 157).description == "C-000157")
        #expect(CaseReference(caseID: 1_234_567).description == "C-1234567")
        #expect(CaseReference(caseID: 157).anchor == "C-000157")
    }

    @Test func referencesAreReadInAnySpellingStaffType() {
        #expect(CaseReference(parsing: "C-000157")?.caseID == 157)
        #expect(CaseReference(parsing: " c-157 ")?.caseID == 157)
        #expect(CaseReference(parsing: "157")?.caseID == 157)
        #expect(CaseReference(parsing: "C-") == nil)
        #expect(CaseReference(parsing: "C-0") == nil)
        #expect(CaseReference(parsing: "C-15a") == nil)
    }

    @Test func refusalsNameTheCaseByItsReference() {
        #expect(EscalationRefusal.notEscalated(.level2).message(caseID: 32).hasPrefix("case C-000032 has no open Level 2 escalation"))
    }
}
