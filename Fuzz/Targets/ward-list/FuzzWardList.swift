import StrandedCore
import WardListImport

// A whole ward list through what `stranded import` runs on it: the text check,
// the streaming CSV parser, the header and the row validator. The file is also
// fed in two pieces, split where the input's last byte says, and must give the
// same records: an upload arrives in chunks that may end anywhere (inside a
// byte order mark, a quoted field or a CRLF).

private let sites = [SiteReference(id: 1, code: "RXX01", setting: "acute"), SiteReference(id: 2, code: "RXX02", setting: "community")]
private let today = CalendarDate(year: 2026, month: 11, day: 20)!

private func records(of bytes: [UInt8], splitAt split: Int?) -> Result<[CSVRecord], CSVError> {
    var parser = CSVParser()
    var out: [CSVRecord] = []
    do {
        try bytes.withUnsafeBufferPointer { buffer in
            if let split {
                try parser.feed(UnsafeBufferPointer(rebasing: buffer[..<split])) { out.append($0) }
                try parser.feed(UnsafeBufferPointer(rebasing: buffer[split...])) { out.append($0) }
            } else {
                try parser.feed(buffer) { out.append($0) }
            }
        }
        try parser.finish { out.append($0) }
        return .success(out)
    } catch let error as CSVError {
        return .failure(error)
    } catch {
        fatalError("the CSV parser threw something other than CSVError: \(error)")
    }
}

func fuzzWardList(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))

    var text = TextCheck()
    bytes.withUnsafeBufferPointer { text.update($0) }
    text.finish()

    let whole = records(of: bytes, splitAt: nil)
    if !bytes.isEmpty {
        let split = Int(bytes[bytes.count - 1]) % (bytes.count + 1)
        let pieces = records(of: bytes, splitAt: split)
        switch (whole, pieces) {
        case let (.success(a), .success(b)):
            precondition(a.map(\.fields) == b.map(\.fields) && a.map(\.line) == b.map(\.line), "chunked parse differs at split \(split)")
        case let (.failure(a), .failure(b)):
            precondition(a == b, "chunked parse fails differently at split \(split)")
        default:
            preconditionFailure("chunked parse disagrees with whole parse at split \(split)")
        }
    }

    guard case let .success(found) = whole, let first = found.first else { return 0 }
    let names = first.fields.map { String(decoding: $0, as: UTF8.self) }
    guard let header = try? WardListHeader(names: names) else { return 0 }
    for given in [nil, CalendarDate(year: 2026, month: 11, day: 16)] {
        var validator = WardListValidator(header: header, sites: sites, givenSnapshotDate: given, today: today)
        for record in found.dropFirst() {
            _ = validator.validate(record)
            if validator.fileProblem != nil { break }
        }
        validator.finish()
        _ = validator.fileProblem?.description
        _ = validator.errors.map(\.reason)
        precondition(validator.importedRows >= 0 && validator.importedRows <= validator.dataRows)
    }
    return 0
}
