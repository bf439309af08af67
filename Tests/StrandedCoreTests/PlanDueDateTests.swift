import Foundation
import StrandedCore
import Testing

private func date(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

@Suite("Plan due dates")
struct PlanDueDateTests {
    /// Every completion-date text that occurs in the seed plan, with the date
    /// it falls due (nil when it names none).
    static let seedForms: [(text: String, due: String?)] = [
        ("31/05/18", "2018-05-31"),
        ("30/04/18", "2018-04-30"),
        ("30/09/18", "2018-09-30"),
        ("22/03/18", "2018-03-22"),
        ("15/11/18", "2018-11-15"),
        ("19/7/18", "2018-07-19"),
        ("19/07/18 (HWB)", "2018-07-19"),
        ("15/11/18 (HWB)", "2018-11-15"),
        ("19/7/18 (HWB strategy)", "2018-07-19"),
        ("30/4/18 (NHSE ops planning)", "2018-04-30"),
        ("22/03/18 (draft for HWB) May 2018 (final)", "2018-05-31"),
        ("19/7/18 (HWB strategy) 15/11/18 (OP strategy)", "2018-11-15"),
        ("AEDB April 18", "2018-04-30"),
        ("Nov 2017", "2017-11-30"),
        ("December 2017", "2017-12-31"),
        ("Jan 2018", "2018-01-31"),
        ("March 2018", "2018-03-31"),
        ("April 2018", "2018-04-30"),
        ("May 2018", "2018-05-31"),
        ("July 2018", "2018-07-31"),
        ("August 2018", "2018-08-31"),
        ("September 2018", "2018-09-30"),
        ("November 2018", "2018-11-30"),
        ("December 2018", "2018-12-31"),
        ("January 2019", "2019-01-31"),
        ("March 2019", "2019-03-31"),
        ("March 2019 (HWB)", "2019-03-31"),
        ("July 2019", "2019-07-31"),
        ("September 2019", "2019-09-30"),
        ("As per AEDB implementation plan", nil),
        ("TBC subject to completion of review", nil),
        ("In-line with frailty pathway", nil),
        ("See AEDB Plan appended.", nil),
    ]

    @Test func everySeedFormParses() {
        for form in Self.seedForms {
            let due = DueDate(form.text)
            #expect(due.text == form.text)
            #expect(due.date == form.due.map(date), "\(form.text)")
            #expect(due.hasDate == (form.due != nil), "\(form.text)")
        }
    }

    @Test func theTableCoversEveryDueTextInTheSeedFile() throws {
        let doc = try PlanFixture.load()
        var texts: Set<String> = []
        for action in doc.allActions {
            if let due = action.due { texts.insert(due.text) }
            for sub in action.subActions { if let due = sub.due { texts.insert(due.text) } }
        }
        let covered = Set(Self.seedForms.map(\.text))
        #expect(texts.subtracting(covered).isEmpty, "not covered: \(texts.subtracting(covered).sorted())")
    }

    @Test func monthOnlyDatesFallDueOnTheLastDayOfTheMonth() {
        #expect(DueDate("February 2019").date == date("2019-02-28"))
        #expect(DueDate("February 2020").date == date("2020-02-29"))
        #expect(DueDate("Sept 2018").date == date("2018-09-30"))
        #expect(DueDate("Jun 18").deadlines == [.init(date: date("2018-06-30"), precision: .month)])
    }

    @Test func labelsAndPrecision() {
        let due = DueDate("22/03/18 (draft for HWB) May 2018 (final)")
        #expect(due.deadlines.map(\.label) == ["draft for HWB", "final"])
        #expect(due.deadlines.map(\.precision) == [.day, .month])
        #expect(DueDate("19/07/18 (HWB)").deadlines.first?.label == "HWB")
        #expect(DueDate("31/05/18").deadlines.first?.label == nil)
    }

    @Test func otherExactForms() {
        #expect(DueDate("22.03.2018").date == date("2018-03-22"))
        #expect(DueDate("1/4/2019").date == date("2019-04-01"))
        #expect(DueDate("by 30/4/2018.").date == date("2018-04-30"))
    }

    @Test func thingsThatAreNotDates() {
        #expect(DueDate("31/02/18").date == nil)  // no such day
        #expect(DueDate("31/13/18").date == nil)  // no such month
        #expect(DueDate("may 2018").date == nil)  // month words must be capitalised
        #expect(DueDate("May").date == nil)  // a month needs a year
        #expect(DueDate("Mayday 2018").date == nil)
        #expect(DueDate("2018").date == nil)
    }

    @Test func whitespaceIsCollapsedAndTheTextRoundTrips() throws {
        let due = DueDate("22/03/18 (draft for HWB)  May 2018 (final)")
        #expect(due.text == "22/03/18 (draft for HWB) May 2018 (final)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let json = try encoder.encode(due)
        #expect(String(decoding: json, as: UTF8.self) == #""22/03/18 (draft for HWB) May 2018 (final)""#)
        #expect(try JSONDecoder().decode(DueDate.self, from: json) == due)
    }
}
