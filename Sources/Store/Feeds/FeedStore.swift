import Foundation
import Postgres
import StrandedCore

/// What receiving one message did.
public enum FeedReceipt: Sendable, Equatable {
    /// Stored, and the spell's bed state and stays folded again.
    case applied(encounterKey: String)
    /// Stored and acknowledged; A04/A05 change no bed.
    case ignored
    /// The same (sending facility, control id) was stored before: nothing changed.
    case duplicate
}

/// The feeds in PostgreSQL: stored messages, the live bed state, the stays
/// they make, and the facility mapping. One transaction per message, so an
/// ACK sent after ``receive(_:body:channel:mapping:)`` returns means stored.
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

    /// Stores `event` (with `body`, the message as received) once, then folds
    /// its spell again from every stored event and writes the bed state and
    /// the spell's stays, all in one transaction.
    public func receive(_ event: ADTEvent, body: String, channel: Channel, mapping: FeedMapping) async throws -> FeedReceipt {
        let key = Self.encounterKey(channel: channel, sendingFacility: event.sendingFacility, visitNumber: event.visitNumber)
        let siteID = event.location.flatMap(mapping.site(for:))?.id
        return try await database.client.withTransaction { connection in
            // One spell's messages are folded one at a time, so two arriving together both count.
            try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 20))")
            let inserted = try await connection.query(
                """
                INSERT INTO feed_message (channel, sending_facility, control_id, site_id, trigger, event_time, encounter_key, applied, body, event)
                VALUES (\(channel.rawValue), \(event.sendingFacility.uppercased()), \(event.controlID), \(siteID), \(event.trigger.rawValue),
                        \(event.eventTime), \(key), \(event.trigger.isApplied), \(body), \(PostgresJSON(event))::jsonb)
                ON CONFLICT (sending_facility, control_id) DO NOTHING
                RETURNING id
                """
            )
            guard !inserted.isEmpty else { return .duplicate }
            guard event.trigger.isApplied else { return .ignored }
            let events = try await connection.query(
                "SELECT event FROM feed_message WHERE encounter_key = \(key) AND applied ORDER BY id"
            ).map { try $0.decode("event", as: PostgresJSON<ADTEvent>.self).value }
            let encounter = FeedEncounter.fold(visitNumber: event.visitNumber, events: events)
            try await write(encounter, key: key, channel: channel, fhirResource: nil, mapping: mapping, on: connection)
            return .applied(encounterKey: key)
        }
    }

    /// Writes a spell's state and its stays (replacing the stays it made before).
    func write(
        _ encounter: FeedEncounter,
        key: String,
        channel: Channel,
        fhirResource: String?,
        mapping: FeedMapping,
        on connection: PostgresConnection
    ) async throws {
        let stays = encounter.stays(siteOf: mapping.site(for:)).map { stay in
            var stay = stay
            stay.wardCode = encounter.wardStays.first { mapping.site(for: $0.location)?.id == stay.siteID }.map { mapping.wardCode(for: $0.location) } ?? stay.wardCode
            return stay
        }
        let last = encounter.wardStays.last?.location
        let siteID = last.flatMap(mapping.site(for:))?.id
        try await connection.execute(
            """
            INSERT INTO feed_encounter (encounter_key, channel, site_id, status, ward_code, room, bed, admitted_at, discharged_at, state, fhir_resource)
            VALUES (\(key), \(channel.rawValue), \(siteID), \(encounter.status.rawValue), \(last.map(mapping.wardCode(for:))), \(last?.room), \(last?.bed),
                    \(encounter.admittedAt), \(encounter.dischargedAt), \(PostgresJSON(encounter))::jsonb, \(fhirResource)::jsonb)
            ON CONFLICT (encounter_key) DO UPDATE SET
                site_id = EXCLUDED.site_id, status = EXCLUDED.status, ward_code = EXCLUDED.ward_code, room = EXCLUDED.room, bed = EXCLUDED.bed,
                admitted_at = EXCLUDED.admitted_at, discharged_at = EXCLUDED.discharged_at, state = EXCLUDED.state,
                fhir_resource = COALESCE(EXCLUDED.fhir_resource, feed_encounter.fhir_resource),
                version = feed_encounter.version + 1, updated_at = now()
            """
        )
        // The spell's stays are exactly what its events now say: a cancelled
        // admission leaves none, a cancelled discharge reopens one.
        try await connection.execute(
            """
            WITH gone AS (
                DELETE FROM stay WHERE source = 'feed' AND source_reference = \(key)
            )
            INSERT INTO stay (site_id, ward_code, patient_key, admission_date, ended_on, destination, source, source_reference, recorded_by)
            SELECT i.site_id, i.ward_code, i.patient_key, i.admission_date, NULLIF(i.ended_on, '')::date, NULLIF(i.destination, ''),
                   'feed', \(key), 'feed'
            FROM unnest(\(PostgresArray(stays.map(\.siteID)))::bigint[], \(PostgresArray(stays.map(\.wardCode)))::text[],
                        \(PostgresArray(stays.map(\.patientKey)))::text[], \(PostgresArray(stays.map(\.admissionDate.iso)))::date[],
                        \(PostgresArray(stays.map { $0.endedOn?.iso ?? "" }))::text[],
                        \(PostgresArray(stays.map { $0.destination?.rawValue ?? "" }))::text[])
                 AS i(site_id, ward_code, patient_key, admission_date, ended_on, destination)
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
