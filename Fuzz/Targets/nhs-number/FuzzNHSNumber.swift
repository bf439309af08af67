import StrandedCore

// NHS number parsing, as typed into a form or carried in a list: whatever the
// text, it parses or says why; what parses prints back and parses again the same.

func fuzzNHSNumber(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    do {
        let number = try NHSNumber(parsing: text)
        precondition(number.digits.utf8.count == 10 && number.digits.utf8.allSatisfy { (48...57).contains($0) })
        precondition(NHSNumber(number.formatted) == number, "the formatted number does not parse back")
        precondition(NHSNumber(number.digits) == number)
        _ = number.masked
        precondition(NHSNumber.make(stem: number.digits.prefix(9)) == number, "the check digit disagrees with make(stem:)")
    } catch {
        _ = error.description
        precondition(NHSNumber(text) == nil)
    }
    let digits = text.utf8.prefix(9).map { $0 &- 48 }
    if digits.count == 9, digits.allSatisfy({ $0 <= 9 }), let check = NHSNumber.checkDigit(stem: digits) {
        precondition((0...9).contains(check))
    }
    return 0
}
