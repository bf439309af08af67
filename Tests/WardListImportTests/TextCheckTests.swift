import Testing
import WardListImport

@Suite("Text check: binary and non-UTF-8 files are file errors")
struct TextCheckTests {
    func check(_ bytes: [UInt8], chunkSize: Int = 1 << 20) -> TextCheck.Problem? {
        var check = TextCheck()
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSize)
            bytes[start..<end].withUnsafeBufferPointer { check.update($0) }
            start = end
        }
        check.finish()
        return check.problem
    }

    static let header = Array("site_code,ward_code,nhs_number,admission_date\n".utf8)

    /// Whole words of printable text are passed eight bytes at a time; a
    /// chunk shorter than a word is read byte by byte. Both must find the
    /// same problem at the same line and byte, whatever surrounds it.
    @Test func wordAtATimeFindsWhatByteAtATimeFinds() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("Adams,".utf8), Array("2026-11-01".utf8), [0x0A], [0x0D, 0x0A], [0x0D], [0x09], Array("Zoë".utf8), Array("€".utf8),
            Array("😀".utf8), [0x7F], [0x00], [0x1B], [0xE9], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], Array("a long run of text ".utf8),
        ]
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                // Mostly plain text, as a list is, so problems fall anywhere in a word.
                let plain = Int.random(in: 0..<10, using: &generator) < 7
                bytes += plain ? pieces[[0, 1, 16].randomElement(using: &generator)!] : pieces.randomElement(using: &generator)!
            }
            #expect(check(bytes, chunkSize: 1) == check(bytes), "\(bytes)")
            #expect(check(bytes, chunkSize: 7) == check(bytes, chunkSize: 13), "\(bytes)")
        }
    }

    @Test(arguments: [1, 2, 7, 1 << 20])
    func aNULByteIsBinaryDataAtItsPosition(chunkSize: Int) {
        let bytes = Self.header + Array("ACU1,W1,9990000018,2026-11-01".utf8) + [0] + Array("\n".utf8)
        #expect(check(bytes, chunkSize: chunkSize) == .binary(byte: Self.header.count + 30))
    }

    @Test func aGzipFileIsBinary() {
        #expect(check([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]) == .binary(byte: 1))
    }

    @Test func aSpreadsheetIsBinary() {
        // An .xlsx file is a zip archive: "PK\u{3}\u{4}".
        #expect(check([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]) == .binary(byte: 3))
    }

    @Test(arguments: [1, 3, 1 << 20])
    func windows1252IsNotUTF8AtItsLineAndByte(chunkSize: Int) {
        // "Café" in Windows-1252 on line 3 (CRLF line endings).
        let bytes = Array("a,b\r\nc,d\r\nCaf".utf8) + [0xE9] + Array(",x\r\n".utf8)
        #expect(check(bytes, chunkSize: chunkSize) == .notUTF8(line: 3, byte: 14))
    }

    @Test func overlongFormsAndSurrogatesAreNotUTF8() {
        #expect(check([0x41, 0xC0, 0xAF]) == .notUTF8(line: 1, byte: 2))
        #expect(check([0xED, 0xA0, 0x80]) == .notUTF8(line: 1, byte: 1))
        #expect(check([0xF4, 0x90, 0x80, 0x80]) == .notUTF8(line: 1, byte: 1))
    }

    @Test func aCharacterCutOffAtTheEndIsNotUTF8() {
        #expect(check(Array("a\nb".utf8) + [0xE2, 0x82]) == .notUTF8(line: 2, byte: 4))
    }

    @Test func lineBreaksCountAsTheParserCountsThem() {
        // LF, CRLF and a lone CR each end one line.
        #expect(check(Array("1\n2\r\n3\r4\n".utf8) + [0xFF]) == .notUTF8(line: 5, byte: 10))
    }

    @Test(arguments: [1, 2, 1 << 20])
    func utf8TextWithABOMTabsAndAccentsPasses(chunkSize: Int) {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("site\tward\r\nRZZ01\t\"Chiltern\nWard\" – Zoë 😀\n".utf8)
        #expect(check(bytes, chunkSize: chunkSize) == nil)
    }

    @Test func utf16IsNamedAsSuch() {
        #expect(check([0xFF, 0xFE, 0x73, 0x00]) == .utf16)
    }

    @Test func theMessagesSayWhereAndWhatToDo() {
        #expect(FileProblem.binary(byte: 57).description.hasPrefix("not a text file (binary data at byte 57)"))
        #expect(FileProblem.notUTF8(line: 3, byte: 14).description.hasPrefix("not valid UTF-8 at line 3, byte 14"))
        #expect(FileProblem.notUTF8(line: 3, byte: 14).description.contains("CSV UTF-8"))
    }
}
