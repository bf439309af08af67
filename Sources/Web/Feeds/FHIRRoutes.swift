import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store
import StrandedCore

/// FHIR R4 for hospital systems that send Encounters rather than HL7 v2:
/// `POST /fhir/Encounter`, `PUT /fhir/Encounter/{id}`, `GET
/// /fhir/Encounter/{id}`, `POST /fhir` (a transaction Bundle of those) and
/// `GET /fhir/metadata`. JSON only (`application/fhir+json`); every refusal
/// is an `OperationOutcome` naming the element. Posting needs a token of the
/// `feed` role (AccessPolicy).
struct FHIRRoutes: Sendable {
    let store: FeedStore
    static let contentType = "application/fhir+json"
    static let maximumBytes = 8 * 1024 * 1024

    init(dependencies: AppDependencies) {
        store = FeedStore(database: dependencies.database)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/fhir/metadata", use: metadata)
        router.post("/fhir/Encounter", use: create)
        router.put("/fhir/Encounter/:id", use: update)
        router.get("/fhir/Encounter/:id", use: read)
        router.post("/fhir", use: transaction)
    }

    /// A refusal as FHIR says it.
    struct Outcome: Error {
        let status: HTTPResponse.Status
        let code: String
        let diagnostics: String
        let expression: String?
    }

    static func respond(_ object: Any, status: HTTPResponse.Status, headers extra: HTTPFields = [:]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func outcome(_ outcome: Outcome) -> Response {
        var issue: [String: Any] = ["severity": "error", "code": outcome.code, "diagnostics": outcome.diagnostics]
        if let expression = outcome.expression { issue["expression"] = [expression] }
        return (try? respond(["resourceType": "OperationOutcome", "issue": [issue]], status: outcome.status))
            ?? Response(status: .internalServerError)
    }

    /// Runs `body`, answering its refusals as OperationOutcomes.
    func answering(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let refusal as Outcome {
            return Self.outcome(refusal)
        }
    }

    // MARK: Reading the body

    func resourceObject(_ request: Request) async throws -> [String: Any] {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == Self.contentType || type == "application/json" else {
            throw Outcome(status: .unsupportedMediaType, code: "not-supported", diagnostics: "send the resource as \(Self.contentType)", expression: nil)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumBytes)
        } catch {
            throw Outcome(status: .contentTooLarge, code: "too-costly", diagnostics: "a request may be at most \(Self.maximumBytes) bytes", expression: nil)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] else {
            throw Outcome(status: .badRequest, code: "structure", diagnostics: "the body is not a JSON object", expression: nil)
        }
        return object
    }

    /// Checks an Encounter and makes the write: the resource with its id, and the spell it describes.
    func encounterWrite(_ object: [String: Any], id: String, at path: String = "Encounter") async throws -> FHIREncounterWrite {
        guard object["resourceType"] as? String == "Encounter" else {
            throw Outcome(status: .badRequest, code: "invalid", diagnostics: "resourceType must be Encounter", expression: "resourceType")
        }
        guard Self.validID(id) else {
            throw Outcome(status: .badRequest, code: "invalid", diagnostics: "an id is 1–64 letters, digits, '-' and '.'", expression: "Encounter.id")
        }
        var resource = object
        resource["id"] = id
        resource.removeValue(forKey: "meta")
        let data = try JSONSerialization.data(withJSONObject: resource, options: [.sortedKeys])
        let encounter: FHIREncounter
        do {
            encounter = try JSONDecoder().decode(FHIREncounter.self, from: data)
        } catch {
            throw Outcome(status: .badRequest, code: "structure", diagnostics: "the Encounter does not have the R4 shape: \(Self.decodingPath(error))", expression: nil)
        }
        let spell: FeedEncounter
        do {
            spell = try encounter.spell(id: id)
        } catch {
            throw Outcome(status: .unprocessableContent, code: "invalid", diagnostics: error.reason, expression: error.expression.replacingOccurrences(of: "Encounter", with: path))
        }
        let mapping = try await store.currentMapping()
        for stay in spell.wardStays where mapping.site(for: stay.location) == nil {
            let facility = stay.location.facility ?? ""
            throw Outcome(
                status: .unprocessableContent,
                code: "not-found",
                diagnostics: "facility \(facility) is not mapped to a registered site; map it with `stranded sites feed-map \(facility) SITE`",
                expression: path + ".serviceProvider"
            )
        }
        return FHIREncounterWrite(id: id, spell: spell, resource: String(decoding: data, as: UTF8.self))
    }

