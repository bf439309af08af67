/// One record of a CSV file: its fields (raw bytes, not yet decoded) and the
/// line on which it starts (the header is line 1).
///
/// The fields share one byte buffer, which the parser reuses from record to
/// record, so a national list costs no allocation per field.
public struct CSVRecord {
    /// Every field's bytes, one after another.
    var bytes: [UInt8]
    /// Where each field ends in `bytes` (it starts where the previous one ends).
    var ends: [Int]
    public var line: Int

    init(bytes: [UInt8], ends: [Int], line: Int) {
        self.bytes = bytes
        self.ends = ends
        self.line = line
    }

    public init(fields: [[UInt8]], line: Int) {
        self.init(bytes: fields.flatMap { $0 }, ends: fields.reduce(into: []) { $0.append(($0.last ?? 0) + $1.count) }, line: line)
    }

    /// The number of fields.
    public var count: Int { ends.count }

    /// The bytes of field `index`.
    public subscript(index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    /// All fields, each copied out: for headers and tests, not the row path.
    public var fields: [[UInt8]] { (0..<count).map { Array(self[$0]) } }
}

public enum CSVError: Error, Equatable, CustomStringConvertible {
    case unterminatedQuote(line: Int)
    case utf16

    public var description: String {
        switch self {
        case .unterminatedQuote(let line):
            return "a quoted field that starts on line \(line) is never closed; check for a stray double quote"
        case .utf16:
            return "the file is UTF-16, not UTF-8; save it as \"CSV UTF-8\""
        }
    }
}

/// A streaming RFC 4180 parser: feed it chunks of any size, it calls back
/// with each complete record. It never holds more than one record in memory.
///
/// Handles a UTF-8 BOM, CRLF or LF (mixed), comma or tab (detected from the
/// header line), quoted fields with delimiters, doubled quotes and line breaks.
public struct CSVParser {
    public private(set) var delimiter: UInt8?
    private var atStart = true
    /// The first bytes, held until it is clear whether they are a byte order
    /// mark (a chunk may end inside one).
    private var startProbe: [UInt8] = []
    private var line = 1
    private var recordLine = 1
    /// The line on which the open quoted field started.
    private var quoteLine = 1
    /// The record being read: its bytes so far and where each finished field ends.
    private var recordBytes: [UInt8] = []
    private var fieldEnds: [Int] = []
    /// Where the open field starts in `recordBytes`.
    private var fieldStart = 0
    private var inQuotes = false
    private var quoteJustClosed = false
    private var fieldWasQuoted = false
    private var lastWasCR = false
    /// Bytes held back until the header line is complete, to detect the delimiter.
    private var headerProbe: [UInt8] = []

    public init(delimiter: UInt8? = nil) {
        self.delimiter = delimiter
    }

    /// Feeds the next chunk. Bytes with the BOM removed are passed to `raw`
    /// (for fingerprinting) before parsing.
    public mutating func feed(
        _ chunk: UnsafeBufferPointer<UInt8>,
        raw: (UnsafeBufferPointer<UInt8>) -> Void = { _ in },
        emit: (CSVRecord) throws -> Void
    ) throws {
        guard atStart else { return try consume(chunk, raw: raw, emit: emit) }
        startProbe.append(contentsOf: chunk)
        let bomLength: Int
        switch Self.byteOrderMark(startProbe) {
        case .undecided: return
        case .utf16: throw CSVError.utf16
        case .utf8(let length): bomLength = length
        }
        atStart = false
        let held = startProbe
        startProbe = []
        try held.withUnsafeBufferPointer { try consume(UnsafeBufferPointer(rebasing: $0[bomLength...]), raw: raw, emit: emit) }
    }

    /// Ends the input: emits the last record, or throws on an open quote.
    public mutating func finish(raw: (UnsafeBufferPointer<UInt8>) -> Void = { _ in }, emit: (CSVRecord) throws -> Void) throws {
        if atStart {
            // Fewer bytes than a BOM in the whole input: they are data.
            atStart = false
            let held = startProbe
            startProbe = []
            try held.withUnsafeBufferPointer { try consume($0, raw: raw, emit: emit) }
        }
        if delimiter == nil {
            delimiter = Self.detectDelimiter(headerProbe[...]) ?? UInt8(ascii: ",")
            let held = headerProbe
            headerProbe = []
            try held.withUnsafeBufferPointer { try parse($0, emit: emit) }
        }
        if inQuotes { throw CSVError.unterminatedQuote(line: quoteLine) }
        if recordBytes.count > fieldStart || !fieldEnds.isEmpty || fieldWasQuoted { try endRecord(emit: emit) }
    }

