import Foundation
import Store
import StrandedCore
import WardListImport

/// The streaming half of an import: bytes → CSV records → validated rows,
/// handed on a chunk at a time so memory stays flat however big the file.
struct ImportRun {
    let sites: [SiteReference]
    let snapshotDate: CalendarDate?
    let today: CalendarDate
    let policy: ImportPolicy
    private(set) var validator: WardListValidator?
    private(set) var siteIDs: Set<Int64> = []
    private(set) var wardNames: [Int64: [String: String]] = [:]
    /// The accepted rows' wards, counts and stays, so the store need not read them back.
    private(set) var copied: CopiedRows
    /// A guess at the file's rows from its size, to size the validator's duplicate index once.
    private var expectedRows = 0
    /// About the shortest row a list has (a national list averages ~145 bytes).
    static let bytesPerRow = 100
    /// Beyond this a file's index grows as it goes rather than being reserved on a guess.
    static let mostRowsReserved = 250_000

    init(sites: [SiteReference], snapshotDate: CalendarDate?, today: CalendarDate, policy: ImportPolicy, thresholds: StrandedThresholds) {
        self.sites = sites
        self.snapshotDate = snapshotDate
        self.today = today
        self.policy = policy
        copied = CopiedRows(thresholds: thresholds)
    }

    /// Reads the file and calls `deliver` with each chunk's valid rows.
    mutating func stream(_ url: URL, chunkSize: Int, deliver: ([WardListRow]) async throws -> Void) async throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
        try handle.seek(toOffset: 0)
        expectedRows = min(size / Self.bytesPerRow, Self.mostRowsReserved)
        // The parser is a local: its callback mutates `self`.
        var parser = CSVParser()
        var rows: [WardListRow] = []
        rows.reserveCapacity(4096)
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            try chunk.withUnsafeBytes { raw in
                try parser.feed(raw.bindMemory(to: UInt8.self)) { record in try accept(record, into: &rows) }
            }
            try await deliver(rows)
            rows.removeAll(keepingCapacity: true)
        }
        try parser.finish { record in try accept(record, into: &rows) }
        try await deliver(rows)
    }

    mutating func finish() throws {
        guard var validator else { throw FileProblem.empty }
        validator.finish()
        self.validator = validator
        if let problem = validator.fileProblem { throw problem }
    }

    private mutating func accept(_ record: CSVRecord, into rows: inout [WardListRow]) throws {
        guard validator != nil else {
            // The first record is the header.
            let names = record.fields.map { String(decoding: $0, as: UTF8.self) }
            let header = try WardListHeader(names: names)
            validator = WardListValidator(header: header, sites: sites, givenSnapshotDate: snapshotDate, today: today, policy: policy)
            validator!.reserveCapacity(rows: expectedRows)
            return
        }
        // Mutate in place: a copy of the validator would copy its duplicate
        // index on every row (quadratic time on a national list).
        let row = validator!.validate(record)
        if let problem = validator!.fileProblem { throw problem }
        guard let row else { return }
        siteIDs.insert(row.site.id)
        if let name = row.wardName, wardNames[row.site.id]?[row.wardCode] == nil {
            wardNames[row.site.id, default: [:]][row.wardCode] = name
        }
        copied.add(row)
        rows.append(row)
    }
}

/// The first, cheap pass over a file: its fingerprint, whether it holds
/// anything, and whether it is UTF-8 text at all.
struct FileScan {
    var fingerprint: String
    let byteCount: Int
    let isBlank: Bool
    /// Why the file is not text, if it is not.
    let textProblem: FileProblem?

    static func read(_ url: URL) throws -> FileScan {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var fingerprint = ContentFingerprint()
        var count = 0
        var first = true
        var blank = true
        var text = TextCheck()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            count += chunk.count
            chunk.withUnsafeBytes { raw in
                var bytes = raw.bindMemory(to: UInt8.self)
                text.update(bytes)
                if first, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                    bytes = UnsafeBufferPointer(rebasing: bytes[3...])
                }
                first = false
                if blank, bytes.contains(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) { blank = false }
                fingerprint.update(bytes)
            }
        }
        text.finish()
        let textProblem: FileProblem? =
            switch text.problem {
            case .binary(let byte)?: .binary(byte: byte)
            case .notUTF8(let line, let byte)?: .notUTF8(line: line, byte: byte)
            case .utf16?: .csv(.utf16)
            case nil: nil
            }
        return FileScan(fingerprint: fingerprint.finalize(), byteCount: count, isBlank: blank, textProblem: textProblem)
    }
}
