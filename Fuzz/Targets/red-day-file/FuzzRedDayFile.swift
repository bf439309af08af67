import WardListImport

// A red and green days file as uploaded on /red-days/import.

func fuzzRedDayFile(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    do {
        let (rows, issues) = try RedDayFile.read(bytes)
        for row in rows { precondition(row.line >= 2, "a data row on the header line") }
        _ = issues.map(\.reason)
    } catch {
        _ = "\(error)"
    }
    return 0
}
