import Foundation

/// How a parameter travels to the server: as text (the server parses it
/// according to the column's type), as raw bytes (bytea), or as NULL.
public enum PostgresBinding: Sendable, Equatable {
    case null
    case text(String)
    case binary([UInt8])
}

/// A Swift value that can be sent as a query parameter.
public protocol PostgresEncodable: Sendable {
    var postgresBinding: PostgresBinding { get }
}

/// A Swift value that can be read from a result cell (text format).
public protocol PostgresDecodable {
    /// Decodes a non-NULL cell.
    static func decode(from cell: PostgresCell) throws -> Self
    /// The value for a NULL cell; non-optional types throw.
    static func decodeNull(column: String) throws -> Self
}

extension PostgresDecodable {
    public static func decodeNull(column: String) throws -> Self {
        throw PostgresError(kind: .decoding, message: "column \"\(column)\" is NULL but \(Self.self) was expected; decode it as an optional")
    }
}

public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

/// One non-NULL cell of a result, in PostgreSQL's text format.
public struct PostgresCell {
    /// The column's name, for error messages.
    public let column: String
    /// The column's type OID (e.g. 16 bool, 17 bytea, 1082 date).
    public let typeOID: UInt32
    /// The cell's bytes, valid only during decoding.
    public let bytes: UnsafeBufferPointer<UInt8>

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    func failure(_ expected: String) -> PostgresError {
        // The value itself is not printed: it may be patient data.
        PostgresError(kind: .decoding, message: "column \"\(column)\" (type oid \(typeOID)) could not be read as \(expected)")
    }
}

// MARK: - Optional

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresBinding: PostgresBinding { self?.postgresBinding ?? .null }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Self { try Wrapped.decode(from: cell) }
    public static func decodeNull(column: String) throws -> Self { nil }
}

// MARK: - Strings and numbers

extension String: PostgresCodable {
    public var postgresBinding: PostgresBinding { .text(self) }
    public static func decode(from cell: PostgresCell) throws -> String { cell.string }
}

extension Substring: PostgresEncodable {
    public var postgresBinding: PostgresBinding { .text(String(self)) }
}

extension Int: PostgresCodable {
    public var postgresBinding: PostgresBinding { .text(String(self)) }
    public static func decode(from cell: PostgresCell) throws -> Int {
        guard let value = parseInteger(cell.bytes, as: Int.self) else { throw cell.failure("Int") }
        return value
    }
}

extension Int64: PostgresCodable {
    public var postgresBinding: PostgresBinding { .text(String(self)) }
    public static func decode(from cell: PostgresCell) throws -> Int64 {
        guard let value = parseInteger(cell.bytes, as: Int64.self) else { throw cell.failure("Int64") }
        return value
    }
}

extension Int32: PostgresCodable {
    public var postgresBinding: PostgresBinding { .text(String(self)) }
    public static func decode(from cell: PostgresCell) throws -> Int32 {
        guard let value = parseInteger(cell.bytes, as: Int32.self) else { throw cell.failure("Int32") }
        return value
    }
}

/// Parses ASCII decimal digits without building a String first: result sets
/// of tens of thousands of rows decode mostly integers.
@inline(__always)
private func parseInteger<T: FixedWidthInteger>(_ bytes: UnsafeBufferPointer<UInt8>, as: T.Type) -> T? {
    guard !bytes.isEmpty else { return nil }
    var index = 0
    var negative = false
    if bytes[0] == UInt8(ascii: "-") {
        negative = true
        index = 1
    } else if bytes[0] == UInt8(ascii: "+") {
        index = 1
    }
    guard index < bytes.count else { return nil }
    var value: T = 0
    while index < bytes.count {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = negative ? m.subtractingReportingOverflow(T(digit)) : m.addingReportingOverflow(T(digit))
        guard !o1, !o2 else { return nil }
        value = s
        index += 1
    }
    return value
}

extension Double: PostgresCodable {
    public var postgresBinding: PostgresBinding {
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self > 0 ? "Infinity" : "-Infinity") }
        return .text(String(self))
    }
    public static func decode(from cell: PostgresCell) throws -> Double {
        let text = cell.string
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else { throw cell.failure("Double") }
            return value
        }
    }
}

extension Bool: PostgresCodable {
    public var postgresBinding: PostgresBinding { .text(self ? "true" : "false") }
    public static func decode(from cell: PostgresCell) throws -> Bool {
        switch cell.bytes.first {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw cell.failure("Bool")
        }
    }
}

// MARK: - UUID

extension UUID: PostgresCodable {
    public var postgresBinding: PostgresBinding { .text(uuidString.lowercased()) }
    public static func decode(from cell: PostgresCell) throws -> UUID {
        guard let value = UUID(uuidString: cell.string) else { throw cell.failure("UUID") }
        return value
    }
}

// MARK: - Bytes (bytea)

/// Raw bytes for a `bytea` column, sent in binary format.
public struct PostgresBytes: PostgresCodable, Equatable, Hashable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var postgresBinding: PostgresBinding { .binary(bytes) }

    public static func decode(from cell: PostgresCell) throws -> PostgresBytes {
        // Text format of bytea is hex: \x followed by two digits per byte.
        let raw = cell.bytes
        guard raw.count >= 2, raw[0] == UInt8(ascii: "\\"), raw[1] == UInt8(ascii: "x"), raw.count % 2 == 0 else {
            throw cell.failure("bytea (hex)")
        }
        var out = [UInt8]()
        out.reserveCapacity((raw.count - 2) / 2)
        var index = 2
        while index < raw.count {
            guard let hi = hexValue(raw[index]), let lo = hexValue(raw[index + 1]) else { throw cell.failure("bytea (hex)") }
            out.append(hi << 4 | lo)
            index += 2
        }
        return PostgresBytes(out)
    }
}

