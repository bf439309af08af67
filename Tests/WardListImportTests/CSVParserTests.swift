import Testing
import WardListImport

/// A parsed record in a form that compares and prints well.
struct Parsed: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String]

    init(_ line: Int, _ fields: [String]) {
        self.line = line
        self.fields = fields
    }

    var description: String { "\(line): \(fields)" }
}

/// What the parser made of an input: the delimiter, the records and the bytes it passed to `raw`.
struct ParseResult: Equatable {
    var delimiter: UInt8?
    var records: [Parsed]
    var raw: [UInt8]
}

/// Parses `bytes`, fed in chunks of `chunkSize` bytes (all at once when nil).
func parseCSV(_ bytes: [UInt8], chunkSize: Int? = nil) throws -> ParseResult {
    var parser = CSVParser()
    var records: [Parsed] = []
    var raw: [UInt8] = []
    let emit: (CSVRecord) -> Void = { records.append(Parsed($0.line, $0.fields.map { String(decoding: $0, as: UTF8.self) })) }
    let size = max(1, chunkSize ?? bytes.count)
    var start = 0
    while start < bytes.count {
        let chunk = Array(bytes[start..<min(start + size, bytes.count)])
        try chunk.withUnsafeBufferPointer { try parser.feed($0, raw: { raw += $0 }, emit: emit) }
        start += size
    }
    try parser.finish(raw: { raw += $0 }, emit: emit)
    return ParseResult(delimiter: parser.delimiter, records: records, raw: raw)
}

func parseCSV(_ text: String, chunkSize: Int? = nil) throws -> [Parsed] {
    try parseCSV(Array(text.utf8), chunkSize: chunkSize).records
}

let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
private let comma = UInt8(ascii: ",")
private let tab = UInt8(ascii: "\t")

@Suite("CSV parser")
struct CSVParserTests {
    // MARK: Encoding

    @Test func utf8WithAndWithoutBOMGiveTheSameRecords() throws {
        let text = "site_code,ward_code\nRZZ01,Ward Zoë\n"
        let plain = try parseCSV(Array(text.utf8))
        let marked = try parseCSV(utf8BOM + Array(text.utf8))
        #expect(plain.records == [Parsed(1, ["site_code", "ward_code"]), Parsed(2, ["RZZ01", "Ward Zoë"])])
        #expect(marked.records == plain.records)
        #expect(marked.raw == Array(text.utf8), "the BOM is not passed on for fingerprinting")
    }

    @Test(arguments: [[UInt8]([0xFF, 0xFE]), [0xFE, 0xFF]])
    func utf16ByteOrderMarkIsRefused(mark: [UInt8]) {
        let utf16 = mark + [0x61, 0x00, 0x2C, 0x00, 0x62, 0x00, 0x0A, 0x00]
        #expect(throws: CSVError.utf16) { try parseCSV(utf16) }
        #expect(throws: CSVError.utf16) { try parseCSV(utf16, chunkSize: 1) }
    }

    @Test func utf16ErrorSaysToSaveAsCSVUTF8() {
        #expect(CSVError.utf16.description.contains("CSV UTF-8"))
    }

    @Test(arguments: [[UInt8](), utf8BOM, Array("\n\n".utf8), utf8BOM + Array(",,\r\n".utf8)])
    func inputWithNoContentGivesNoRecords(bytes: [UInt8]) throws {
        #expect(try parseCSV(bytes).records.isEmpty)
    }

    @Test(arguments: [[UInt8]([0xEF]), [0xEF, 0xBB], [0xFF]])
    func aLonePartialByteOrderMarkIsKeptAsData(bytes: [UInt8]) throws {
        // Not dropped silently: it reaches the validator, which refuses it as not UTF-8.
        let result = try parseCSV(bytes)
        #expect(result.records.map(\.line) == [1])
        #expect(result.raw == bytes)
    }

    @Test func shortInputIsNotMistakenForABOM() throws {
        #expect(try parseCSV("a") == [Parsed(1, ["a"])])
        #expect(try parseCSV("ab", chunkSize: 1) == [Parsed(1, ["ab"])])
    }

    // MARK: Line endings

    @Test(arguments: [
        ("LF", "a,b\n1,2\n3,4\n"),
        ("CRLF", "a,b\r\n1,2\r\n3,4\r\n"),
        ("mixed", "a,b\r\n1,2\n3,4\r\n"),
        ("no final line break", "a,b\r\n1,2\n3,4"),
    ])
    func lineEndings(name: String, text: String) throws {
        #expect(try parseCSV(text) == [Parsed(1, ["a", "b"]), Parsed(2, ["1", "2"]), Parsed(3, ["3", "4"])], "\(name)")
    }

