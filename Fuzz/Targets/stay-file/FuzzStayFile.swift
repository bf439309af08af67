import StrandedCore
import WardListImport

// A stays extract (admissions and discharges) as uploaded on /stays/import.

func fuzzStayFile(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    do {
        let (rows, issues) = try StayFile.read(bytes)
        for row in rows {
            precondition(row.line >= 2, "a data row on the header line")
            if let ended = row.endedOn { _ = row.admissionDate.days(until: ended) }
        }
        _ = issues.map(\.reason)
    } catch {
        _ = "\(error)"
    }
    return 0
}
