import StrandedCore

/// Builds CSV text as UTF-8 bytes without `String(format:)` or Foundation date
/// formatting: a census week of a national system is ~100,000 rows and must be
/// written in a few tens of milliseconds.
struct SyntheticCSVBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// `value` as one CSV field (RFC 4180): quoted, with inner quotes doubled,
    /// when it contains a comma, a double quote or a line break.
    static func field(_ value: String) -> [UInt8] {
        let utf8 = Array(value.utf8)
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return utf8 }
        var out: [UInt8] = [0x22]
        for byte in utf8 {
            out.append(byte)
            if byte == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
        return out
    }

    @inline(__always) mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }
    @inline(__always) mutating func append(_ byte: UInt8) { bytes.append(byte) }
    @inline(__always) mutating func comma() { bytes.append(0x2C) }

    /// RFC 4180 line ending.
    @inline(__always) mutating func endLine() {
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// A field given as a Swift string (quoted if it needs to be).
    mutating func appendField(_ value: String) { append(Self.field(value)) }

    /// A non-negative integer in decimal, at least `width` digits (zero-padded).
    mutating func appendInt(_ value: Int, width: Int = 1) {
        precondition(value >= 0)
        var divisor = 1
        var digits = 1
        while divisor <= value / 10 {
            divisor *= 10
            digits += 1
        }
        if width > digits {
            for _ in 0..<(width - digits) { bytes.append(0x30) }
        }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(rest / divisor) + 0x30)
            rest %= divisor
            divisor /= 10
        }
    }

    /// `yyyy-mm-dd`.
    mutating func appendISO(_ date: CalendarDate) {
        appendInt(date.year, width: 4)
        append(0x2D)
        appendInt(date.month, width: 2)
        append(0x2D)
        appendInt(date.day, width: 2)
    }

    /// `dd/mm/yyyy`.
    mutating func appendUK(_ date: CalendarDate) {
        appendInt(date.day, width: 2)
        append(0x2F)
        appendInt(date.month, width: 2)
        append(0x2F)
        appendInt(date.year, width: 4)
    }

    mutating func appendDate(_ date: CalendarDate, uk: Bool) {
        if uk { appendUK(date) } else { appendISO(date) }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
