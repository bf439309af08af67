import Foundation

/// The separators a message declares in MSH-1 and MSH-2. Senders may choose
/// their own, so nothing below assumes `|^~\&`.
public struct HL7Delimiters: Hashable, Sendable {
    public var field: Character = "|"
    public var component: Character = "^"
    public var repetition: Character = "~"
    public var escape: Character? = "\\"
    public var subcomponent: Character = "&"

    public init() {}
}

/// Why a message could not be read as HL7 v2 at all (answered with `AR`).
public struct HL7ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The HL7 position at fault, e.g. `MSH-2`.
    public let field: String
    public let reason: String
    public var description: String { "\(field): \(reason)" }
}

/// One segment: its name and its fields as sent (still escaped). `fields[n]`
/// is field n, so the numbering matches the standard's (for MSH, `fields[1]`
/// is the field separator itself, MSH-1).
public struct HL7Segment: Hashable, Sendable {
    public let name: String
    public let fields: [Substring]

    /// Field `n` as sent, nil when absent or empty.
    public func raw(_ n: Int) -> Substring? {
        guard n < fields.count, !fields[n].isEmpty else { return nil }
        return fields[n]
    }
}

/// An HL7 v2 message, parsed only as far as its structure: segments split on
/// carriage returns or line feeds (real feeds send either, or both), fields,
/// repetitions and components split on the message's own delimiters, and
/// escape sequences decoded when a value is read. Pure: no I/O, no logging.
public struct HL7Message: Sendable {
    public let delimiters: HL7Delimiters
    public let segments: [HL7Segment]

    public init(parsing text: String) throws(HL7ParseError) {
        let lines = text.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
            .map { $0.drop(while: { $0 == " " || $0 == "\t" }) }
            .filter { !$0.isEmpty }
        guard let first = lines.first, first.hasPrefix("MSH"), first.count >= 8 else {
            throw HL7ParseError(field: "MSH", reason: "a message starts with an MSH segment")
        }
        var delimiters = HL7Delimiters()
        let header = Array(first.dropFirst(3).prefix(5))
        delimiters.field = header[0]
        guard header.count >= 2 else { throw HL7ParseError(field: "MSH-2", reason: "the encoding characters are missing") }
        // MSH-2 gives component, repetition, escape, subcomponent, in that order; the last two may be left out.
        let encoding = Array(first.dropFirst(4).prefix { $0 != delimiters.field })
        guard encoding.count >= 2, Set(encoding).count == encoding.count, !encoding.contains(delimiters.field) else {
            throw HL7ParseError(field: "MSH-2", reason: "the encoding characters must be distinct, e.g. ^~\\&")
        }
        delimiters.component = encoding[0]
        delimiters.repetition = encoding[1]
        delimiters.escape = encoding.count > 2 ? encoding[2] : nil
        delimiters.subcomponent = encoding.count > 3 ? encoding[3] : "&"
        var segments: [HL7Segment] = []
        segments.reserveCapacity(lines.count)
        for line in lines {
            let parts = line.split(separator: delimiters.field, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard name.count == 3, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw HL7ParseError(field: "segment \(segments.count + 1)", reason: "a segment starts with a three-character name")
            }
            if name == "MSH" {
                // MSH-1 is the separator itself: put it back so MSH-n is fields[n].
                segments.append(HL7Segment(name: name, fields: [parts[0], Substring(String(delimiters.field))] + parts.dropFirst()))
            } else {
                segments.append(HL7Segment(name: name, fields: Array(parts)))
            }
        }
        self.delimiters = delimiters
        self.segments = segments
    }

    /// The first segment named `name`.
    public func segment(_ name: String) -> HL7Segment? { segments.first { $0.name == name } }

    /// A value by position, unescaped: field `field` of the first `segment`,
    /// repetition `repetition`, component `component`, subcomponent
    /// `subcomponent` (all 1-based, as the standard numbers them). Nil when
    /// absent or empty.
    public func value(_ segment: String, _ field: Int, component: Int = 1, repetition: Int = 1, subcomponent: Int = 1) -> String? {
        guard let found = self.segment(segment) else { return nil }
        return value(in: found, field, component: component, repetition: repetition, subcomponent: subcomponent)
    }

    public func value(in segment: HL7Segment, _ field: Int, component: Int = 1, repetition: Int = 1, subcomponent: Int = 1) -> String? {
        guard let raw = segment.raw(field) else { return nil }
        if segment.name == "MSH", field <= 2 { return String(raw) }
        // Split no further than the piece asked for: messages are read a value at a time.
        let repetitions = raw.split(separator: delimiters.repetition, maxSplits: repetition, omittingEmptySubsequences: false)
        guard repetition <= repetitions.count else { return nil }
        return piece(repetitions[repetition - 1], component: component, subcomponent: subcomponent)
    }