    // MARK: Delimiter

    @Test func commaIsTheDefault() throws {
        let result = try parseCSV(Array("a,b\n1,2\n".utf8))
        #expect(result.delimiter == comma)
        #expect(result.records == [Parsed(1, ["a", "b"]), Parsed(2, ["1", "2"])])
    }

    @Test func tabIsDetectedFromTheHeader() throws {
        let result = try parseCSV(Array("site\tward\tnote\nRZZ02\tOAK\tbed 4, window\n".utf8))
        #expect(result.delimiter == tab)
        #expect(result.records == [Parsed(1, ["site", "ward", "note"]), Parsed(2, ["RZZ02", "OAK", "bed 4, window"])])
    }

    @Test func aTabInAQuotedHeaderFieldDoesNotCount() throws {
        let result = try parseCSV(Array("\"odd\tname\",b\n1\t2,3\n".utf8))
        #expect(result.delimiter == comma)
        #expect(result.records == [Parsed(1, ["odd\tname", "b"]), Parsed(2, ["1\t2", "3"])])
    }

    @Test func aTabInADataRowDoesNotMakeACommaFileTabSeparated() throws {
        let result = try parseCSV(Array("a,b\n1\t2,3\n".utf8))
        #expect(result.delimiter == comma)
    }

    @Test func aLineBreakInAQuotedHeaderFieldDoesNotEndTheHeader() throws {
        // The tab after the quoted field is still on the header record.
        let result = try parseCSV(Array("\"two\nlines\"\tb\n1\t2\n".utf8))
        #expect(result.delimiter == tab)
        #expect(result.records == [Parsed(1, ["two\nlines", "b"]), Parsed(3, ["1", "2"])])
    }

    @Test func semicolonIsNotADelimiter() throws {
        #expect(try parseCSV("a;b;c\n1;2;3\n") == [Parsed(1, ["a;b;c"]), Parsed(2, ["1;2;3"])])
    }

    @Test func aDelimiterGivenUpFrontIsUsed() throws {
        var parser = CSVParser(delimiter: UInt8(ascii: ";"))
        var records: [Parsed] = []
        let bytes = Array("a;b\n1;2\n".utf8)
        try bytes.withUnsafeBufferPointer {
            try parser.feed($0) { records.append(Parsed($0.line, $0.fields.map { String(decoding: $0, as: UTF8.self) })) }
        }
        try parser.finish { records.append(Parsed($0.line, $0.fields.map { String(decoding: $0, as: UTF8.self) })) }
        #expect(records == [Parsed(1, ["a", "b"]), Parsed(2, ["1", "2"])])
    }

