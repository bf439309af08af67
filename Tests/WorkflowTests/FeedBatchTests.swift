import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing
import Workflow

/// Messages stored in batches (many connections at once, one transaction
/// each batch) leave exactly the bed state and stays that the same messages
/// leave one at a time.
@Suite("Hospital feeds: messages stored together in batches")
struct FeedBatchTests {
    static func snapshot(_ database: Database) async throws -> [String] {
        try await FeedStore(database: database).settle()
        let encounters = try await database.client.query(
            "SELECT encounter_key || ' ' || status || ' ' || coalesce(ward_code, '-') || ' ' || state::text AS s FROM feed_encounter ORDER BY encounter_key"
        ).map { try $0.decode("s", as: String.self) }
        let stays = try await database.client.query(
            """
            SELECT concat_ws(' ', site_id, ward_code, patient_key, admission_date, ended_on, destination, source_reference) AS s
            FROM stay WHERE source = 'feed' ORDER BY 1
            """
        ).map { try $0.decode("s", as: String.self) }
        return encounters + stays
    }

    static func forget(_ database: Database) async throws {
        try await database.client.execute("DELETE FROM stay WHERE source = 'feed'")
        try await database.client.execute("DELETE FROM feed_encounter")
        try await database.client.execute("DELETE FROM feed_pending")
        try await database.client.execute("DELETE FROM feed_message")
    }

    @Test func allAtOnceEndsAsOneAtATime() async throws {
        try await TestCluster.withDatabase { database in
            try await FeedScenarioTests.register(database)
            let store = FeedStore(database: database)
            try await store.mapFacility("ACU1", toSite: "ACU1")
            try await store.mapFacility("COM1", toSite: "COM1")
            let messages = FeedScenarioTests.messages

            let receiver = FeedReceiver(database: database)
            for message in messages { _ = try await receiver.receiveHL7(message) }
            let oneAtATime = try await Self.snapshot(database)
            #expect(!oneAtATime.isEmpty)

            try await Self.forget(database)
            let together = FeedReceiver(database: database)
            let acks = try await withThrowingTaskGroup(of: String.self) { group in
                for message in messages { group.addTask { try await together.receiveHL7(message) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(acks.allSatisfy { $0.contains("MSA|AA") })
            #expect(try await Self.snapshot(database) == oneAtATime)
            #expect(try await database.client.query("SELECT count(*) AS n FROM feed_message")[0].decode("n", as: Int.self) == messages.count - 1)
        }
    }

    @Test func aBatchKnowsItsDuplicatesAndIgnoredMessages() async throws {
        try await TestCluster.withDatabase { database in
            try await FeedScenarioTests.register(database)
            let store = FeedStore(database: database)
            try await store.mapFacility("ACU1", toSite: "ACU1")
            let mapping = try await store.mapping()
            func arrival(_ trigger: ADTTrigger, _ id: String, visit: String) throws -> FeedArrival {
                try Self.arrival(trigger, id, at: "202611160900", ward: "W1", visit: visit)
            }
            let first = try arrival(.admit, "A", visit: "V1")
            let receipts = try await store.receive(
                [first, try arrival(.register, "B", visit: "V9"), first, try arrival(.admit, "C", visit: "V2")], mapping: mapping)
            #expect(receipts == [.applied(encounterKey: "hl7:ACU1|V1"), .ignored, .duplicate, .applied(encounterKey: "hl7:ACU1|V2")])
            // Sent again in a later batch: stored before, so a duplicate.
            #expect(try await store.receive([first], mapping: mapping) == [.duplicate])
            try await store.settle()
            #expect(try await database.client.query("SELECT count(*) AS n FROM feed_encounter")[0].decode("n", as: Int.self) == 2)
        }
    }

    static func arrival(_ trigger: ADTTrigger, _ id: String, at time: String, ward: String?, visit: String = "V1") throws -> FeedArrival {
        let text = ADTMessageText.make(
            trigger, controlID: id, facility: "ACU1", at: HL7Time.date(time)!, nhsNumber: nhs(1), localID: nil,
            visit: visit, ward: ward, bed: "B1", disposition: trigger == .discharge ? "19" : nil)
        return FeedArrival(event: try ADTEvent(message: try HL7Message(parsing: text)), body: text, channel: .hl7v2)
    }

    /// Messages later than all a spell holds are folded onto its stored
    /// state; a late one, or a state stored before its transfers were kept,
    /// has the spell folded again from every message: the ends are the same.
    @Test func aLateMessageOrAnOldStateFoldsTheSpellAgainFromEveryMessage() async throws {
        try await TestCluster.withDatabase { database in
            try await FeedScenarioTests.register(database)
            let store = FeedStore(database: database)
            try await store.mapFacility("ACU1", toSite: "ACU1")
            let mapping = try await store.mapping()
            let admit = try Self.arrival(.admit, "A", at: "202611160900", ward: "W1")
            let transfer = try Self.arrival(.transfer, "T", at: "202611171200", ward: "W2")
            let discharge = try Self.arrival(.discharge, "D", at: "202611201600", ward: nil)

            // Each message folded before the next arrives.
            func deliver(_ messages: [FeedArrival]) async throws {
                for message in messages {
                    _ = try await store.receive([message], mapping: mapping)
                    try await store.settle()
                }
            }
            try await deliver([admit, transfer, discharge])
            let inOrder = try await Self.snapshot(database)
            try await Self.forget(database)
            try await deliver([admit, discharge, transfer])
            #expect(try await Self.snapshot(database) == inOrder, "the transfer arrived after the discharge")

            // A12 needs the transfer it cancels: a state without them is folded from the messages.
            try await Self.forget(database)
            try await deliver([admit, transfer])
            try await database.client.execute("UPDATE feed_encounter SET state = state - 'transfers'")
            try await deliver([try Self.arrival(.cancelTransfer, "X", at: "202611171300", ward: "W1")])
            let ward: String? = try await database.client.query("SELECT ward_code FROM feed_encounter")[0].decode("ward_code")
            #expect(ward == "W1")
        }
    }

    /// The ACK waits for the message to be stored, not folded; whatever
    /// reads the bed state folds what is waiting first.
    @Test func aStoredMessageIsInTheNextReadOfTheBedState() async throws {
        try await TestCluster.withDatabase { database in
            try await FeedScenarioTests.register(database)
            let store = FeedStore(database: database)
            try await store.mapFacility("ACU1", toSite: "ACU1")
            let mapping = try await store.mapping()
            #expect(try await store.receive([try Self.arrival(.admit, "A", at: "202611160900", ward: "W1")], mapping: mapping) == [.applied(encounterKey: "hl7:ACU1|V1")])
            #expect(try await database.client.query("SELECT count(*) AS n FROM feed_pending")[0].decode("n", as: Int.self) == 1)
            let census = try await store.census(at: HL7Time.date("202611161000")!, mapping: mapping)
            #expect(census.map(\.wardCode) == ["W1"])
            #expect(try await database.client.query("SELECT count(*) AS n FROM feed_pending")[0].decode("n", as: Int.self) == 0)
        }
    }
}