    /// Every repetition of a field, each as its components (unescaped).
    public func repetitions(in segment: HL7Segment, _ field: Int) -> [[String?]] {
        guard let raw = segment.raw(field) else { return [] }
        return raw.split(separator: delimiters.repetition, omittingEmptySubsequences: false).map { repetition in
            repetition.split(separator: delimiters.component, omittingEmptySubsequences: false).map { component in
                let text = unescape(component.split(separator: delimiters.subcomponent, omittingEmptySubsequences: false).first ?? "")
                return text.isEmpty ? nil : text
            }
        }
    }

    func piece(_ repetition: Substring, component: Int, subcomponent: Int) -> String? {
        let components = repetition.split(separator: delimiters.component, maxSplits: component, omittingEmptySubsequences: false)
        guard component <= components.count else { return nil }
        let subcomponents = components[component - 1].split(separator: delimiters.subcomponent, maxSplits: subcomponent, omittingEmptySubsequences: false)
        guard subcomponent <= subcomponents.count else { return nil }
        let text = Self.trimmingSpaces(unescape(subcomponents[subcomponent - 1]))
        return text.isEmpty ? nil : text
    }

    /// Spaces and tabs trimmed from both ends; most values have none, and
    /// looking at the ends first spares them Foundation's trimming.
    static func trimmingSpaces(_ text: String) -> String {
        guard let first = text.first, let last = text.last, first.isWhitespace || last.isWhitespace else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Decodes `\F\ \S\ \T\ \R\ \E\`, `\Xhh..\` and `\.br\`; other
    /// formatting escapes (`\H\`, `\N\`, `\.sp\`…) carry no text and are dropped.
    public func unescape(_ text: Substring) -> String {
        guard let escape = delimiters.escape, text.contains(escape) else { return String(text) }
        var result = ""
        var rest = text[...]
        while let start = rest.firstIndex(of: escape) {
            result += rest[..<start]
            let afterStart = rest.index(after: start)
            guard let end = rest[afterStart...].firstIndex(of: escape) else {
                result += rest[start...]  // an unpaired escape is kept as sent
                return result
            }
            let code = rest[afterStart..<end]
            switch code {
            case "F": result.append(delimiters.field)
            case "S": result.append(delimiters.component)
            case "T": result.append(delimiters.subcomponent)
            case "R": result.append(delimiters.repetition)
            case "E": result.append(escape)
            case ".br": result.append("\n")
            default:
                if code.first == "X" {
                    let hex = Array(code.dropFirst())
                    var bytes: [UInt8] = []
                    var i = 0
                    while i + 1 < hex.count, let byte = UInt8(String(hex[i...i + 1]), radix: 16) {
                        bytes.append(byte)
                        i += 2
                    }
                    result += String(decoding: bytes, as: UTF8.self)
                }
            }
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return result
    }
}

/// HL7 v2 timestamps (`YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]`). Without an
/// offset the time is the hospital's wall clock, Europe/London.
public enum HL7Time {
    public static func date(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        var body = Substring(text)
        var offsetSeconds: Int?
        if let sign = body.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = body[body.index(after: sign)...]
            guard zone.count == 4, let value = Int(zone) else { return nil }
            offsetSeconds = (value / 100 * 3600 + value % 100 * 60) * (body[sign] == "-" ? -1 : 1)
            body = body[..<sign]
        }
        if let dot = body.firstIndex(of: ".") { body = body[..<dot] }
        guard body.count >= 8, body.count <= 14, body.count % 2 == 0, body.allSatisfy(\.isASCII), body.allSatisfy(\.isNumber) else { return nil }
        let digits = Array(body)
        func part(_ at: Int, _ length: Int) -> Int? {
            at + length <= digits.count ? Int(String(digits[at..<at + length])) : nil
        }
        var components = DateComponents()
        components.year = part(0, 4)
        components.month = part(4, 2)
        components.day = part(6, 2)
        components.hour = part(8, 2) ?? 0
        components.minute = part(10, 2) ?? 0
        components.second = part(12, 2) ?? 0
        guard let year = components.year, let month = components.month, let day = components.day,
            CalendarDate(year: year, month: month, day: day) != nil, components.hour! < 24, components.minute! < 60, components.second! < 61
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = offsetSeconds.flatMap { TimeZone(secondsFromGMT: $0) } ?? .london
        return calendar.date(from: components)
    }

    /// `YYYYMMDDHHMMSS` on the London clock, as ACKs and built messages carry it.
    public static func text(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .london
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year ?? 0)\(two(c.month))\(two(c.day))\(two(c.hour))\(two(c.minute))\(two(c.second))"
    }

    /// The calendar date (London) of an instant.
    public static func calendarDate(_ date: Date) -> CalendarDate { CalendarDate.today(in: .london, now: date) }
}
