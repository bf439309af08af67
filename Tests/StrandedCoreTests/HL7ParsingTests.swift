import Foundation
import StrandedCore
import Testing

@Suite("HL7 v2 parsing and ADT mapping")
struct HL7ParsingTests {
    /// A 2.3 admission in the shape an older PAS sends: line feeds between
    /// segments, the NHS number as the second identifier, a Z-segment, an
    /// escaped separator in the ward name.
    static let admission23 = [
        "MSH|^~\\&|PAS|ACU1|STRANDED|STRANDED|202501060930||ADT^A01|MSG0001|P|2.3",
        "EVN|A01|202501060925",
        "PID|1||H123456^^^ACU1^MR~9990000018^^^NHS^NH||SMITH\\S\\JONES^JO^^^MRS||19400102|F",
        "PV1|1|I|W1^R2^B3^ACU1||||||||||||||||V100|||||||||||||||||19||||||||202501060900",
        "ZPV|anything|at all",
    ].joined(separator: "\n")

    @Test func segmentsSplitOnEitherSeparatorAndFieldsNumberAsTheStandard() throws {
        for separator in ["\r", "\n", "\r\n"] {
            let message = try HL7Message(parsing: Self.admission23.replacingOccurrences(of: "\n", with: separator))
            #expect(message.segments.map(\.name) == ["MSH", "EVN", "PID", "PV1", "ZPV"])
            #expect(message.value("MSH", 1) == "|")
            #expect(message.value("MSH", 2) == "^~\\&")
            #expect(message.value("MSH", 10) == "MSG0001")
            #expect(message.value("PID", 3, component: 1, repetition: 2) == "9990000018")
            #expect(message.value("PID", 5) == "SMITH^JONES")  // \S\ is the component separator, as text
            #expect(message.value("PV1", 3, component: 4) == "ACU1")
        }
    }

    @Test func delimitersComeFromTheMessage() throws {
        let message = try HL7Message(parsing: "MSH#*!/%#PAS#ACU1\rPID#1##A*B!C*D#X/F/Y")
        #expect(message.value("PID", 3, component: 2) == "B")
        #expect(message.value("PID", 3, component: 2, repetition: 2) == "D")
        #expect(message.value("PID", 4) == "X#Y")
    }

    @Test func escapes() throws {
        let message = try HL7Message(parsing: "MSH|^~\\&|A\rNTE|1|\\F\\\\R\\\\E\\\\T\\x\\.br\\y\\X4142\\\\H\\z")
        #expect(message.value("NTE", 2) == "|~\\&x\nyABz")
    }

    @Test func notAMessage() {
        #expect(throws: HL7ParseError.self) { try HL7Message(parsing: "PID|1") }
        #expect(throws: HL7ParseError.self) { try HL7Message(parsing: "MSH|^^~\\&|A") }
    }

    @Test func admissionMaps() throws {
        let event = try ADTEvent(message: HL7Message(parsing: Self.admission23))
        #expect(event.trigger == .admit)
        #expect(event.controlID == "MSG0001")
        #expect(event.sendingFacility == "ACU1")
        #expect(event.nhsNumber?.digits == "9990000018")
        #expect(event.localPatientID == "H123456")
        #expect(event.familyName == "SMITH^JONES")
        #expect(event.givenName == "JO")
        #expect(event.dateOfBirth == CalendarDate(year: 1940, month: 1, day: 2))
        #expect(event.location == BedLocation(ward: "W1", room: "R2", bed: "B3", facility: "ACU1"))
        #expect(event.visitNumber == "V100")
        #expect(event.dischargeDisposition == "19")
        #expect(event.admitTime == HL7Time.date("202501060900"))
        #expect(event.eventTime == HL7Time.date("202501060925"))
        #expect(event.isInpatient)
    }

    @Test func eventTimePrefersEVN6() throws {
        let text = ADTMessageText.make(.transfer, controlID: "1", at: HL7Time.date("20250107120000")!, nhsNumber: "9990000018", visit: "V1", ward: "W2")
            .replacingOccurrences(of: "EVN|A02|20250107120000||||20250107120000", with: "EVN|A02|20250107130000||||20250107110000")
        #expect(try ADTEvent(message: HL7Message(parsing: text)).eventTime == HL7Time.date("20250107110000"))
    }

