/// Checks, a chunk at a time, that a file is UTF-8 text before any of it is
/// parsed or stored: a binary file (gzip, a spreadsheet, a PDF) or text in
/// another encoding must be a file error naming where it goes wrong, never
/// bytes handed on to PostgreSQL (which refuses a NUL with a server error).
///
/// Binary data is a NUL or a C0 control byte other than tab, line feed and
/// carriage return: no text file written by a spreadsheet or a PAS extract
/// has one. Positions count from 1: byte 1 is the file's first byte (a byte
/// order mark included); lines end at LF, CRLF or a lone CR, as the parser reads them.
public struct TextCheck: Sendable {
    public enum Problem: Error, Equatable, Sendable {
        case binary(byte: Int)
        case notUTF8(line: Int, byte: Int)
        case utf16
    }

    public private(set) var problem: Problem?
    private var offset = 0
    private var line = 1
    private var lastWasCR = false
    /// Continuation bytes still expected, and the allowed range of the next one.
    private var pending = 0
    private var nextLow: UInt8 = 0x80, nextHigh: UInt8 = 0xBF
    /// Where the open multi-byte sequence started, and on which line.
    private var sequenceStart = 0, sequenceLine = 1

    public init() {}

    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard problem == nil else { return }
        if offset == 0, bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            problem = .utf16
            return
        }
        var index = 0
        while index < bytes.count {
            // Eight bytes at a time while they are printable ASCII (most of a
            // list): no line ends, nothing to check byte by byte. Any byte at
            // or above 0x80 sets a top bit; any below 0x20 borrows into its
            // own top bit (the subtraction borrows across bytes only from a
            // byte below 0x20), so a word that passes both has neither.
            if pending == 0, bytes.count - index >= 8 {
                let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                let high: UInt64 = 0x8080_8080_8080_8080
                if word & high == 0, (word &- 0x2020_2020_2020_2020) & ~word & high == 0 {
                    offset += 8
                    lastWasCR = false
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            index += 1
            offset += 1
            if pending > 0 {
                guard byte >= nextLow && byte <= nextHigh else {
                    problem = .notUTF8(line: sequenceLine, byte: sequenceStart)
                    return
                }
                pending -= 1
                nextLow = 0x80
                nextHigh = 0xBF
                continue
            }
            if byte < 0x80 {
                if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                    problem = .binary(byte: offset)
                    return
                }
                if byte == 0x0A {
                    if !lastWasCR { line += 1 }
                } else if byte == 0x0D {
                    line += 1
                }
                lastWasCR = byte == 0x0D
                continue
            }
            lastWasCR = false
            sequenceStart = offset
            sequenceLine = line
            // The lead byte decides the length and, for a few, the range of
            // the next byte (no overlong forms, surrogates or values past U+10FFFF).
            switch byte {
            case 0xC2...0xDF: pending = 1
            case 0xE0:
                pending = 2
                nextLow = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: pending = 2
            case 0xED:
                pending = 2
                nextHigh = 0x9F
            case 0xF0:
                pending = 3
                nextLow = 0x90
            case 0xF1...0xF3: pending = 3
            case 0xF4:
                pending = 3
                nextHigh = 0x8F
            default:
                problem = .notUTF8(line: line, byte: offset)
                return
            }
        }
    }

    /// Ends the input: a multi-byte character cut off at the end is an error.
    public mutating func finish() {
        if problem == nil, pending > 0 { problem = .notUTF8(line: sequenceLine, byte: sequenceStart) }
    }
}
