import Foundation
import Postgres
import StrandedCore

/// One patient in a bed at a fed site at an instant: a ward list row.
public struct FeedCensusEntry: Sendable, Equatable {
    public let siteCode: String
    public let wardCode: String
    public let nhsNumber: NHSNumber?
    public let localPatientID: String?
    public let familyName: String?
    public let givenName: String?
    public let dateOfBirth: CalendarDate?
    public let admissionDate: CalendarDate
    public let spellID: String
    public let room: String?
    public let bed: String?
    public let atSiteSince: Date
}

extension FeedStore {
    /// Everyone in a bed at `instant` at the fed sites, from the spells'
    /// folded histories, so a list taken late still shows the list time's beds.
    public func census(at instant: Date, mapping: FeedMapping, siteIDs: Set<Int64>? = nil) async throws -> [FeedCensusEntry] {
        try await settle(mapping: mapping)
        let rows = try await database.client.query(
            """
            SELECT encounter_key, state FROM feed_encounter
            WHERE status <> 'cancelled' AND admitted_at <= \(instant) AND (discharged_at IS NULL OR discharged_at > \(instant))
            """
        )
        var entries: [FeedCensusEntry] = []
        for row in rows {
            let encounter = try row.decode("state", as: PostgresJSON<FeedEncounter>.self).value
            guard let placement = encounter.placement(at: instant, siteOf: mapping.site(for:)),
                siteIDs?.contains(placement.site.id) ?? true,
                encounter.nhsNumber != nil || encounter.localPatientID != nil
            else { continue }
            entries.append(
                FeedCensusEntry(
                    siteCode: placement.site.code,
                    wardCode: mapping.wardCode(for: placement.location),
                    nhsNumber: encounter.nhsNumber,
                    localPatientID: encounter.localPatientID,
                    familyName: encounter.familyName,
                    givenName: encounter.givenName,
                    dateOfBirth: encounter.dateOfBirth,
                    admissionDate: HL7Time.calendarDate(placement.atSiteSince),
                    spellID: encounter.visitNumber,
                    room: placement.location.room,
                    bed: placement.location.bed,
                    atSiteSince: placement.atSiteSince
                )
            )
        }
        return entries.sorted { ($0.siteCode, $0.wardCode, $0.bed ?? "", $0.spellID) < ($1.siteCode, $1.wardCode, $1.bed ?? "", $1.spellID) }
    }

    /// The sites that have had a message applied: the sites whose weekly list the feed makes.
    public func fedSiteIDs() async throws -> Set<Int64> {
        try await settle()
        return Set(
            try await database.client.query(
                "SELECT DISTINCT site_id FROM feed_encounter WHERE site_id IS NOT NULL"
            ).map { try $0.decode("site_id", as: Int64.self) }
        )
    }
}

/// A site's feed at a glance, for the data team.
public struct FeedHealth: Sendable, Equatable, Codable {
    public let siteID: Int64
    public let siteCode: String
    public let siteName: String
    public let lastMessageAt: Date?
    public let messagesToday: Int
    /// Answered AE today.
    public let errorsToday: Int
    /// Answered AR today.
    public let rejectsToday: Int
    public let inHospital: Int
    public let lastErrorField: String?
    public let lastErrorReason: String?
    public let lastErrorAt: Date?
}

extension FeedStore {
    /// Feed health for each mapped site; "today" starts at `since` (London midnight).
    public func health(since: Date) async throws -> [FeedHealth] {
        try await settle()
        return try await database.client.query(
            """
            SELECT s.id, s.code, s.name,
                   (SELECT max(m.received_at) FROM feed_message m WHERE m.site_id = s.id) AS last_message,
                   (SELECT count(*) FROM feed_message m WHERE m.site_id = s.id AND m.received_at >= \(since)) AS messages_today,
                   (SELECT count(*) FROM feed_error e WHERE e.site_id = s.id AND e.ack_code = 'AE' AND e.received_at >= \(since)) AS errors_today,
                   (SELECT count(*) FROM feed_error e WHERE e.site_id = s.id AND e.ack_code = 'AR' AND e.received_at >= \(since)) AS rejects_today,
                   (SELECT count(*) FROM feed_encounter c WHERE c.site_id = s.id AND c.status = 'in-hospital') AS in_hospital,
                   last_error.field, last_error.reason, last_error.received_at AS last_error_at
            FROM site s
            LEFT JOIN LATERAL (SELECT field, reason, received_at FROM feed_error e WHERE e.site_id = s.id ORDER BY id DESC LIMIT 1) last_error ON true
            WHERE s.id IN (SELECT site_id FROM feed_facility)
            ORDER BY s.code
            """
        ).map { row in
            FeedHealth(
                siteID: try row.decode("id"),
                siteCode: try row.decode("code"),
                siteName: try row.decode("name"),
                lastMessageAt: try row.decode("last_message"),
                messagesToday: try row.decode("messages_today"),
                errorsToday: try row.decode("errors_today"),
                rejectsToday: try row.decode("rejects_today"),
                inHospital: try row.decode("in_hospital"),
                lastErrorField: try row.decode("field"),
                lastErrorReason: try row.decode("reason"),
                lastErrorAt: try row.decode("last_error_at")
            )
        }
    }

    /// Errors not tied to a site (unmapped facilities, unreadable messages) today.
    public func unplacedErrors(since: Date) async throws -> Int {
        try await database.client.query("SELECT count(*) AS n FROM feed_error WHERE site_id IS NULL AND received_at >= \(since)")[0].decode("n")
    }
}
