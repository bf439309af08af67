import Foundation
import Testing

@testable import StrandedCore

@Suite("NHS number")
struct NHSNumberTests {
    @Test(
        "valid numbers parse, with or without separators",
        arguments: [
            ("943 476 5919", "9434765919"),
            ("9434765919", "9434765919"),
            ("943-476-5919", "9434765919"),
            ("  943 476 5919\t", "9434765919"),
            ("9990000018", "9990000018"),
            ("999 000 0018", "9990000018"),
        ]
    )
    func parsesValid(text: String, digits: String) throws {
        let number = try NHSNumber(parsing: text)
        #expect(number.digits == digits)
    }

    @Test func wrongCheckDigitIsRejected() {
        #expect(throws: NHSNumberError.badCheckDigit(expected: 9, found: 8)) {
            try NHSNumber(parsing: "9434765918")
        }
        #expect(NHSNumber("9434765918") == nil)
    }

    @Test func stemWithCheckDigitTenHasNoValidNumber() {
        #expect(NHSNumber.checkDigit(stem: [9, 9, 9, 0, 0, 0, 0, 0, 0]) == nil)
        #expect(NHSNumber.make(stem: "999000000") == nil)
        #expect(NHSNumber.make(stem: 999_000_000) == nil)
        for last in 0...9 {
            #expect(throws: NHSNumberError.badCheckDigit(expected: nil, found: last)) {
                try NHSNumber(parsing: "999000000\(last)")
            }
        }
    }

    @Test(
        "wrong length is its own error",
        arguments: [
            ("", 0), ("943 476 591", 9), ("94347659190", 11), ("---", 0),
        ]
    )
    func wrongLength(text: String, count: Int) {
        #expect(throws: NHSNumberError.wrongLength(digitCount: count)) {
            try NHSNumber(parsing: text)
        }
    }

    @Test(
        "non-digits are their own error, with the position",
        arguments: [
            ("943 476 591O", "O", 12), ("943.476.5919", ".", 4), ("A434765919", "A", 1),
        ]
    )
    func nonDigit(text: String, character: String, position: Int) {
        #expect(throws: NHSNumberError.nonDigit(character: character, position: position)) {
            try NHSNumber(parsing: text)
        }
    }

    @Test func errorMessagesSayWhatToDo() {
        #expect(NHSNumberError.wrongLength(digitCount: 9).description.contains("exactly 10"))
        #expect(NHSNumberError.badCheckDigit(expected: 9, found: 8).description.contains("expected 9"))
        #expect(NHSNumberError.nonDigit(character: "x", position: 3).description.contains("position 3"))
    }

    @Test func maskedAndFormatted() throws {
        let number = try NHSNumber(parsing: "9434765919")
        #expect(number.formatted == "943 476 5919")
        #expect(number.masked == "943 *** 5919")
        #expect("\(number)" == "943 *** 5919", "interpolation must not leak the whole number")
        #expect(try NHSNumber(parsing: "9990000018").masked == "999 *** 0018")
    }

    @Test func makeFromStemAppendsCheckDigit() throws {
        #expect(NHSNumber.make(stem: "999000001")?.digits == "9990000018")
        #expect(NHSNumber.make(stem: 999_000_001)?.digits == "9990000018")
        #expect(NHSNumber.make(stem: "94347659")?.digits == nil)
        #expect(NHSNumber.make(stem: "9990000x1") == nil)
        #expect(NHSNumber.make(stem: 99_000_001) == nil)
    }

    @Test func everyGeneratedTestRangeNumberParsesBack() throws {
        var made = 0
        for stem in 999_000_000..<999_000_500 {
            guard let number = NHSNumber.make(stem: stem) else { continue }
            made += 1
            #expect(try NHSNumber(parsing: number.formatted) == number)
            #expect(number.digits.hasPrefix(String(stem)))
        }
        // About one stem in eleven has no valid check digit.
        #expect(made > 430 && made < 470)
    }

    @Test func codableValidates() throws {
        let number = try NHSNumber(parsing: "943 476 5919")
        let data = try JSONEncoder().encode([number])
        #expect(String(decoding: data, as: UTF8.self) == #"["9434765919"]"#)
        #expect(try JSONDecoder().decode([NHSNumber].self, from: data) == [number])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([NHSNumber].self, from: Data(#"["9434765918"]"#.utf8))
        }
    }
}
