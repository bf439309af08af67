import StrandedCore
import Testing

@Suite("What text a free-text field accepts")
struct FreeTextTests {
    @Test(arguments: ["\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}"])
    func controlCharactersAreRefusedNamingTheField(_ control: String) {
        let message = FreeTextField("Notes", .note).problem("Awaiting\(control) a bed")
        #expect(message?.hasPrefix("Notes contains an invisible control character") == true)
        #expect(message?.contains("Awaiting") == false, "the message never quotes the text")
    }

    @Test func nulIsNamedAsNUL() {
        #expect(FreeText.problem(in: "a\u{0}b", limit: .note) == .controlCharacter(scalar: 0))
        #expect(FreeTextField("Ask", .note).problem("a\u{0}b")?.contains("(NUL)") == true)
    }

    @Test func tabsAndLineBreaksAreOrdinaryText() {
        #expect(FreeText.problem(in: "Line one\r\nLine two\n\tindented", limit: .note) == nil)
        #expect(FreeTextField("Notes", .note).problem(nil) == nil)
        #expect(FreeTextField("Notes", .note).problem("") == nil)
    }

    @Test(arguments: [(FreeTextLimit.note, 4_000), (.name, 200), (.code, 40)])
    func eachLimitAllowsExactlyItsLength(_ limit: FreeTextLimit, _ characters: Int) {
        #expect(FreeText.problem(in: String(repeating: "é", count: characters), limit: limit) == nil)
        #expect(
            FreeText.problem(in: String(repeating: "é", count: characters + 1), limit: limit)
                == .tooLong(characters: characters + 1, limit: characters)
        )
    }

    @Test func overTheLimitNamesTheFieldAndTheLimit() {
        let message = FreeTextField("Progress", .note).problem(String(repeating: "x", count: 1_900_000))
        #expect(message == "Progress is 1,900,000 characters long; the limit is 4,000: shorten it and save again.")
    }

    @Test func level1FieldsAreCheckedByTheirFormKeys() {
        var review = Level1Review()
        review.q1.narrative = "Waiting\u{0}"
        review.q2.actions = [ReviewAction(description: "Chase", owner: String(repeating: "o", count: 201), agency: nil, dueDate: nil)]
        review.outcome = .escalateToLevel2(ask: "Fund\u{0}")
        let problems = review.unacceptableInput()
        #expect(problems.map(\.field) == ["q1.narrative", "q2.actions[0].owner", "outcome.ask"])
        #expect(problems.allSatisfy { $0.kind == .invalid })
        #expect(problems[1].message.hasPrefix("Action 1: by whom is 201 characters long; the limit is 200"))
    }
}
