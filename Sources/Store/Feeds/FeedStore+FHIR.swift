import Foundation
import Postgres
import StrandedCore

/// One Encounter to write: its id, the spell it describes and the resource as it will be read back.
public struct FHIREncounterWrite: Sendable {
    public let id: String
    public let spell: FeedEncounter
    /// The resource JSON (with its id), kept whole for `GET /fhir/Encounter/{id}`.
    public let resource: String

    public init(id: String, spell: FeedEncounter, resource: String) {
        self.id = id
        self.spell = spell
        self.resource = resource
    }
}

extension FeedStore {
    /// Writes Encounters (a single create or update, or a transaction
    /// Bundle's entries) in one transaction: each replaces its spell's state
    /// and stays. Returns each one's new version.
    public func writeFHIR(_ writes: [FHIREncounterWrite], mapping: FeedMapping) async throws -> [Int] {
        let keys = writes.map { Self.encounterKey(channel: .fhir, sendingFacility: "", visitNumber: $0.id) }
        return try await database.client.withTransaction(advisoryLocks: keys.map(Self.lockKey)) { connection in
            var versions: [Int] = []
            for (item, key) in zip(writes, keys) {
                let siteID = item.spell.wardStays.last.flatMap { mapping.site(for: $0.location) }?.id
                // Counted on the feed-health page like an HL7 message; a whole resource, so no event to fold.
                try await connection.execute(
                    """
                    INSERT INTO feed_message (channel, sending_facility, control_id, site_id, trigger, event_time, encounter_key, applied, body, event)
                    VALUES ('fhir', 'FHIR', \(UUID().uuidString), \(siteID), 'Encounter', now(), \(key), true, \(item.resource),
                            \(PostgresJSON(item.spell))::jsonb)
                    """
                )
                try await self.write([SpellWrite(key: key, channel: .fhir, encounter: item.spell, stays: Self.stays(of: item.spell, mapping: mapping), fhirResource: item.resource)], mapping: mapping, on: connection)
                versions.append(try await connection.query("SELECT version FROM feed_encounter WHERE encounter_key = \(key)")[0].decode("version"))
            }
            return versions
        }
    }

    /// The stored Encounter and its version; nil when there is none.
    public func fhirEncounter(id: String) async throws -> (resource: String, version: Int, updatedAt: Date)? {
        let key = Self.encounterKey(channel: .fhir, sendingFacility: "", visitNumber: id)
        let rows = try await database.client.query(
            "SELECT fhir_resource::text AS resource, version, updated_at FROM feed_encounter WHERE encounter_key = \(key) AND fhir_resource IS NOT NULL"
        )
        guard let row = rows.first else { return nil }
        return (try row.decode("resource"), try row.decode("version"), try row.decode("updated_at"))
    }

    /// Whether an Encounter with this id is held (a create must not reuse one).
    public func fhirEncounterExists(id: String) async throws -> Bool {
        try await fhirEncounter(id: id) != nil
    }

    /// The mapping, for the FHIR routes.
    public func currentMapping() async throws -> FeedMapping { try await mapping() }
}
