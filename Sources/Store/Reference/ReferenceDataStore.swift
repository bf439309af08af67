import Postgres
import StrandedCore

/// Organisations, sites and wards: the reference data ward lists are checked against.
public struct ReferenceDataStore: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    public struct Site: Sendable, Equatable, Codable {
        public let id: Int64
        public let code: String
        public let name: String
        public let setting: String
        public let organisationCode: String
        public let organisationName: String
    }

    public struct Ward: Sendable, Equatable, Codable {
        public let id: Int64
        public let siteCode: String
        public let code: String
        public let name: String?
        public let registeredByImport: Bool
    }

    public enum ReferenceError: Error, CustomStringConvertible {
        case unknownOrganisation(String)
        case badSetting(String)
        case duplicateSite(String)
        /// A code that breaks the rule of `ReferenceCode` (shown with its control characters made visible).
        case badCode(field: String, code: String, problem: ReferenceCode.Problem)

        public var description: String {
            switch self {
            case .badCode(let field, let code, let problem):
                return "\(problem.reason(field: field)): \"\(ReferenceCode.visible(code))\""
            case .unknownOrganisation(let code): return "organisation \(code) is not registered; add it first with `stranded sites add-organisation`"
            case .badSetting(let value): return "setting must be acute or community, not \"\(value)\""
            case .duplicateSite(let code): return "site \(code) is already registered"
            }
        }
    }

    @discardableResult
    public func upsertOrganisation(code: String, name: String) async throws -> Int64 {
        if let problem = ReferenceCode.problem(code) { throw ReferenceError.badCode(field: "organisation code", code: code, problem: problem) }
        let rows = try await database.client.query(
            """
            INSERT INTO organisation (code, name) VALUES (\(code.uppercased()), \(name))
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
            RETURNING id
            """
        )
        return try rows[0].decode("id")
    }

    /// Registers a site, or updates its name and setting when the code exists.
    @discardableResult
    public func upsertSite(code: String, name: String, setting: String, organisationCode: String) async throws -> Int64 {
        let setting = setting.lowercased()
        guard setting == "acute" || setting == "community" else { throw ReferenceError.badSetting(setting) }
        if let problem = ReferenceCode.problem(code) { throw ReferenceError.badCode(field: "site code", code: code, problem: problem) }
        let organisation = try await database.client.query("SELECT id FROM organisation WHERE code = \(organisationCode.uppercased())")
        guard let orgRow = organisation.first else { throw ReferenceError.unknownOrganisation(organisationCode) }
        let organisationID: Int64 = try orgRow.decode("id")
        let rows = try await database.client.query(
            """
            INSERT INTO site (code, name, setting, organisation_id)
            VALUES (\(code.uppercased()), \(name), \(setting), \(organisationID))
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, setting = EXCLUDED.setting, organisation_id = EXCLUDED.organisation_id
            RETURNING id
            """
        )
        return try rows[0].decode("id")
    }

    public func sites() async throws -> [Site] {
        try await database.client.query(
            """
            SELECT s.id, s.code, s.name, s.setting, o.code AS org_code, o.name AS org_name
            FROM site s JOIN organisation o ON o.id = s.organisation_id
            ORDER BY s.code
            """
        ).map { row in
            Site(
                id: try row.decode("id"),
                code: try row.decode("code"),
                name: try row.decode("name"),
                setting: try row.decode("setting"),
                organisationCode: try row.decode("org_code"),
                organisationName: try row.decode("org_name")
            )
        }
    }

    public func wards(siteCode: String? = nil) async throws -> [Ward] {
        try await database.client.query(
            """
            SELECT w.id, s.code AS site_code, w.code, w.name, w.registered_by_import
            FROM ward w JOIN site s ON s.id = w.site_id
            WHERE \(siteCode?.uppercased())::text IS NULL OR s.code = \(siteCode?.uppercased())
            ORDER BY s.code, w.code
            """
        ).map { row in
            Ward(
                id: try row.decode("id"),
                siteCode: try row.decode("site_code"),
                code: try row.decode("code"),
                name: try row.decode("name"),
                registeredByImport: try row.decode("registered_by_import")
            )
        }
    }
}