@inline(__always)
private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

extension Data: PostgresCodable {
    public var postgresBinding: PostgresBinding { .binary([UInt8](self)) }
    public static func decode(from cell: PostgresCell) throws -> Data {
        Data(try PostgresBytes.decode(from: cell).bytes)
    }
}

// MARK: - JSON

/// A Codable value stored in a `json` or `jsonb` column.
/// One encoder and one decoder for every JSON value: made once (setting them
/// up costs more than encoding a small value), safe to share between tasks.
enum PostgresJSONCoders {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

public struct PostgresJSON<Value: Codable & Sendable>: PostgresCodable, Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }

    public var postgresBinding: PostgresBinding { .text(text) }

    /// The JSON text, as bound (also as an element of a `jsonb[]` array).
    public var text: String {
        let encoder = PostgresJSONCoders.encoder
        // Encoding a Codable value we own cannot fail except for non-finite
        // doubles; those become JSON null rather than a crash.
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(from cell: PostgresCell) throws -> PostgresJSON<Value> {
        let decoder = PostgresJSONCoders.decoder
        do {
            return PostgresJSON(try decoder.decode(Value.self, from: Data(cell.bytes)))
        } catch {
            throw PostgresError(kind: .decoding, message: "column \"\(cell.column)\" holds JSON that is not a \(Value.self): \(error)")
        }
    }
}

// MARK: - Dates

extension Date: PostgresCodable {
    /// Sent as an ISO 8601 instant in UTC with microseconds (PostgreSQL's precision).
    public var postgresBinding: PostgresBinding { .text(PostgresTimestamp.format(self)) }

    /// Reads `date` (midnight UTC) and `timestamp`/`timestamptz` columns.
    /// Connections run with `DateStyle=ISO` and `TimeZone=UTC`, so the text is predictable.
    public static func decode(from cell: PostgresCell) throws -> Date {
        guard let date = PostgresTimestamp.parse(cell.bytes) else { throw cell.failure("Date") }
        return date
    }
}

enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let totalMicros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int((totalMicros / 1_000_000).rounded(.down))
        var micros = Int(totalMicros - Double(seconds) * 1_000_000)
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(micros, 6))Z"
    }

    /// Parses `yyyy-mm-dd` or `yyyy-mm-dd hh:mm:ss[.ffffff][+hh[:mm]]`.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= b.count else { return nil }
            var v = 0
            for k in 0..<width {
                let digit = Int(b[i + k]) - 48
                guard (0...9).contains(digit) else { return nil }
                v = v * 10 + digit
            }
            i += width
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let y = number(4), expect("-"), let mo = number(2), expect("-"), let d = number(2) else { return nil }
        var seconds = Double(days(fromCivil: y, mo, d) * 86_400)
        if i == b.count { return Date(timeIntervalSince1970: seconds) }
        guard expect(" ") || expect("T"), let h = number(2), expect(":"), let mi = number(2), expect(":"), let s = number(2) else { return nil }
        seconds += Double(h * 3600 + mi * 60 + s)
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var fraction = 0.0
            var scale = 0.1
            while i < b.count, (48...57).contains(b[i]) {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            seconds += fraction
        }
        if i < b.count {
            let sign: Double
            switch b[i] {
            case UInt8(ascii: "+"): sign = 1
            case UInt8(ascii: "-"): sign = -1
            case UInt8(ascii: "Z"): return Date(timeIntervalSince1970: seconds)
            default: return nil
            }
            i += 1
            guard let oh = number(2) else { return nil }
            var offset = oh * 3600
            if expect(":"), let om = number(2) { offset += om * 60 }
            if expect(":"), let os = number(2) { offset += os }
            seconds -= sign * Double(offset)
        }
        return Date(timeIntervalSince1970: seconds)
    }

    static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

// MARK: - Arrays

/// A one-dimensional array parameter, e.g. for `= ANY(\(keys))`.
/// Sent as PostgreSQL's array literal with every element quoted.
public struct PostgresArray: PostgresEncodable {
    public let elements: [String?]

    public init(_ elements: [String]) { self.elements = elements }
    public init(_ elements: [Int]) { self.elements = elements.map(String.init) }
    public init(_ elements: [Int64]) { self.elements = elements.map { String($0) } }
    /// Instants, as `timestamptz[]` text (UTC, microseconds).
    public init(_ elements: [Date]) { self.elements = elements.map(PostgresTimestamp.format) }
    /// Elements in their text form, nil for NULL (cast the array to its type in SQL).
    public init(nullable elements: [String?]) { self.elements = elements }
    public init(nullable elements: [Date?]) { self.elements = elements.map { $0.map(PostgresTimestamp.format) } }

    public var postgresBinding: PostgresBinding {
        // Byte by byte, not Character by Character: arrays of whole messages
        // (a feed batch's bodies) run to hundreds of kilobytes.
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(elements.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let element else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return .text(String(decoding: bytes, as: UTF8.self))
    }
}
