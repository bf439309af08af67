import Foundation
import Postgres
import StrandedCore

/// A site a stays extract names, as the aim needs it.
public struct StaySite: Sendable, Equatable {
    public let id: Int64
    public let code: String
    public let isAcute: Bool
}

/// What recording a batch of stays did.
public struct StayRecording: Sendable, Codable, Equatable {
    public var added = 0
    /// Stays already held that changed (most often: they have since ended).
    public var updated = 0
    public var unchanged = 0

    public init() {}
}

/// Stays in PostgreSQL: written by a stays extract now and a hospital feed
/// later, each stay once by (site, patient key, admission date).
public struct StayStore: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    /// Sites by code; codes with no site are absent.
    public func sites(codes: [String]) async throws -> [String: StaySite] {
        guard !codes.isEmpty else { return [:] }
        var result: [String: StaySite] = [:]
        for row in try await database.client.query(
            "SELECT id, code, setting FROM site WHERE code = ANY(\(PostgresArray(codes))::text[])"
        ) {
            let site = StaySite(
                id: try row.decode("id"),
                code: try row.decode("code"),
                isAcute: try row.decode("setting", as: String.self) == "acute"
            )
            result[site.code] = site
        }
        return result
    }

    /// Records `stays` in one transaction: new stays added, changed ones
    /// updated, stays sent again as they were left alone, so the same file
    /// twice changes nothing.
    public func record(_ stays: [Stay], source: StaySource, by author: String) async throws -> StayRecording {
        guard !stays.isEmpty else { return StayRecording() }
        return try await database.client.withTransaction { connection in
            let rows = try await connection.query(
                """
                WITH i AS (
                    SELECT * FROM unnest(\(PostgresArray(stays.map(\.siteID)))::bigint[], \(PostgresArray(stays.map(\.wardCode)))::text[],
                                         \(PostgresArray(stays.map(\.patientKey)))::text[], \(PostgresArray(stays.map(\.admissionDate.iso)))::date[],
                                         \(PostgresArray(stays.map { $0.endedOn?.iso ?? "" }))::text[],
                                         \(PostgresArray(stays.map { $0.destination?.rawValue ?? "" }))::text[])
                         AS i(site_id, ward_code, patient_key, admission_date, ended_on, destination)
                ), prior AS (
                    SELECT s.site_id, s.patient_key, s.admission_date,
                           (s.ward_code, s.ended_on, s.destination) IS NOT DISTINCT FROM
                           (i.ward_code, NULLIF(i.ended_on, '')::date, NULLIF(i.destination, '')) AS same
                    FROM stay s JOIN i USING (site_id, patient_key, admission_date)
                ), written AS (
                    INSERT INTO stay (site_id, ward_code, patient_key, admission_date, ended_on, destination, source, recorded_by)
                    SELECT i.site_id, i.ward_code, i.patient_key, i.admission_date, NULLIF(i.ended_on, '')::date,
                           NULLIF(i.destination, ''), \(source.rawValue), \(author)
                    FROM i LEFT JOIN prior p USING (site_id, patient_key, admission_date)
                    WHERE p.same IS NOT TRUE
                    ON CONFLICT (site_id, patient_key, admission_date) DO UPDATE SET
                        ward_code = EXCLUDED.ward_code, ended_on = EXCLUDED.ended_on, destination = EXCLUDED.destination,
                        source = EXCLUDED.source, recorded_by = EXCLUDED.recorded_by, recorded_at = now()
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM written) - (SELECT count(*) FROM prior WHERE NOT same) AS added,
                       (SELECT count(*) FROM prior WHERE NOT same) AS updated,
                       (SELECT count(*) FROM prior WHERE same) AS unchanged
                """
            )
            var recording = StayRecording()
            recording.added = try rows[0].decode("added", as: Int.self)
            recording.updated = try rows[0].decode("updated", as: Int.self)
            recording.unchanged = try rows[0].decode("unchanged", as: Int.self)
            return recording
        }
    }

    /// The stays admitted in `from...through` at the given sites.
    public func stays(siteIDs: [Int64], admittedFrom from: CalendarDate, through: CalendarDate) async throws -> [Stay] {
        guard !siteIDs.isEmpty else { return [] }
        return try await database.client.query(
            """
            SELECT site_id, ward_code, patient_key, admission_date, ended_on, destination FROM stay
            WHERE site_id = ANY(\(PostgresArray(siteIDs))::bigint[]) AND admission_date BETWEEN \(from) AND \(through)
            """
        ).map { row in
            Stay(
                siteID: try row.decode("site_id"),
                wardCode: try row.decode("ward_code"),
                patientKey: try row.decode("patient_key"),
                admissionDate: try row.decode("admission_date"),
                endedOn: try row.decode("ended_on"),
                destination: try row.decode("destination", as: String?.self).flatMap(StayDestination.init(rawValue:))
            )
        }
    }

    /// The sites holding any stay: measured sites, as against "not measured".
    public func measuredSiteIDs() async throws -> Set<Int64> {
        Set(try await database.client.query("SELECT DISTINCT site_id FROM stay").map { try $0.decode("site_id", as: Int64.self) })
    }

    /// Every acute site with its organisation and whether it has any stays:
    /// the units the aim is reported for, measured or not.
    public func aimSites() async throws -> [(code: String, site: AimSite)] {
        try await database.client.query(
            """
            SELECT s.id, s.code, o.code AS organisation_code, EXISTS (SELECT 1 FROM stay t WHERE t.site_id = s.id) AS has_stays
            FROM site s JOIN organisation o ON o.id = s.organisation_id
            WHERE s.setting = 'acute'
            ORDER BY s.code
            """
        ).map { row in
            (
                try row.decode("code"),
                AimSite(id: try row.decode("id"), organisationCode: try row.decode("organisation_code"), hasStays: try row.decode("has_stays"))
            )
        }
    }

    /// A stay as the weekly lists saw it: the last list that had it and the
    /// site's next list after that (nil when none came yet).
    public struct ListedStay: Sendable {
        public let siteID: Int64
        public let wardCode: String
        public let patientKey: String
        public let admissionDate: CalendarDate
        public let lastListed: CalendarDate
        public let nextList: CalendarDate?
    }

    /// Every stay the acute sites' current lists show, for deriving stays
    /// from lists where no extract exists (the demo).
    public func listedAcuteStays() async throws -> [ListedStay] {
        try await database.client.query(
            """
            WITH seen AS (
                SELECT r.site_id, r.patient_key, r.admission_date, min(r.ward_code) AS ward_code, max(sn.snapshot_date) AS last_listed
                FROM list_row r
                JOIN snapshot sn ON sn.import_id = r.import_id AND sn.site_id = r.site_id AND sn.superseded_by_import IS NULL
                JOIN site s ON s.id = r.site_id AND s.setting = 'acute'
                GROUP BY r.site_id, r.patient_key, r.admission_date
            )
            SELECT seen.*, (SELECT min(n.snapshot_date) FROM snapshot n
                            WHERE n.site_id = seen.site_id AND n.superseded_by_import IS NULL AND n.snapshot_date > seen.last_listed) AS next_list
            FROM seen
            ORDER BY seen.site_id, seen.admission_date, seen.patient_key
            """
        ).map { row in
            ListedStay(
                siteID: try row.decode("site_id"),
                wardCode: try row.decode("ward_code"),
                patientKey: try row.decode("patient_key"),
                admissionDate: try row.decode("admission_date"),
                lastListed: try row.decode("last_listed"),
                nextList: try row.decode("next_list")
            )
        }
    }
}
