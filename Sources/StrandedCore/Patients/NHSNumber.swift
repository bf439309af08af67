import Foundation

/// A validated NHS number: ten digits whose last digit is the Modulus 11 check
/// digit of the first nine.
///
/// The NHS number is the key that joins one patient's stays across sites into a
/// journey (DESIGN.md §3), so a mistyped number would silently split or, worse,
/// merge two people. That is why the only ways to obtain a value are parsing
/// (which checks the digit) and ``make(stem:)`` (which computes it): an
/// `NHSNumber` in memory is always well formed, and invalid input is rejected
/// with an ``NHSNumberError`` saying which of the three things was wrong.
public struct NHSNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The ten digits, no separators, e.g. `"9434765919"`.
    public let digits: String

    /// Parses an NHS number as people type or export it.
    ///
    /// Spaces and dashes are allowed anywhere between the digits (`943 476 5919`,
    /// `943-476-5919`) because ward systems and spreadsheets print it grouped
    /// 3-3-4; other whitespace around the value (a trailing tab or a non-breaking
    /// space pasted from a spreadsheet) is ignored too. Anything else is an error.
    ///
    /// Errors are reported in the order a person would fix them: a stray
    /// character first, then the count of digits, then the check digit.
    public init(parsing text: some StringProtocol) throws(NHSNumberError) {
        try self.init(parsing: String(text))
    }

    /// ``init(parsing:)`` for a `String`, what importers hold: not generic, so
    /// a caller in another module runs it specialised (a national list parses
    /// ~90,000 of them).
    public init(parsing text: String) throws(NHSNumberError) {
        var digits: [UInt8] = []
        digits.reserveCapacity(10)
        var position = 0
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (nearly every list): bytes are characters, no grapheme breaking needed.
            for byte in text.utf8 {
                position += 1
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: " ") || (9...13).contains(byte) { continue }
                guard byte >= 48, byte <= 57 else {
                    throw .nonDigit(character: String(UnicodeScalar(byte)), position: position)
                }
                digits.append(byte - 48)
            }
        } else {
            for character in text {
                position += 1
                if character == "-" || character.isWhitespace { continue }
                guard let ascii = character.asciiValue, ascii >= 48, ascii <= 57 else {
                    throw .nonDigit(character: String(character), position: position)
                }
                digits.append(ascii - 48)
            }
        }
        guard digits.count == 10 else { throw .wrongLength(digitCount: digits.count) }
        let found = Int(digits[9])
        guard let expected = NHSNumber.checkDigit(stem: digits.prefix(9)), expected == found else {
            throw .badCheckDigit(expected: NHSNumber.checkDigit(stem: digits.prefix(9)), found: found)
        }
        // The digits back to ASCII in place: no second array.
        for index in digits.indices { digits[index] += 48 }
        self.digits = String(decoding: digits, as: UTF8.self)
    }

    /// Parses like ``init(parsing:)`` but answers nil instead of the reason;
    /// for callers that only need a yes/no (the reason is lost, so importers
    /// should use the throwing initialiser and report it).
    public init?(_ text: some StringProtocol) {
        guard let number = try? NHSNumber(parsing: text) else { return nil }
        self = number
    }

    private init(validatedDigits: String) {
        digits = validatedDigits
    }

    /// The Modulus 11 check digit for a nine-digit stem, or nil when the
    /// computation gives 10: such a stem is never issued, so no valid number
    /// starts with it (e.g. `999000000`).
    ///
    /// Weights 10…2 on the nine digits; check = 11 − (sum mod 11); 11 becomes 0.
    public static func checkDigit(stem: [UInt8]) -> Int? {
        checkDigit(stem: stem[...])
    }

    static func checkDigit(stem: ArraySlice<UInt8>) -> Int? {
        precondition(stem.count == 9, "an NHS number stem has nine digits")
        var sum = 0
        for (index, digit) in stem.enumerated() {
            sum += Int(digit) * (10 - index)
        }
        let check = 11 - sum % 11
        switch check {
        case 11: return 0
        case 10: return nil
        default: return check
        }
    }

    /// Makes a valid number from a nine-digit stem by appending its check
    /// digit; nil when the stem is not exactly nine digits or has no valid
    /// check digit.
    ///
    /// The synthetic-data generator uses this with stems in the `999` range,
    /// which NHS England reserves for testing and never issues to patients, so
    /// demo and test data can never be a real person's number.
    public static func make(stem: some StringProtocol) -> NHSNumber? {
        var digits: [UInt8] = []
        for character in stem {
            guard let ascii = character.asciiValue, ascii >= 48, ascii <= 57 else { return nil }
            digits.append(ascii - 48)
        }
        guard digits.count == 9, let check = checkDigit(stem: digits) else { return nil }
        return NHSNumber(validatedDigits: String(decoding: (digits + [UInt8(check)]).map { $0 + 48 }, as: UTF8.self))
    }

    /// Makes a valid number from a stem given as an integer in
    /// `100_000_000...999_999_999` (e.g. `999_000_001`); nil outside that range
    /// or when the stem has no valid check digit. Convenient for generators that
    /// count through a range.
    public static func make(stem: Int) -> NHSNumber? {
        guard (100_000_000...999_999_999).contains(stem) else { return nil }
        return make(stem: String(stem))
    }

    /// `943 476 5919`: the grouping staff read and write, for screens and
    /// documents that are allowed to show the number.
    public var formatted: String {
        let d = Array(digits)
        return String(d[0..<3]) + " " + String(d[3..<6]) + " " + String(d[6..<10])
    }

    /// `943 *** 5919`: enough to tell two patients apart when reading a log or
    /// an error report, without putting the full identifier into files that
    /// are kept longer and seen more widely than the record itself.
    public var masked: String {
        let d = Array(digits)
        return String(d[0..<3]) + " *** " + String(d[6..<10])
    }

    /// The masked form, so that interpolating a number into a log line or an
    /// error message can never leak it whole by accident. Use ``formatted`` or
    /// ``digits`` deliberately where the full number is meant to be shown.
    public var description: String { masked }

    public static func < (lhs: NHSNumber, rhs: NHSNumber) -> Bool { lhs.digits < rhs.digits }
}

extension NHSNumber: Codable {
    /// Decodes from a string and validates it, so a corrupted stored value or a
    /// bad API payload is refused rather than trusted.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try NHSNumber(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as the ten digits with no separators.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}

/// Why a text is not an NHS number. The three cases are kept apart because each
/// needs a different fix from whoever typed it (DESIGN.md §5: say what was
/// wrong and what to do).
public enum NHSNumberError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A character other than a digit, space or dash, at a 1-based position in
    /// the text as given.
    case nonDigit(character: String, position: Int)
    /// Not ten digits (separators are not counted).
    case wrongLength(digitCount: Int)
    /// Ten digits but the last is not the check digit of the first nine;
    /// `expected` is nil when no check digit can make that stem valid.
    case badCheckDigit(expected: Int?, found: Int)

    public var description: String {
        switch self {
        case let .nonDigit(character, position):
            return "NHS number has \"\(character)\" at position \(position); only digits, spaces and dashes are allowed"
        case let .wrongLength(count):
            return count == 0
                ? "NHS number is empty; enter the 10-digit number"
                : "NHS number has \(count) digit\(count == 1 ? "" : "s"); it must have exactly 10"
        case let .badCheckDigit(expected?, found):
            return "NHS number fails its check digit (last digit is \(found), expected \(expected)); check it for a typing error"
        case .badCheckDigit(nil, _):
            return "NHS number cannot be valid: its first nine digits have no possible check digit; check it for a typing error"
        }
    }
}
