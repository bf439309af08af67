import Foundation
import Synchronization
import Testing

@testable import Web

@Suite("Rendered ward pages")
struct ReviewPageCacheTests {
    /// Requests for a page being rendered wait for that render instead of making their own.
    @Test func aPageIsRenderedOnceHoweverManyAskAtOnce() async throws {
        let cache = ReviewPageCache()
        let key = ReviewPageCache.Key(wardID: 1, week: "2026-11-30", minute: 1, stamp: "s", viewer: "v")
        let renders = Renders()
        let pages = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.page(key) {
                        renders.count.withLock { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(200))
                        return "<p>page</p>"
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(pages == Array(repeating: "<p>page</p>", count: 20))
        #expect(renders.count.withLock { $0 } == 1)
        #expect(cache.page(key) == "<p>page</p>")
    }
}

private final class Renders: Sendable {
    let count = Mutex(0)
}
