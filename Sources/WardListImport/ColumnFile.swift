import Foundation

/// The file could not be read at all (not CSV, no header, a required column missing).
public struct UnreadableFile: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// A small CSV file with named columns (a days file, a stays extract): its
/// header checked against the columns it takes, its rows read by column name.
/// The header rules are the same for every such file, so they live here once.
struct ColumnFile {
    let names: [String]
    let records: ArraySlice<CSVRecord>

    /// - Parameters: the columns every file needs, those of which at least one
    ///   must name the patient, and the optional ones; any other is refused.
    static func read(_ bytes: [UInt8], required: [String], identifiers: [String], optional: [String]) throws -> ColumnFile {
        var records: [CSVRecord] = []
        var parser = CSVParser()
        do {
            try bytes.withUnsafeBufferPointer { try parser.feed($0) { records.append($0) } }
            try parser.finish { records.append($0) }
        } catch let error as CSVError {
            throw UnreadableFile(description: "the file is not readable CSV: \(error)")
        }
        guard let header = records.first else {
            throw UnreadableFile(description: "the file is empty; it needs a header row (see the format page)")
        }
        let names = header.fields.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw UnreadableFile(description: "the header row lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
        }
        guard identifiers.contains(where: names.contains) else {
            throw UnreadableFile(description: "the header row needs one of \(identifiers.joined(separator: ", ")) to name each patient")
        }
        let known = Set(required + identifiers + optional)
        if let unknown = names.first(where: { !$0.isEmpty && !known.contains($0) }) {
            throw UnreadableFile(
                description:
                    "the header row has the column \"\(String(unknown.prefix(40)))\", which this file does not take; columns: \((required + identifiers + optional).joined(separator: ", "))"
            )
        }
        return ColumnFile(names: names, records: records.dropFirst())
    }

    /// The trimmed text of `column` in `record`; empty when the column is absent.
    func value(_ column: String, in record: CSVRecord) -> String {
        guard let index = names.firstIndex(of: column), index < record.count else { return "" }
        return String(decoding: record[index], as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    static func isBlank(_ record: CSVRecord) -> Bool { (0..<record.count).allSatisfy { record[$0].isEmpty } }
}
