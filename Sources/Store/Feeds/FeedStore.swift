import Foundation
import Postgres
import StrandedCore

/// One message to store: the event read from it, and the message as received.
public struct FeedArrival: Sendable {
    public let event: ADTEvent
    public let body: String
    public let channel: FeedStore.Channel

    public init(event: ADTEvent, body: String, channel: FeedStore.Channel) {
        self.event = event
        self.body = body
        self.channel = channel
    }
}

/// What receiving one message did.
public enum FeedReceipt: Sendable, Equatable {
    /// Stored, and queued to be folded into the spell's bed state and stays.
    case applied(encounterKey: String)
    /// Stored and acknowledged; A04/A05 change no bed.
    case ignored
    /// The same (sending facility, control id) was stored before: nothing changed.
    case duplicate

    public var isApplied: Bool {
        if case .applied = self { return true }
        return false
    }
}

/// The feeds in PostgreSQL: stored messages, the live bed state, the stays
/// they make, and the facility mapping. Messages are stored in batches, one
/// statement each, so an ACK sent after ``receive(_:mapping:)`` returns
/// means stored; the messages applied are folded into their spells' bed
/// state just after (``foldPending(mapping:limit:)``), and every read of the
/// bed state folds what is waiting first (``settle()``).
public struct FeedStore: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public enum Channel: String, Sendable {
        case hl7v2
        case fhir
    }

    /// The key a spell is stored under: the sender's own visit number, within its sender.
    public static func encounterKey(channel: Channel, sendingFacility: String, visitNumber: String) -> String {
        channel == .hl7v2 ? "hl7:\(sendingFacility.uppercased())|\(visitNumber)" : "fhir:\(visitNumber)"
    }

    // MARK: Receiving

    /// Stores a batch of messages in one statement (one transaction, one
    /// disk flush however many there are: the feed's group commit) and
    /// queues those to apply for folding. Returns a receipt per arrival, in
    /// order: a message stored before, or earlier in the batch, is a duplicate.
    public func receive(_ arrivals: [FeedArrival], mapping: FeedMapping) async throws -> [FeedReceipt] {
        guard !arrivals.isEmpty else { return [] }
        let keys = arrivals.map {
            Self.encounterKey(channel: $0.channel, sendingFacility: $0.event.sendingFacility, visitNumber: $0.event.visitNumber)
        }
        // A message sent twice within one batch is a duplicate of its first copy.
        var firstCopy: [String: Int] = [:]
        var copyOf: [Int?] = []
        for (index, arrival) in arrivals.enumerated() {
            let identity = Self.identity(arrival.event)
            if let first = firstCopy[identity] {
                copyOf.append(first)
            } else {
                firstCopy[identity] = index
                copyOf.append(nil)
            }
        }
        let unique = arrivals.indices.filter { copyOf[$0] == nil }
        var stored = Set<String>()
        for row in try await database.client.query(
            """
            WITH inserted AS (
                INSERT INTO feed_message (channel, sending_facility, control_id, site_id, trigger, event_time, encounter_key, applied, body, event)
                SELECT channel, sending_facility, control_id, site_id, trigger, event_time, encounter_key, applied, body, event
                FROM unnest(\(PostgresArray(unique.map { arrivals[$0].channel.rawValue }))::text[],
                            \(PostgresArray(unique.map { arrivals[$0].event.sendingFacility.uppercased() }))::text[],
                            \(PostgresArray(unique.map { arrivals[$0].event.controlID }))::text[],
                            \(PostgresArray(nullable: unique.map { arrivals[$0].event.location.flatMap(mapping.site(for:)).map { String($0.id) } }))::bigint[],
                            \(PostgresArray(unique.map { arrivals[$0].event.trigger.rawValue }))::text[],
                            \(PostgresArray(unique.map { arrivals[$0].event.eventTime }))::timestamptz[],
                            \(PostgresArray(unique.map { keys[$0] }))::text[],
                            \(PostgresArray(unique.map { arrivals[$0].event.trigger.isApplied ? "t" : "f" }))::boolean[],
                            \(PostgresArray(unique.map { arrivals[$0].body }))::text[],
                            \(PostgresArray(unique.map { PostgresJSON(arrivals[$0].event).text }))::jsonb[])
                     AS m(channel, sending_facility, control_id, site_id, trigger, event_time, encounter_key, applied, body, event)
                ON CONFLICT (sending_facility, control_id) DO NOTHING
                RETURNING id, applied, sending_facility || chr(31) || control_id AS identity
            ),
            queued AS (
                INSERT INTO feed_pending (message_id) SELECT id FROM inserted WHERE applied
            )
            SELECT identity FROM inserted
            """
        ) {
            stored.insert(try row.decode("identity", as: String.self))
        }
        return arrivals.indices.map { index in
            let arrival = arrivals[index]
            if copyOf[index] != nil || !stored.contains(Self.identity(arrival.event)) { return .duplicate }
            return arrival.event.trigger.isApplied ? .applied(encounterKey: keys[index]) : .ignored
        }
    }

    /// A message's identity among all stored: its sender and control id.
    static func identity(_ event: ADTEvent) -> String { event.sendingFacility.uppercased() + "\u{1F}" + event.controlID }

    /// The advisory lock a FHIR spell is written under.
    static func lockKey(_ encounterKey: String) -> PostgresAdvisoryKey { PostgresAdvisoryKey("feed spell " + encounterKey) }

    /// One spell's state to write.
    struct SpellWrite {
        let key: String
        let channel: Channel
        let encounter: FeedEncounter
        /// The stays it makes (``stays(of:mapping:)``), replacing those it
        /// made before; nil leaves them as they are (they have not changed).
        let stays: [Stay]?
        /// A FHIR Encounter as it will be read back; nil keeps the one held.
        var fhirResource: String? = nil
        /// The last message folded into it (HL7 spells).
        var foldedThrough: Int64? = nil
    }

    /// The stays a spell makes, each under the ward code the ward lists use
    /// for the first ward it was on at that site.
    static func stays(of encounter: FeedEncounter, mapping: FeedMapping) -> [Stay] {
        encounter.stays(siteOf: mapping.site(for:)).map { stay in
            var stay = stay
            stay.wardCode = encounter.wardStays.first { mapping.site(for: $0.location)?.id == stay.siteID }
                .map { mapping.wardCode(for: $0.location) } ?? stay.wardCode
            return stay
        }
    }

    /// Writes spells' states and the stays of those that carry them
    /// (replacing the stays each made before), one statement for any number of spells.
    func write(_ spells: [SpellWrite], mapping: FeedMapping, on connection: PostgresConnection) async throws {
        struct StayRow: Hashable {
            let siteID: Int64, patientKey: String, admissionDate: String
        }
        var stays: [StayRow: (stay: Stay, key: String)] = [:]
        var stayOrder: [StayRow] = []
        for spell in spells {
            for stay in spell.stays ?? [] {
                // Two spells making one stay (one patient admitted twice in a day
                // under two visit numbers): the later spell's word stands.
                let row = StayRow(siteID: stay.siteID, patientKey: stay.patientKey, admissionDate: stay.admissionDate.iso)
                if stays[row] == nil { stayOrder.append(row) }
                stays[row] = (stay, spell.key)
            }
        }
        let lasts = spells.map { $0.encounter.wardStays.last?.location }
        // Each spell's stays are exactly what its events now say: a cancelled
        // admission leaves none, a cancelled discharge reopens one. The
        // spells' states and stays are written in one statement.
        let rows = stayOrder.map { stays[$0]! }
        try await connection.execute(
            """
            WITH encounters AS (
                INSERT INTO feed_encounter (encounter_key, channel, site_id, status, ward_code, room, bed, admitted_at, discharged_at, state, fhir_resource, folded_through)
                SELECT * FROM unnest(
                    \(PostgresArray(spells.map(\.key)))::text[], \(PostgresArray(spells.map(\.channel.rawValue)))::text[],
                    \(PostgresArray(nullable: lasts.map { $0.flatMap(mapping.site(for:)).map { String($0.id) } }))::bigint[],
                    \(PostgresArray(spells.map(\.encounter.status.rawValue)))::text[],
                    \(PostgresArray(nullable: lasts.map { $0.map(mapping.wardCode(for:)) }))::text[],
                    \(PostgresArray(nullable: lasts.map { $0?.room }))::text[], \(PostgresArray(nullable: lasts.map { $0?.bed }))::text[],
                    \(PostgresArray(nullable: spells.map(\.encounter.admittedAt)))::timestamptz[],
                    \(PostgresArray(nullable: spells.map(\.encounter.dischargedAt)))::timestamptz[],
                    \(PostgresArray(spells.map { PostgresJSON($0.encounter).text }))::jsonb[],
                    \(PostgresArray(nullable: spells.map(\.fhirResource)))::jsonb[],
                    \(PostgresArray(nullable: spells.map { $0.foldedThrough.map(String.init) }))::bigint[])
                ON CONFLICT (encounter_key) DO UPDATE SET
                    site_id = EXCLUDED.site_id, status = EXCLUDED.status, ward_code = EXCLUDED.ward_code, room = EXCLUDED.room, bed = EXCLUDED.bed,
                    admitted_at = EXCLUDED.admitted_at, discharged_at = EXCLUDED.discharged_at, state = EXCLUDED.state,
                    fhir_resource = COALESCE(EXCLUDED.fhir_resource, feed_encounter.fhir_resource), folded_through = EXCLUDED.folded_through,
                    version = feed_encounter.version + 1, updated_at = now()
            ),
            gone AS (
                DELETE FROM stay WHERE source = 'feed' AND source_reference = ANY(\(PostgresArray(spells.filter { $0.stays != nil }.map(\.key)))::text[])
            )
            INSERT INTO stay (site_id, ward_code, patient_key, admission_date, ended_on, destination, source, source_reference, recorded_by)
            SELECT i.site_id, i.ward_code, i.patient_key, i.admission_date, NULLIF(i.ended_on, '')::date, NULLIF(i.destination, ''),
                   'feed', i.source_reference, 'feed'
            FROM unnest(\(PostgresArray(rows.map(\.stay.siteID)))::bigint[], \(PostgresArray(rows.map(\.stay.wardCode)))::text[],
                        \(PostgresArray(rows.map(\.stay.patientKey)))::text[], \(PostgresArray(rows.map(\.stay.admissionDate.iso)))::date[],
                        \(PostgresArray(rows.map { $0.stay.endedOn?.iso ?? "" }))::text[],
                        \(PostgresArray(rows.map { $0.stay.destination?.rawValue ?? "" }))::text[],
                        \(PostgresArray(rows.map(\.key)))::text[])
                 AS i(site_id, ward_code, patient_key, admission_date, ended_on, destination, source_reference)
            ON CONFLICT (site_id, patient_key, admission_date) DO UPDATE SET
                ward_code = EXCLUDED.ward_code, ended_on = EXCLUDED.ended_on, destination = EXCLUDED.destination,
                source = 'feed', source_reference = EXCLUDED.source_reference, recorded_by = 'feed', recorded_at = now()
            """
        )
    }

    /// Records a message that could not be used (no body: see migration 0030).
    public func recordError(channel: Channel, sendingFacility: String?, siteID: Int64?, code: String, field: String, reason: String) async throws {
        try await database.client.execute(
            """
            INSERT INTO feed_error (channel, sending_facility, site_id, ack_code, field, reason)
            VALUES (\(channel.rawValue), \(sendingFacility?.uppercased()), \(siteID), \(code), \(field), \(reason))
            """
        )
    }

    // MARK: The mapping

    public func mapping() async throws -> FeedMapping {
        var mapping = FeedMapping()
        for row in try await database.client.query(
            "SELECT f.code, s.id, s.code AS site_code, s.setting FROM feed_facility f JOIN site s ON s.id = f.site_id"
        ) {
            mapping.facilities[try row.decode("code", as: String.self)] = FeedSite(
                id: try row.decode("id"),
                code: try row.decode("site_code"),
                isAcute: try row.decode("setting", as: String.self) == "acute"
            )
        }
        for row in try await database.client.query("SELECT facility_code, feed_code, ward_code FROM feed_ward") {
            mapping.wards[try row.decode("facility_code", as: String.self), default: [:]][try row.decode("feed_code", as: String.self)] =
                try row.decode("ward_code", as: String.self)
        }
        return mapping
    }

    public struct UnknownSite: Error, CustomStringConvertible {
        public let code: String
        public var description: String { "no site \(code) is registered; register it first with `stranded sites add`" }
    }

    /// Maps a feed's facility code to a registered site (or moves it).
    public func mapFacility(_ facility: String, toSite siteCode: String) async throws {
        let updated = try await database.client.execute(
            """
            INSERT INTO feed_facility (code, site_id) SELECT \(facility.uppercased()), id FROM site WHERE code = \(siteCode.uppercased())
            ON CONFLICT (code) DO UPDATE SET site_id = EXCLUDED.site_id
            """
        )
        if updated == 0 { throw UnknownSite(code: siteCode.uppercased()) }
    }

    public struct UnknownFacility: Error, CustomStringConvertible {
        public let code: String
        public var description: String { "facility \(code) is not mapped; map it first with `stranded sites feed-map \(code) SITE`" }
    }

    /// Maps one of a facility's ward codes to the ward lists' code.
    public func mapWard(facility: String, feedCode: String, wardCode: String) async throws {
        let updated = try await database.client.execute(
            """
            INSERT INTO feed_ward (facility_code, feed_code, ward_code)
            SELECT code, \(feedCode.uppercased()), \(wardCode.uppercased()) FROM feed_facility WHERE code = \(facility.uppercased())
            ON CONFLICT (facility_code, feed_code) DO UPDATE SET ward_code = EXCLUDED.ward_code
            """
        )
        if updated == 0 { throw UnknownFacility(code: facility.uppercased()) }
    }

    /// Removes a facility's mapping (and its ward codes); its messages and stays stay.
    @discardableResult
    public func unmapFacility(_ facility: String) async throws -> Bool {
        try await database.client.execute("DELETE FROM feed_facility WHERE code = \(facility.uppercased())") > 0
    }

    public struct MappedFacility: Sendable, Equatable {
        public let facility: String
        public let siteCode: String
        public let wards: [(feedCode: String, wardCode: String)]
        public static func == (a: Self, b: Self) -> Bool {
            a.facility == b.facility && a.siteCode == b.siteCode && a.wards.map(\.feedCode) == b.wards.map(\.feedCode)
                && a.wards.map(\.wardCode) == b.wards.map(\.wardCode)
        }
    }

    public func mappedFacilities() async throws -> [MappedFacility] {
        let mapping = try await mapping()
        return mapping.facilities.keys.sorted().map { code in
            MappedFacility(
                facility: code,
                siteCode: mapping.facilities[code]!.code,
                wards: (mapping.wards[code] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            )
        }
    }
}
