import StrandedCore

// The Level 1 form as the browser posts it (application/x-www-form-urlencoded
// to /forms/{id}): Web's PostedFields and ReviewFormInput, compiled in here
// from their source (Web itself needs Hummingbird), then every check the
// route runs before it saves.

private let policy = StrandedPolicy.standard

func fuzzLevel1Form(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let data else { return 0 }
    let body = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    let input = ReviewFormInput(posted: PostedFields(body))
    let (review, unreadable) = input.review()
    _ = unreadable.map(\.message)
    _ = review.problems(taxonomy: policy.delayReasons).map(\.message)
    _ = review.themeProblems(taxonomy: policy.preventionThemes).map(\.message)
    // A page shown again holds what was typed; a saved review shows as a form.
    if unreadable.isEmpty {
        let shown = ReviewFormInput(review: review)
        let (again, problems) = shown.review()
        precondition(problems.isEmpty, "a saved review, shown as a form, cannot be read back: \(problems.map(\.field))")
        precondition(again.q1 == review.q1 && again.q3 == review.q3 && again.outcome == review.outcome, "a saved review changes when shown as a form")
    }
    return 0
}
