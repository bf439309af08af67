import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing

/// A stand-in for the import report, which is WardListImport's.
private struct Report: Codable, Sendable { var note: String }

@Suite("Ward list store: unaccepted files audited, a concurrent duplicate named in the domain's terms")
struct WardListStoreTests {

    @Test func aRejectedFileIsAuditedInItsOwnWriteWithWhoAndTheFileName() async throws {
        try await TestCluster.withDatabase { database in
            let actor = AuditActor(username: "sister.jones", roles: "data", authMethod: "session", clientAddress: "10.0.0.5")
            let id = try await AuditActor.$current.withValue(actor) {
                try await WardListStore(database: database).recordUnaccepted(
                    verdict: .rejected,
                    source: .api,
                    fileName: "ward-7.csv",
                    fingerprint: "f1",
                    byteCount: 10,
                    snapshotDate: nil,
                    dataRows: 3,
                    invalidRows: 2,
                    warningCount: 0,
                    duplicateOf: nil,
                    report: Report(note: "the file's own words")
                )
            }
            let entries = try await AuditTrail(database: database).search(AuditQuery(entityType: "import_file"))
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.action == "import-rejected" && entry.entityID == String(id))
            #expect(entry.username == "sister.jones" && entry.clientAddress == "10.0.0.5")
            let after = try #require(entry.after)
            #expect(after.contains("\"fileName\": \"ward-7.csv\"") && after.contains("\"verdict\": \"rejected\""))
            // The report (which may quote the file) stays with the import, not in the audit trail.
            #expect(!after.contains("the file's own words"))
        }
    }

    @Test func theSameContentAcceptedTwiceAtOnceIsTheStoresOwnError() async throws {
        try await TestCluster.withDatabase { database in
            let store = WardListStore(database: database)
            let date = CalendarDate(iso: "2026-11-16")!
            func accept() async throws {
                try await store.withImport(source: .cli, fileName: "a.csv", byteCount: 1) { session in
                    try await session.finalize(
                        fingerprint: "same",
                        snapshotDate: date,
                        dataRows: 0,
                        importedRows: 0,
                        invalidRows: 0,
                        warningCount: 0,
                        report: Report(note: "")
                    )
                }
            }
            try await accept()
            await #expect(throws: WardListStore.SameContentAlreadyAccepted.self) { try await accept() }
        }
    }
}

@Suite("Ward list store: the verdict and source read back as Core's enums")
struct ImportSummaryDecodingTests {

    @Test func aRecordedFileReadsBackTyped() async throws {
        try await TestCluster.withDatabase { database in
            let store = WardListStore(database: database)
            let id = try await store.recordUnaccepted(
                verdict: .duplicate,
                source: .inbox,
                fileName: "a.csv",
                fingerprint: "f1",
                byteCount: 1,
                snapshotDate: nil,
                dataRows: 0,
                invalidRows: 0,
                warningCount: 0,
                duplicateOf: nil,
                report: Report(note: "")
            )
            let summary = try #require(try await store.recentImports().first)
            #expect(summary.id == id && summary.verdict == .duplicate && summary.source == .inbox)
        }
    }

    @Test func anUnknownVerdictIsAnErrorNamingTheColumn() async throws {
        try await TestCluster.withDatabase { database in
            let store = WardListStore(database: database)
            try await store.recordUnaccepted(
                verdict: .rejected,
                source: .api,
                fileName: "a.csv",
                fingerprint: "f1",
                byteCount: 1,
                snapshotDate: nil,
                dataRows: 0,
                invalidRows: 0,
                warningCount: 0,
                duplicateOf: nil,
                report: Report(note: "")
            )
            try await database.client.execute("ALTER TABLE import_file DROP CONSTRAINT import_file_verdict_check")
            try await database.client.execute("UPDATE import_file SET verdict = 'parked'")
            await expectUnknownStoredValue("parked", in: "verdict") { _ = try await store.recentImports() }
        }
    }
}