    // MARK: Quoting

    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let text =
            "ward,name,note\r\n"
            + "W07,\"Ward 7, Respiratory\",plain\r\n"
            + "W09,\"Chiltern \"\"B\"\" ward\",\"first line\r\nsecond line\r\nthird line\"\r\n"
            + "W10,\"\",\"\"\"\"\r\n"
            + "W11,x,y\r\n"
        #expect(
            try parseCSV(text) == [
                Parsed(1, ["ward", "name", "note"]),
                Parsed(2, ["W07", "Ward 7, Respiratory", "plain"]),
                Parsed(3, ["W09", "Chiltern \"B\" ward", "first line\r\nsecond line\r\nthird line"]),
                Parsed(6, ["W10", "", "\""]),
                Parsed(7, ["W11", "x", "y"]),
            ]
        )
    }

    @Test func aQuoteInsideAnUnquotedFieldIsKeptAsIs() throws {
        #expect(try parseCSV("a,b\n5'11\",x\n") == [Parsed(1, ["a", "b"]), Parsed(2, ["5'11\"", "x"])])
    }

    @Test func tabSeparatedQuotedFieldsMayHoldTabs() throws {
        #expect(try parseCSV("a\tb\n\"x\ty\"\tz\n") == [Parsed(1, ["a", "b"]), Parsed(2, ["x\ty", "z"])])
    }

    // MARK: Blank lines

    @Test func blankLinesAndLinesOfOnlyDelimitersAreSkippedWhereverTheyAre() throws {
        let text = "a,b,c\n\n1,2,3\r\n,,\r\n  \n4,5,6\n,,,,\n\r\n\n"
        #expect(try parseCSV(text) == [Parsed(1, ["a", "b", "c"]), Parsed(3, ["1", "2", "3"]), Parsed(6, ["4", "5", "6"])])
    }

    @Test func aRowWithSomeEmptyFieldsIsKept() throws {
        #expect(try parseCSV("a,b,c\n,x,\n") == [Parsed(1, ["a", "b", "c"]), Parsed(2, ["", "x", ""])])
    }

    @Test func shortAndLongRowsKeepTheirOwnFieldCount() throws {
        #expect(try parseCSV("a,b,c\n1\n1,2,3,4\n") == [Parsed(1, ["a", "b", "c"]), Parsed(2, ["1"]), Parsed(3, ["1", "2", "3", "4"])])
    }

    // MARK: Unterminated quote

    @Test func anUnterminatedQuoteNamesTheLineItStartsOn() {
        #expect(throws: CSVError.unterminatedQuote(line: 3)) {
            try parseCSV("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n")
        }
    }

    @Test func anUnterminatedQuoteLaterInAMultiLineRecordNamesItsOwnLine() {
        // The record starts on line 2; the open quote is on line 3.
        #expect(throws: CSVError.unterminatedQuote(line: 3)) {
            try parseCSV("a,b,c\n\"two\nlines\",\"open\n")
        }
    }

    @Test func unterminatedQuoteMessageNamesTheLine() {
        #expect(CSVError.unterminatedQuote(line: 17).description.contains("line 17"))
    }

    // MARK: Chunking

    static let chunkingInputs: [(String, [UInt8])] = [
        (
            "BOM, CRLF and quoted line breaks",
            utf8BOM
                + Array(
                    ("Site Code,Ward Name,NHS Number\r\n"
                        + "RZZ01,\"Ward 7, Respiratory\",999 000 0018\r\n"
                        + "RZZ01,\"Chiltern \"\"B\"\"\r\nward\",9990000026\r\n"
                        + ",,\r\n"
                        + "RZZ01,\"\",\r\n"
                        + "\"RZZ01\",\"x\"\"\",9990000034").utf8
                )
        ),
        ("tab-separated, LF, blank lines", Array("site\tward\t\"nhs\tno\"\n\nRZZ02\t\"OAK\n2\"\t9990000042\n\t\t\nRZZ02\tELM\t\n".utf8)),
        ("CR at the end", Array("a,b\r\n\"1\r\n\",2\r".utf8)),
    ]

    @Test(arguments: chunkingInputs)
    func feedingInChunksOfEverySizeGivesTheSameRecords(name: String, bytes: [UInt8]) throws {
        let whole = try parseCSV(bytes)
        #expect(!whole.records.isEmpty)
        for size in 1...bytes.count {
            let chunked = try parseCSV(bytes, chunkSize: size)
            #expect(chunked == whole, "\(name), chunks of \(size)")
        }
    }

    @Test func chunkingInputsParseAsExpected() throws {
        #expect(
            try parseCSV(Self.chunkingInputs[0].1).records == [
                Parsed(1, ["Site Code", "Ward Name", "NHS Number"]),
                Parsed(2, ["RZZ01", "Ward 7, Respiratory", "999 000 0018"]),
                Parsed(3, ["RZZ01", "Chiltern \"B\"\r\nward", "9990000026"]),
                Parsed(6, ["RZZ01", "", ""]),
                Parsed(7, ["RZZ01", "x\"", "9990000034"]),
            ]
        )
        let tsv = try parseCSV(Self.chunkingInputs[1].1)
        #expect(tsv.delimiter == tab)
        #expect(
            tsv.records == [
                Parsed(1, ["site", "ward", "nhs\tno"]),
                Parsed(3, ["RZZ02", "OAK\n2", "9990000042"]),
                Parsed(6, ["RZZ02", "ELM", ""]),
            ]
        )
        #expect(try parseCSV(Self.chunkingInputs[2].1).records == [Parsed(1, ["a", "b"]), Parsed(2, ["1\r\n", "2"])])
    }

    @Test func anUnterminatedQuoteIsFoundWhateverTheChunkSize() {
        let bytes = Array("a,b\n1,\"x\r\n2,3\n".utf8)
        for size in 1...bytes.count {
            #expect(throws: CSVError.unterminatedQuote(line: 2), "chunks of \(size)") { try parseCSV(bytes, chunkSize: size) }
        }
    }
}
