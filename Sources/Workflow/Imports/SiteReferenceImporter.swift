import Foundation
import Store
import StrandedCore
import WardListImport

/// Loads organisations and sites from a reference CSV:
/// `organisation_code, organisation_name, site_code, site_name, setting`.
public struct SiteReferenceImporter: Sendable {
    let reference: ReferenceDataStore

    public init(database: Database) { reference = ReferenceDataStore(database: database) }

    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// Registers every row (existing codes are updated); returns how many sites.
    @discardableResult
    public func importCSV(_ text: String) async throws -> Int {
        var records: [CSVRecord] = []
        var parser = CSVParser()
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { try parser.feed($0) { records.append($0) } }
        try parser.finish { records.append($0) }
        guard let header = records.first else { throw Problem(description: "the sites file is empty") }
        let names = header.fields.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
        let wanted = ["organisation_code", "organisation_name", "site_code", "site_name", "setting"]
        let positions = try wanted.map { column -> Int in
            guard let index = names.firstIndex(of: column) else {
                throw Problem(
                    description: "the sites file needs the columns \(wanted.joined(separator: ", ")); it has \(names.joined(separator: ", "))"
                )
            }
            return index
        }
        var count = 0
        for record in records.dropFirst() {
            let values = positions.map { $0 < record.count ? String(decoding: record[$0], as: UTF8.self).trimmingCharacters(in: .whitespaces) : "" }
            guard values.allSatisfy({ !$0.isEmpty }) else {
                throw Problem(description: "line \(record.line) of the sites file has an empty value; every column is required")
            }
            for (index, field) in [(0, "organisation_code"), (2, "site_code")] {
                if let problem = ReferenceCode.problem(values[index]) {
                    throw Problem(
                        description:
                            "line \(record.line) of the sites file: \(problem.reason(field: field)) (\"\(ReferenceCode.visible(values[index]))\")"
                    )
                }
            }
            try await reference.upsertOrganisation(code: values[0], name: values[1])
            try await reference.upsertSite(code: values[2], name: values[3], setting: values[4], organisationCode: values[0])
            count += 1
        }
        return count
    }
}
