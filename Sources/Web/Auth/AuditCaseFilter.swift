import Foundation
import Hummingbird
import Store
import StrandedCore

/// The audit page's `case` filter: a case id (`123`, or the reference `C-000123`)
/// or an NHS number in any spelling (`9998675898`, `999 867 5898`,
/// `999-867-5898`). Ten digits that make a valid NHS number are an NHS
/// number (StrandedCore's Modulus 11 rules), whatever the spacing; ten digits
/// that do not are refused as a mistyped NHS number (case ids never reach ten
/// digits in practice; such a case would still be found by its NHS number).
enum AuditCaseFilter {
    static func apply(_ text: String, to query: inout AuditQuery) throws {
        // A form sent by GET encodes spaces as `+`, which the query parser keeps.
        let typed = text.replacingOccurrences(of: "+", with: " ")
        if let number = NHSNumber(typed) {
            query.nhsNumber = number.digits
            return
        }
        let digitCount = typed.filter { $0.isASCII && $0.isNumber }.count
        if digitCount == 10, typed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == " " || $0 == "-") }) {
            // Ten digits are an NHS number mistyped, not a case id. The number
            // itself is not repeated: messages never carry patient identifiers.
            throw HTTPError(
                .badRequest,
                message: "case: the NHS number entered has a wrong check digit; check it against the patient's record and search again"
            )
        }
        if let reference = CaseReference(parsing: typed) {
            query.caseID = reference.caseID
            return
        }
        throw HTTPError(.badRequest, message: "case must be a case id (e.g. 123 or C-000123) or a 10-digit NHS number (e.g. 999 000 0018)")
    }
}