    private enum ByteOrderMark {
        case undecided, utf16
        case utf8(length: Int)
    }

    /// What the first bytes say about the encoding; undecided while they could
    /// still be the start of a mark.
    private static func byteOrderMark(_ bytes: [UInt8]) -> ByteOrderMark {
        let utf8Mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) { return .utf16 }
        if bytes.starts(with: utf8Mark) { return .utf8(length: 3) }
        if utf8Mark.starts(with: bytes) || bytes == [0xFF] || bytes == [0xFE] { return .undecided }
        return .utf8(length: 0)
    }

    /// Passes BOM-free bytes on: to `raw`, then (once the delimiter is known) to the parser.
    private mutating func consume(
        _ bytes: UnsafeBufferPointer<UInt8>,
        raw: (UnsafeBufferPointer<UInt8>) -> Void,
        emit: (CSVRecord) throws -> Void
    ) throws {
        raw(bytes)
        guard delimiter == nil else { return try parse(bytes, emit: emit) }
        // Hold bytes until the header line ends, then decide tab or comma.
        headerProbe.append(contentsOf: bytes)
        guard let detected = Self.detectDelimiter(headerProbe[...]) else { return }
        delimiter = detected
        let held = headerProbe
        headerProbe = []
        try held.withUnsafeBufferPointer { try parse($0, emit: emit) }
    }

    /// Tab if the header line has a tab outside quotes, comma if the line
    /// ends (a line break outside quotes) without one; nil while undecided.
    static func detectDelimiter(_ header: ArraySlice<UInt8>) -> UInt8? {
        var quoted = false
        for byte in header {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if byte == UInt8(ascii: "\t") { return UInt8(ascii: "\t") }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return UInt8(ascii: ",") }
        }
        return nil
    }

    private mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, emit: (CSVRecord) throws -> Void) throws {
        let delimiter = self.delimiter ?? UInt8(ascii: ",")
        let quote = UInt8(ascii: "\"")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            index += 1
            // The common case, a run of plain bytes inside an unquoted field:
            // found with one scan and appended at once rather than byte by byte.
            if !lastWasCR, !inQuotes, !quoteJustClosed, byte != quote, byte != delimiter, byte != lf, byte != cr {
                let start = index - 1
                while index < count {
                    let next = bytes[index]
                    if next == quote || next == delimiter || next == lf || next == cr { break }
                    index += 1
                }
                recordBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                continue
            }
            if lastWasCR {
                lastWasCR = false
                // CRLF: the CR already ended the record; skip the LF.
                if byte == lf { continue }
            }
            if inQuotes {
                if byte == quote {
                    inQuotes = false
                    quoteJustClosed = true
                } else {
                    if byte == lf { line += 1 }
                    recordBytes.append(byte)
                }
                continue
            }
            if quoteJustClosed {
                quoteJustClosed = false
                if byte == quote {
                    // A doubled quote inside a quoted field.
                    recordBytes.append(quote)
                    inQuotes = true
                    continue
                }
            }
            switch byte {
            case quote where recordBytes.count == fieldStart && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            case delimiter:
                fieldEnds.append(recordBytes.count)
                fieldStart = recordBytes.count
                fieldWasQuoted = false
            case lf:
                try endRecord(emit: emit)
                line += 1
                recordLine = line
            case cr:
                try endRecord(emit: emit)
                line += 1
                recordLine = line
                lastWasCR = true
            default:
                recordBytes.append(byte)
            }
        }
    }

    private mutating func endRecord(emit: (CSVRecord) throws -> Void) throws {
        fieldEnds.append(recordBytes.count)
        fieldWasQuoted = false
        // Blank lines, and lines of only delimiters and spaces, are skipped.
        let blank = recordBytes.allSatisfy { $0 == UInt8(ascii: " ") }
        if !blank { try emit(CSVRecord(bytes: recordBytes, ends: fieldEnds, line: recordLine)) }
        // The emitted record has been let go by now, so the buffers are
        // unique again and keep their capacity.
        recordBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStart = 0
    }
}
