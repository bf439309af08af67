import Foundation
import Store
import StrandedCore
import TestSupport
import Testing

/// Frozen versions are numbered in PostgreSQL integers. A larger number in a
/// request (schemathesis sent `?version=62208737764`) finds nothing: a 404,
/// not a failed query and a 500.
@Suite("Asking for a version beyond the stored range")
struct VersionOutOfRangeTests {
    static let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!
    static let beyond = Int(Int32.max) + 1

    @Test func aSummaryVersionBeyondTheRangeIsNotFound() async throws {
        try await TestCluster.withDatabase { database in
            let store = SummaryStore(database: database)
            let justBeyond = try await store.summary(week: Self.week, version: Self.beyond)
            let farBeyond = try await store.summary(week: Self.week, version: 62_208_737_764)
            #expect(justBeyond == nil)
            #expect(farBeyond == nil)
        }
    }

    @Test func anAgendaVersionBeyondTheRangeIsNotFound() async throws {
        try await TestCluster.withDatabase { database in
            let agenda = try await Level2Store(database: database).agenda(week: Self.week, version: Self.beyond, as: [String].self)
            #expect(agenda == nil)
        }
    }
}
