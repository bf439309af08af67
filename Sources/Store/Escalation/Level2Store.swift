import Foundation
import Postgres
import StrandedCore

/// Level 2 agendas, the meeting's records and the chief executive call's
/// decisions in PostgreSQL. Split by purpose: agendas
/// (`Level2Store+Agendas`), the meeting's records (`+Recording`) and the
/// call (`+ChiefExecutiveCall`); this file holds who may see a case and the
/// facts an agenda shows about it.
public struct Level2Store: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    // MARK: Scope

    /// Of these cases, those `scope` may see (its ward or organisation scope,
    /// by the case's site and latest ward).
    public func visibleCaseIDs(_ caseIDs: [Int64], scope: RecordScope) async throws -> Set<Int64> {
        guard !caseIDs.isEmpty else { return [] }
        if scope.all { return Set(caseIDs) }
        return Set(
            try await database.client.query(
                """
                SELECT c.id FROM patient_case c JOIN site s ON s.id = c.site_id JOIN ward w ON w.id = c.last_ward_id
                WHERE c.id = ANY(\(PostgresArray(caseIDs))::bigint[]) AND \(fragment: scope.condition())
                """
            ).map { try $0.decode("id", as: Int64.self) }
        )
    }

    /// The case's NHS number when `scope` (nil: no restriction) may see it;
    /// nil when the case does not exist or is out of scope. Inside a recording's transaction.
    static func caseInScope(_ caseID: Int64, scope: RecordScope?, on connection: PostgresConnection) async throws -> (found: Bool, nhsNumber: String?)
    {
        let scope = scope ?? .all
        guard
            let row = try await connection.query(
                """
                SELECT c.nhs_number FROM patient_case c JOIN site s ON s.id = c.site_id JOIN ward w ON w.id = c.last_ward_id
                WHERE c.id = \(caseID) AND \(fragment: scope.condition())
                """
            ).first
        else { return (false, nil) }
        return (true, try row.decode("nhs_number"))
    }

    // MARK: Case facts

    /// The cases' forms up to `week`, with who and where they are.
    public func caseFacts(caseIDs: [Int64], upTo week: ReviewWeek) async throws -> [Int64: AgendaCaseFacts] {
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try await database.client.query(
            """
            SELECT c.id AS case_id, o.id AS organisation_id, o.name AS organisation_name, s.code AS site_code, s.name AS site_name,
                   r.patient_key, r.nhs_number, r.family_name, r.given_name, r.age, c.admission_date,
                   f.week_start, f.los, f.status, f.review, w.code AS ward_code, w.name AS ward_name
            FROM patient_case c
            JOIN site s ON s.id = c.site_id
            JOIN organisation o ON o.id = s.organisation_id
            JOIN level1_form f ON f.case_id = c.id AND f.week_start <= \(week.monday)
            JOIN ward w ON w.id = f.ward_id
            JOIN list_row r ON r.import_id = f.source_import AND r.site_id = c.site_id AND r.line_no = f.source_line
            WHERE c.id = ANY(\(PostgresArray(caseIDs))::bigint[])
            ORDER BY c.id, f.week_start
            """
        )
        var result: [Int64: AgendaCaseFacts] = [:]
        var weeks: [Int64: [CaseWeekFacts]] = [:]
        for row in rows {
            let caseID: Int64 = try row.decode("case_id")
            weeks[caseID, default: []].append(
                CaseWeekFacts(
                    week: try row.decode("week_start"),
                    lengthOfStay: try row.decode("los"),
                    status: try row.decodeRawValue("status", as: FormStatus.self),
                    review: try row.decode("review", as: PostgresJSON<Level1Review>.self).value,
                    wardCode: try row.decode("ward_code"),
                    wardName: try row.decode("ward_name")
                )
            )
            // The latest row's identity wins (rows are ordered by week).
            result[caseID] = AgendaCaseFacts(
                caseID: caseID,
                organisationID: try row.decode("organisation_id"),
                organisationName: try row.decode("organisation_name"),
                siteCode: try row.decode("site_code"),
                siteName: try row.decode("site_name"),
                patientKey: try row.decode("patient_key"),
                nhsNumber: try row.decode("nhs_number"),
                familyName: try row.decode("family_name"),
                givenName: try row.decode("given_name"),
                age: try row.decode("age"),
                admissionDate: try row.decode("admission_date"),
                weeks: []
            )
        }
        for (id, facts) in result {
            result[id] = AgendaCaseFacts(
                caseID: facts.caseID,
                organisationID: facts.organisationID,
                organisationName: facts.organisationName,
                siteCode: facts.siteCode,
                siteName: facts.siteName,
                patientKey: facts.patientKey,
                nhsNumber: facts.nhsNumber,
                familyName: facts.familyName,
                givenName: facts.givenName,
                age: facts.age,
                admissionDate: facts.admissionDate,
                weeks: weeks[id] ?? []
            )
        }
        return result
    }
}
