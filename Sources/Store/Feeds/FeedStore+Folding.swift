import Foundation
import Postgres
import StrandedCore

extension FeedStore {
    /// One folder at a time, across every server sharing the database: the
    /// HL7 spells' states are written by the folder alone.
    static let folderLock = PostgresAdvisoryKey("feed folder")

    /// Messages folded in one transaction at most: a busy feed's backlog in
    /// a few statements, each small enough to commit promptly.
    public static let foldLimit = 1000

    /// Folds up to `limit` stored messages waiting in the queue (oldest
    /// first) into their spells' bed state and stays, in one transaction.
    /// Returns how many it took: fewer than `limit` means the queue was
    /// drained as of that moment.
    ///
    /// A spell's new messages that all come after everything folded into it
    /// (the usual case) are folded onto its stored state; otherwise (a late
    /// message, or a state stored before this was possible) it is folded
    /// again from all its messages. Either way the state is the fold of every
    /// message held, in event time order, ties in the order received.
    @discardableResult
    public func foldPending(mapping: FeedMapping, limit: Int = foldLimit) async throws -> Int {
        try await database.client.withTransaction(advisoryLocks: [Self.folderLock]) { connection in
            // The batch, taken off the queue, and the states of its spells, in one statement.
            var batch: [(id: Int64, key: String, event: ADTEvent)] = []
            var held: [String: (state: FeedEncounter, foldedThrough: Int64?)] = [:]
            for row in try await connection.query(
                """
                WITH taken AS (
                    DELETE FROM feed_pending
                    WHERE message_id IN (SELECT message_id FROM feed_pending ORDER BY message_id LIMIT \(limit))
                    RETURNING message_id
                ),
                messages AS (
                    SELECT m.id, m.encounter_key, m.event FROM feed_message m JOIN taken t ON t.message_id = m.id
                )
                SELECT id, encounter_key, event, NULL::jsonb AS state, NULL::bigint AS folded_through FROM messages
                UNION ALL
                SELECT NULL, e.encounter_key, NULL, e.state, e.folded_through FROM feed_encounter e
                WHERE e.encounter_key IN (SELECT encounter_key FROM messages)
                """
            ) {
                let key = try row.decode("encounter_key", as: String.self)
                if let id = try row.decode("id", as: Int64?.self) {
                    batch.append((id, key, try row.decode("event", as: PostgresJSON<ADTEvent>.self).value))
                } else {
                    held[key] = (try row.decode("state", as: PostgresJSON<FeedEncounter>.self).value, try row.decode("folded_through"))
                }
            }
            guard !batch.isEmpty else { return 0 }
            batch.sort { $0.id < $1.id }
            var arriving: [String: [(id: Int64, event: ADTEvent)]] = [:]
            for message in batch { arriving[message.key, default: []].append((message.id, message.event)) }

            // A spell with no state yet has no messages folded before.
            let refolding = arriving.filter { key, new in
                guard let (state, foldedThrough) = held[key] else { return false }
                return !state.canFold(new.map(\.event), received: new.map(\.id), lastReceived: foldedThrough)
            }.keys
            var allEvents: [String: [ADTEvent]] = [:]
            if !refolding.isEmpty {
                // Every message of those spells folded before, and this batch's
                // (no longer queued); not those still waiting for a later batch.
                for row in try await connection.query(
                    """
                    SELECT encounter_key, event FROM feed_message m
                    WHERE encounter_key = ANY(\(PostgresArray(Array(refolding)))::text[]) AND applied
                      AND NOT EXISTS (SELECT 1 FROM feed_pending p WHERE p.message_id = m.id)
                    ORDER BY id
                    """
                ) {
                    allEvents[try row.decode("encounter_key", as: String.self), default: []].append(
                        try row.decode("event", as: PostgresJSON<ADTEvent>.self).value
                    )
                }
            }
            let spells = arriving.keys.sorted().map { key in
                let new = arriving[key]!
                let visitNumber = new[0].event.visitNumber
                let encounter: FeedEncounter
                if let events = allEvents[key] {
                    encounter = FeedEncounter.fold(visitNumber: visitNumber, events: events)
                } else if let (state, _) = held[key] {
                    encounter = state.folding(new.map(\.event))
                } else {
                    encounter = FeedEncounter.fold(visitNumber: visitNumber, events: new.map(\.event))
                }
                // Most messages (an A08, a move within a hospital) change no
                // stay: then the spell's stays are left as they are.
                let stays = Self.stays(of: encounter, mapping: mapping)
                let staysBefore = held[key].map { Self.stays(of: $0.state, mapping: mapping) }
                return SpellWrite(
                    key: key, channel: .hl7v2, encounter: encounter, stays: stays == staysBefore ? nil : stays,
                    foldedThrough: max(new[new.count - 1].id, held[key]?.foldedThrough ?? 0)
                )
            }
            try await write(spells, mapping: mapping, on: connection)
            return batch.count
        }
    }

    /// Folds every message waiting, so that what is read next is the bed
    /// state of every message acknowledged. Cheap when none is waiting.
    public func settle(mapping: FeedMapping? = nil) async throws {
        guard try await !database.client.query("SELECT 1 FROM feed_pending LIMIT 1").isEmpty else { return }
        let mapping = if let mapping { mapping } else { try await self.mapping() }
        try await foldAllPending(mapping: mapping)
    }

    /// Folds batch after batch until the queue is drained.
    public func foldAllPending(mapping: FeedMapping) async throws {
        while try await foldPending(mapping: mapping) == Self.foldLimit {}
    }
}
