import Foundation

/// A completion date as the plan writes it, with the dates it names.
///
/// The plan's "Completion date" column mixes forms, and the original text is
/// always kept (`text`) because it is what the board agreed. The dates found
/// in it are `deadlines`, in the order written:
///
/// - an exact UK date `dd/mm/yy` or `dd/mm/yyyy` (also with dots; 1- or
///   2-digit day and month): `31/05/18`, `30/4/18`;
/// - a month and year: `May 2018`, `Nov 2017`, `AEDB April 18` (full month
///   names, three-letter abbreviations or `Sept`, capitalised, followed by a
///   2- or 4-digit year). **A month-only date falls due on the last day of that
///   month**: work due "May 2018" is not late until 1 June 2018;
/// - a two-digit year is 2000 + yy;
/// - a parenthesised note right after a date becomes that deadline's `label`:
///   `19/07/18 (HWB)`, `22/03/18 (draft for HWB) May 2018 (final)`;
/// - text with no date in it (`As per AEDB implementation plan`,
///   `TBC subject to completion of review`, `In-line with frailty pathway`)
///   has no deadlines, and `date` is nil.
///
/// `date`, the date the action as a whole falls due, is the **latest**
/// deadline: earlier ones (a draft, one of two strategies) are milestones on
/// the way and do not make the action overdue on their own.
public struct DueDate: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One date named in the text.
    public struct Deadline: Hashable, Sendable, Codable {
        public enum Precision: String, Hashable, Sendable, Codable {
            /// A day was written; `date` is that day.
            case day
            /// Only a month was written; `date` is its last day.
            case month
        }

        public let date: CalendarDate
        public let precision: Precision
        /// The parenthesised note after the date, e.g. "HWB", "final".
        public let label: String?

        public init(date: CalendarDate, precision: Precision, label: String? = nil) {
            self.date = date
            self.precision = precision
            self.label = label
        }
    }

    /// The completion date exactly as written (whitespace runs collapsed).
    public let text: String
    /// The dates the text names, in the order written.
    public let deadlines: [Deadline]

    /// Parses `text` by the rules above.
    public init(_ text: String) {
        let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        self.text = collapsed
        self.deadlines = DueDate.parse(collapsed)
    }

    /// When the action falls due: the latest deadline, or nil if the text
    /// names no date.
    public var date: CalendarDate? { deadlines.map(\.date).max() }

    /// True when the text names at least one date.
    public var hasDate: Bool { !deadlines.isEmpty }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "a due date must be text such as \"31/05/18\" or \"May 2018\", or null; not an empty string"
            )
        }
        self.init(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    // MARK: - Parsing

    static func parse(_ text: String) -> [Deadline] {
        let tokens = text.split(separator: " ").map(String.init)
        var result: [Deadline] = []
        var index = 0
        while index < tokens.count {
            let word = trimmingTrailingPunctuation(tokens[index])
            var found: (date: CalendarDate, precision: Deadline.Precision)?
            var next = index + 1
            if let date = exactDate(word) {
                found = (date, .day)
            } else if let month = monthNumber(word), next < tokens.count,
                let year = year(trimmingTrailingPunctuation(tokens[next])),
                let first = CalendarDate(year: year, month: month, day: 1)
            {
                found = (first.endOfMonth, .month)
                next += 1
            }
            guard let (date, precision) = found else {
                index += 1
                continue
            }
            var label: String?
            if next < tokens.count, tokens[next].hasPrefix("(") {
                var words: [String] = []
                while next < tokens.count {
                    words.append(tokens[next])
                    next += 1
                    if words.last!.hasSuffix(")") { break }
                }
                let joined = words.joined(separator: " ")
                label = String(joined.dropFirst().prefix { $0 != ")" })
            }
            result.append(Deadline(date: date, precision: precision, label: label))
            index = next
        }
        return result
    }

    private static func trimmingTrailingPunctuation(_ word: String) -> String {
        var word = Substring(word)
        while let last = word.last, ",.;:".contains(last) { word = word.dropLast() }
        return String(word)
    }

    /// `dd/mm/yy`, `d/m/yyyy`, `dd.mm.yyyy`.
    private static func exactDate(_ word: String) -> CalendarDate? {
        let parts = word.split(separator: word.contains("/") ? "/" : ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let day = Int(parts[0]), let month = Int(parts[1]),
            let year = year(String(parts[2]))
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// A 4-digit year, or a 2-digit one read as 2000 + yy.
    private static func year(_ word: String) -> Int? {
        guard word.count == 2 || word.count == 4,
            word.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(word)
        else { return nil }
        return word.count == 2 ? 2000 + value : value
    }

    private static let months: [String: Int] = {
        let names = [
            "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december",
        ]
        var table: [String: Int] = [:]
        for (offset, name) in names.enumerated() {
            table[name] = offset + 1
            table[String(name.prefix(3))] = offset + 1
        }
        table["sept"] = 9
        return table
    }()

    /// A capitalised month name or abbreviation.
    private static func monthNumber(_ word: String) -> Int? {
        guard let first = word.first, first.isUppercase else { return nil }
        return months[word.lowercased()]
    }
}
