import Foundation

/// Which of the three files a data team sends a file is, told by its header
/// row, so one inbox (and one habit) takes them all: a board-round days file
/// has a `status` column, a stays extract a `discharge_date` or `destination`
/// column; anything else is read as a ward list, whose own checks then say
/// what is wrong with it. No ward list column or alias has those names.
public enum ImportFileKind: String, Sendable, CaseIterable {
    case wardList = "ward list"
    case boardRoundDays = "board-round days"
    case stays = "stays extract"

    /// The kind of a file from its first bytes (the header row is enough;
    /// 64 KB is plenty).
    public static func of(header bytes: ArraySlice<UInt8>) -> ImportFileKind {
        var records: [CSVRecord] = []
        var parser = CSVParser()
        // A prefix may end inside a quoted field: the header, if any, was read before that.
        try? Array(bytes).withUnsafeBufferPointer { try parser.feed($0) { records.append($0) } }
        if records.isEmpty { try? parser.finish { records.append($0) } }
        guard let header = records.first else { return .wardList }
        let names = Set(
            header.fields.map {
                String(decoding: $0, as: UTF8.self)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}").union(.whitespaces))
                    .lowercased()
            }
        )
        if names.contains("status") { return .boardRoundDays }
        if names.contains("discharge_date") || names.contains("destination") { return .stays }
        return .wardList
    }
}
