import Foundation
import StrandedCore

// The Level 1 form as the API takes it (PUT /api/forms/{id}, POST
// /api/forms/{id}/complete): the JSON body the routes decode, then every check
// they run on it before anything is saved. Mirrors ReviewRoutes.SaveRequest.

private struct SaveRequest: Decodable {
    let version: Int?
    let review: Level1Review?
}

private let policy = StrandedPolicy.standard

func fuzzLevel1JSON(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let data else { return 0 }
    let body = Data(bytes: data, count: count)
    guard let request = try? JSONDecoder().decode(SaveRequest.self, from: body), let review = request.review else { return 0 }
    _ = review.unacceptableInput().map(\.message)
    _ = review.problems(taxonomy: policy.delayReasons).map(\.message)
    _ = review.themeProblems(taxonomy: policy.preventionThemes).map(\.message)
    // What is saved is encoded again (the stored form and the API's answer).
    guard let encoded = try? JSONEncoder().encode(review) else { preconditionFailure("a decoded review does not encode") }
    guard let again = try? JSONDecoder().decode(Level1Review.self, from: encoded) else { preconditionFailure("an encoded review does not decode") }
    precondition(again == review, "a review changes when encoded and decoded again")
    return 0
}
