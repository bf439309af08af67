import StrandedCore

// Dates as people and files give them (yyyy-mm-dd, dd/mm/yyyy, d/m/yyyy):
// whatever the text, it parses or is refused; a parsed date prints back the
// same, and the arithmetic a form or a list does on it stays on the calendar.

func fuzzDate(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: count)
    let text = String(decoding: bytes, as: UTF8.self)
    let iso = CalendarDate(iso: text)
    let either = CalendarDate(isoOrUK: text)
    if let iso {
        precondition(either == iso, "an ISO date reads differently as ISO or UK")
        precondition(CalendarDate(iso: iso.iso) == iso, "an ISO date does not print back")
    }
    if let date = either {
        precondition(CalendarDate(iso: date.iso) == date)
        precondition(CalendarDate(daysSinceEpoch: CalendarDate(daysSinceEpoch: 0).days(until: date)) == date)
        precondition(date.adding(days: 1).days(until: date) == -1)
        _ = ReviewWeek.containing(date)
    }
    for isoOnly in [false, true] {
        do {
            let date = try CalendarDate.input(text, field: "date", isoOnly: isoOnly)
            precondition(date.isAccepted)
            _ = ReviewWeek.containing(date).adding(weeks: 1)
        } catch {
            precondition(!error.message.isEmpty)
        }
    }
    return 0
}