    @Test func timesWithOffsetsAndLondonClock() {
        #expect(HL7Time.date("202507011200+0100") == HL7Time.date("202507011200"))  // BST
        #expect(HL7Time.date("202501011200+0000") == HL7Time.date("202501011200"))  // GMT
        #expect(HL7Time.date("20250101") != nil)
        #expect(HL7Time.date("2025013") == nil)
        #expect(HL7Time.date("20250230") == nil)
    }

    @Test func problemsNameTheField() throws {
        func problem(_ text: String) throws -> ADTProblem? {
            let message = try HL7Message(parsing: text)
            do {
                _ = try ADTEvent(message: message)
                return nil
            } catch { return error }
        }
        let good = Self.admission23
        #expect(try problem(good.replacingOccurrences(of: "ADT^A01", with: "ORU^R01"))?.field == "MSH-9")
        #expect(try problem(good.replacingOccurrences(of: "ADT^A01", with: "ADT^A31")).map { ($0.field, $0.reject, $0.code) } ?? ("", false, 0) == ("MSH-9", true, 201))
        #expect(try problem(good.replacingOccurrences(of: "|P|2.3", with: "|P|2.6")).map { ($0.field, $0.code) } ?? ("", 0) == ("MSH-12", 203))
        #expect(try problem(good.replacingOccurrences(of: "|V100|", with: "||"))?.field == "PV1-19")
        #expect(try problem(good.replacingOccurrences(of: "W1^R2^B3^ACU1", with: ""))?.field == "PV1-3")
        #expect(try problem(good.replacingOccurrences(of: "9990000018", with: "9990000017"))?.field == "PID-3")
        #expect(try problem(good.replacingOccurrences(of: "H123456^^^ACU1^MR~9990000018^^^NHS^NH", with: ""))?.field == "PID-3")
        #expect(try problem(good.replacingOccurrences(of: "19400102", with: "1940XX02"))?.field == "PID-7")
        let reason = try problem(good.replacingOccurrences(of: "9990000018", with: "9990000017"))?.reason ?? ""
        #expect(!reason.contains("999000001"))  // no patient data in what goes back or is stored
    }

    @Test func acknowledgements() throws {
        let message = try HL7Message(parsing: Self.admission23)
        let now = HL7Time.date("20250106093001")!
        let accept = HL7Acknowledgement.build(for: message, code: .accept, controlID: "ACK1", now: now)
        #expect(accept == "MSH|^~\\&|STRANDED|STRANDED|PAS|ACU1|20250106093001||ACK^A01^ACK|ACK1|P|2.3\rMSA|AA|MSG0001\r")
        let problem = ADTProblem(field: "PV1-19", reason: "the visit number (hospital spell) is required")
        let error = try HL7Message(parsing: HL7Acknowledgement.build(for: message, code: .error, problem: problem, controlID: "ACK2", now: now))
        #expect(error.value("MSA", 1) == "AE")
        #expect(error.value("ERR", 1) == "PV1")
        #expect(error.value("ERR", 1, component: 3) == "19")
        let v25 = try HL7Message(parsing: Self.admission23.replacingOccurrences(of: "|P|2.3", with: "|P|2.5.1"))
        let reject = try HL7Message(parsing: HL7Acknowledgement.build(for: v25, code: .reject, problem: problem, controlID: "A3", now: now))
        #expect(reject.value("ERR", 2, component: 3) == "19")
        #expect(reject.value("ERR", 3) == "101")
        #expect(reject.value("ERR", 4) == "E")
        #expect(reject.value("ERR", 8) == problem.reason)
    }

    @Test func builtMessagesReadBack() throws {
        for version in ["2.3", "2.4", "2.5.1"] {
            let text = ADTMessageText.make(
                .discharge, controlID: "C9", at: HL7Time.date("202501101000")!, nhsNumber: "9990000018", visit: "V9", ward: "W1", disposition: "54",
                dischargeTime: HL7Time.date("202501100930"), version: version, separator: "\n")
            let event = try ADTEvent(message: HL7Message(parsing: text))
            #expect(event.trigger == .discharge)
            #expect(event.dischargeTime == HL7Time.date("202501100930"))
            #expect(FeedDisposition.destination(event.dischargeDisposition) == .careHome)
        }
    }
}
