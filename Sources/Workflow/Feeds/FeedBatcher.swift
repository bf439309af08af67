import Store
import StrandedCore
import Synchronization

/// Group commit for feed messages. Every connection waits for its ACK and an
/// ACK waits for a disk flush, so stored one transaction each, messages would
/// go no faster than one flush per message per connection. Here messages that
/// arrive while a batch is being written wait for the next batch, and one
/// statement (one flush) stores them all. Nothing waits on a timer: a
/// message arriving at a quiet moment is written at once, alone. Once a
/// batch is stored, the folder is woken to fold it into the bed state.
///
/// At most ``writers`` batches are written at a time (three by default: one batch's
/// flush overlaps the next ones' statements, and a busy feed still leaves
/// most of the connection pool to people's pages). Messages on one connection still go
/// one at a time (the sender waits for each ACK), and messages of one spell
/// from two connections are ordered by the spell's lock and their event times.
public final class FeedBatcher: Sendable {
    private struct Waiting {
        let arrival: FeedArrival
        let mapping: FeedMapping
        let continuation: CheckedContinuation<FeedReceipt, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var writing = 0
    }

    private let store: FeedStore
    private let folder: FeedFolder
    private let state = Mutex(State())
    /// Batches written at once.
    let writers: Int
    /// Messages in one transaction at most: a few hundred keeps a batch's
    /// statements small and its ACKs prompt.
    let maximumBatch: Int

    public static let defaultWriters = 3

    init(store: FeedStore, folder: FeedFolder, writers: Int = defaultWriters, maximumBatch: Int = 256) {
        self.store = store
        self.folder = folder
        self.writers = writers
        self.maximumBatch = maximumBatch
    }

    /// Stores `arrival` in the next batch; returns once that batch is committed.
    func receive(_ arrival: FeedArrival, mapping: FeedMapping) async throws -> FeedReceipt {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state in
                state.queue.append(Waiting(arrival: arrival, mapping: mapping, continuation: continuation))
                guard state.writing < writers else { return false }
                state.writing += 1
                return true
            }
            // A writer drains the queue and ends when it is empty; it is not
            // cancelled with the message that started it, so a batch once
            // begun is always finished and answered.
            if startWriter { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                guard !state.queue.isEmpty else {
                    state.writing -= 1
                    return []
                }
                let batch = Array(state.queue.prefix(maximumBatch))
                state.queue.removeFirst(batch.count)
                return batch
            }
            if batch.isEmpty { return }
            await write(batch)
        }
    }

    private func write(_ batch: [Waiting]) async {
        // The newest mapping the batch was checked against (each message was
        // checked, and the mapping read again for one it lacked).
        let mapping = batch[batch.count - 1].mapping
        do {
            let receipts = try await store.receive(batch.map(\.arrival), mapping: mapping)
            if receipts.contains(where: \.isApplied) { folder.wake() }
            for (waiting, receipt) in zip(batch, receipts) { waiting.continuation.resume(returning: receipt) }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            // One message the database refuses must not cost its neighbours
            // their ACKs: each is tried again alone and answered for itself.
            for waiting in batch {
                do {
                    let receipt = try await store.receive([waiting.arrival], mapping: waiting.mapping)[0]
                    if receipt.isApplied { folder.wake() }
                    waiting.continuation.resume(returning: receipt)
                } catch {
                    waiting.continuation.resume(throwing: error)
                }
            }
        }
    }
}
