import Logging
import Store
import StrandedCore
import Synchronization

/// Folds stored feed messages into the bed state just after they are
/// acknowledged, off the ACK's path: the ACK waits only for the message to
/// be stored, and the folding takes everything waiting at once, hundreds of
/// messages a transaction when the feed is busy, one when it is quiet.
///
/// Told of new messages by ``wake()``; one fold runs at a time in this
/// process (and one across servers, by the store's lock). What is left
/// waiting when the process stops is folded by the next fold or read
/// (``FeedStore/settle(mapping:)``).
final class FeedFolder: Sendable {
    private struct State {
        var running = false
        var again = false
    }

    private let store: FeedStore
    private let mapping: @Sendable () async throws -> FeedMapping
    private let logger: Logger
    private let state = Mutex(State())

    init(store: FeedStore, logger: Logger, mapping: @escaping @Sendable () async throws -> FeedMapping) {
        self.store = store
        self.logger = logger
        self.mapping = mapping
    }

    /// Messages were queued: fold them soon.
    func wake() {
        let start = state.withLock { state -> Bool in
            if state.running {
                state.again = true
                return false
            }
            state.running = true
            return true
        }
        if start { Task { await self.run() } }
    }

    private func run() async {
        while true {
            state.withLock { $0.again = false }
            do {
                try await store.foldAllPending(mapping: mapping())
            } catch {
                // The messages stay queued: the next wake or read folds them.
                // The error is the database's, never a message's content.
                logger.error("feed messages not folded yet", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(200))
            }
            let done = state.withLock { state -> Bool in
                guard state.again else {
                    state.running = false
                    return true
                }
                return false
            }
            if done { return }
        }
    }
}
