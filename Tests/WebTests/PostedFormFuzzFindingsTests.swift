import StrandedCore
import Testing

@testable import Web

/// Posted Level 1 forms the fuzzer (Fuzz/Targets/level1-form) found to stop
/// the process; each input is kept in Fuzz/Corpus/level1-form/regression-*.
@Suite("Posted Level 1 forms that once stopped the service")
struct PostedFormFuzzFindingsTests {
    @Test(arguments: ["action_rows=-2", "action_rows=-9223372036854775808", "a0_description=x&action_rows=-1"])
    func aNegativeActionRowCountReadsAsNoRows(_ body: String) {
        let input = ReviewFormInput(posted: PostedFields(body))
        #expect(input.actions.isEmpty)
        let (review, unreadable) = input.review()
        #expect(review.q2.actions.isEmpty)
        #expect(unreadable.isEmpty)
    }

    @Test func aHugeActionRowCountReadsAtMostFiftyRows() {
        let body = (0..<60).map { "a\($0)_description=Row+\($0)" }.joined(separator: "&") + "&action_rows=9223372036854775807"
        #expect(ReviewFormInput(posted: PostedFields(body)).actions.count == 50)
    }
}
