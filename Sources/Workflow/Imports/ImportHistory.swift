import Foundation
import Store

/// What has been imported: the recent ward lists with their verdicts, and
/// one import's stored report. Read by the import pages, the API and the
/// data team's start page.
public struct ImportHistory: Sendable {
    let store: WardListStore

    public init(database: Database) {
        store = WardListStore(database: database)
    }

    /// The latest imports, newest first.
    public func recentImports(limit: Int) async throws -> [WardListStore.ImportSummary] {
        try await store.recentImports(limit: limit)
    }

    /// One import's summary and its stored report (JSON), if it exists.
    public func report(importID: Int64) async throws -> (WardListStore.ImportSummary, Data)? {
        try await store.report(importID: importID)
    }
}