    static func validID(_ id: String) -> Bool {
        (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    static func decodingPath(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "unreadable" }
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .keyNotFound(_, context), let .dataCorrupted(context):
            return (["Encounter"] + context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }).joined(separator: ".")
        @unknown default: return "unreadable"
        }
    }

    func stored(_ id: String) async throws -> [String: Any]? {
        guard let held = try await store.fhirEncounter(id: id),
            var object = try JSONSerialization.jsonObject(with: Data(held.resource.utf8)) as? [String: Any]
        else { return nil }
        object["meta"] = ["versionId": String(held.version), "lastUpdated": ISO8601DateFormatter().string(from: held.updatedAt)]
        return object
    }

    // MARK: Interactions

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answering {
            let write = try await encounterWrite(try await resourceObject(request), id: UUID().uuidString.lowercased())
            _ = try await store.writeFHIR([write], mapping: try await store.currentMapping())
            return try await written(write.id, status: .created)
        }
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answering {
            let id = context.parameters.get("id") ?? ""
            let object = try await resourceObject(request)
            if let bodyID = object["id"] as? String, bodyID != id {
                throw Outcome(status: .badRequest, code: "invalid", diagnostics: "the resource's id must match the URL's", expression: "Encounter.id")
            }
            let existed = try await store.fhirEncounterExists(id: id)
            let write = try await encounterWrite(object, id: id)
            _ = try await store.writeFHIR([write], mapping: try await store.currentMapping())
            return try await written(id, status: existed ? .ok : .created)
        }
    }

    func written(_ id: String, status: HTTPResponse.Status) async throws -> Response {
        let object = try await stored(id) ?? [:]
        let version = (object["meta"] as? [String: Any])?["versionId"] as? String ?? "1"
        var headers = HTTPFields()
        headers[.location] = "/fhir/Encounter/\(id)/_history/\(version)"
        headers[.eTag] = "W/\"\(version)\""
        return try Self.respond(object, status: status, headers: headers)
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answering {
            let id = context.parameters.get("id") ?? ""
            guard Self.validID(id), let object = try await stored(id) else {
                throw Outcome(status: .notFound, code: "not-found", diagnostics: "no Encounter with this id", expression: nil)
            }
            let version = (object["meta"] as? [String: Any])?["versionId"] as? String ?? "1"
            var headers = HTTPFields()
            headers[.eTag] = "W/\"\(version)\""
            headers[.cacheControl] = "no-store"
            return try Self.respond(object, status: .ok, headers: headers)
        }
    }

    /// A transaction Bundle of Encounter creates and updates: all are
    /// written or, when any is refused, none.
    @Sendable func transaction(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answering {
            let bundle = try await resourceObject(request)
            guard bundle["resourceType"] as? String == "Bundle", bundle["type"] as? String == "transaction" else {
                throw Outcome(status: .badRequest, code: "invalid", diagnostics: "POST /fhir takes a Bundle of type transaction", expression: "Bundle.type")
            }
            let entries = bundle["entry"] as? [[String: Any]] ?? []
            var writes: [FHIREncounterWrite] = []
            var created: [Bool] = []
            for (index, entry) in entries.enumerated() {
                let path = "Bundle.entry[\(index)]"
                guard let resource = entry["resource"] as? [String: Any], let call = entry["request"] as? [String: Any],
                    let method = call["method"] as? String, let url = call["url"] as? String
                else {
                    throw Outcome(status: .badRequest, code: "required", diagnostics: "each entry needs a resource and a request (method, url)", expression: path)
                }
                let parts = url.split(separator: "/").map(String.init)
                let id: String
                switch (method.uppercased(), parts.count) {
                case ("POST", 1) where parts[0] == "Encounter":
                    id = UUID().uuidString.lowercased()
                    created.append(true)
                case ("PUT", 2) where parts[0] == "Encounter":
                    id = parts[1]
                    created.append(!(try await store.fhirEncounterExists(id: id)))
                default:
                    throw Outcome(
                        status: .badRequest, code: "not-supported", diagnostics: "only POST Encounter and PUT Encounter/{id} are supported",
                        expression: path + ".request")
                }
                writes.append(try await encounterWrite(resource, id: id, at: path + ".resource"))
            }
            let versions = try await store.writeFHIR(writes, mapping: try await store.currentMapping())
            let responses: [[String: Any]] = zip(writes, zip(versions, created)).map { write, result in
                [
                    "response": [
                        "status": result.1 ? "201 Created" : "200 OK",
                        "location": "Encounter/\(write.id)/_history/\(result.0)",
                        "etag": "W/\"\(result.0)\"",
                    ]
                ]
            }
            return try Self.respond(["resourceType": "Bundle", "type": "transaction-response", "entry": responses], status: .ok)
        }
    }

    @Sendable func metadata(_ request: Request, context: AppRequestContext) async throws -> Response {
        let statement: [String: Any] = [
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-12-03",
            "kind": "instance",
            "software": ["name": "Stranded", "version": StrandedCoreVersion.value],
            "implementation": ["description": "Stranded patient review: hospital feed of inpatient Encounters"],
            "fhirVersion": "4.0.1",
            "format": [Self.contentType],
            "rest": [
                [
                    "mode": "server",
                    "security": ["description": "Bearer token of the feed role (stranded tokens create --role feed)"],
                    "resource": [
                        [
                            "type": "Encounter",
                            "profile": "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter",
                            "interaction": [["code": "read"], ["code": "create"], ["code": "update"]],
                            "versioning": "versioned-update",
                            "updateCreate": true,
                        ]
                    ],
                    "interaction": [["code": "transaction"]],
                ]
            ],
        ]
        return try Self.respond(statement, status: .ok)
    }
}
