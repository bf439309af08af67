import Foundation
import Synchronization

/// Rendered ward list pages, reused while nothing on them has changed.
///
/// A ward's list is read far more often than it changes (every tablet on the
/// ward refreshes it through the review meeting). An entry is keyed by ward,
/// week, the minute (the page shows time left and days since review) and a
/// stamp from the database that changes with any save on the ward's forms
/// (``ReviewStore/wardWeekStamp(wardID:week:)``), so a page is never older
/// than the last save on it, and each replica's cache is checked against the
/// shared database.
final class ReviewPageCache: Sendable {
    struct Key: Hashable, Sendable {
        let wardID: Int64
        let week: String
        let minute: Int
        let stamp: String
        /// The session (or user) the page was rendered for: it carries their name and CSRF token.
        let viewer: String
    }

    private let pages = Mutex<[Key: String]>([:])
    /// Pages being rendered: a request for one waits for that render rather
    /// than starting its own (when the minute turns, every open tablet of the
    /// ward asks at once, and fifty renders at once stalled them all).
    private let rendering = Mutex<[Key: Task<String, any Error>]>([:])
    private let capacity: Int

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    func page(_ key: Key) -> String? {
        pages.withLock { $0[key] }
    }

    /// The page for `key`: kept, or made by `render`, once however many
    /// requests ask for it meanwhile, and kept.
    func page(_ key: Key, render: @escaping @Sendable () async throws -> String) async throws -> String {
        if let page = page(key) { return page }
        let task = rendering.withLock { tasks in
            if let running = tasks[key] { return running }
            let task = Task { try await render() }
            tasks[key] = task
            return task
        }
        do {
            let html = try await task.value
            store(html, for: key)
            rendering.withLock { _ = $0.removeValue(forKey: key) }
            return html
        } catch {
            rendering.withLock { _ = $0.removeValue(forKey: key) }
            throw error
        }
    }

    func store(_ html: String, for key: Key) {
        pages.withLock { pages in
            // Entries for past minutes or old stamps are never asked for again:
            // dropping everything when full is simplest and loses little.
            if pages.count >= capacity { pages.removeAll(keepingCapacity: true) }
            pages[key] = html
        }
    }
}
