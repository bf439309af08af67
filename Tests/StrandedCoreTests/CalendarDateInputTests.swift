import StrandedCore
import Testing

@Suite("Dates people give: parsing and the accepted range")
struct CalendarDateInputTests {
    @Test(arguments: ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31", "01/01/0001"])
    func datesOutsideTheAcceptedYearsAreRefusedNamingTheField(_ text: String) {
        #expect(throws: DateInputError.self) { try CalendarDate.input(text, field: "from") }
        do {
            _ = try CalendarDate.input(text, field: "from")
        } catch {
            #expect(error.field == "from")
            #expect(error.message.hasPrefix("from \"\(text)\" is outside the years 1900–2100"))
        }
    }

    @Test(arguments: ["-0001-01-01", "0000-01-01", "2026-02-30", "yesterday", ""])
    func textThatIsNoDateIsRefusedAsNotADate(_ text: String) {
        do {
            _ = try CalendarDate.input(text, field: "to")
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.message.contains("is not a date"))
            #expect(error.message.hasPrefix("to"))
        }
    }

    @Test func theEdgesOfTheRangeAreAccepted() throws {
        #expect(try CalendarDate.input("1900-01-01", field: "from") == CalendarDate(year: 1900, month: 1, day: 1))
        #expect(try CalendarDate.input("31/12/2100", field: "to") == CalendarDate(year: 2100, month: 12, day: 31))
        #expect(throws: DateInputError.self) { try CalendarDate.input("16/11/2026", field: "week", isoOnly: true) }
    }
}
