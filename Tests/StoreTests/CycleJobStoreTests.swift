import Foundation
import Postgres
import Store
import StrandedCore
import TestSupport
import Testing

@Suite("Cycle job runs: status and trigger read as Core's enums")
struct CycleJobStoreTests {
    static let week = ReviewWeek(monday: CalendarDate(iso: "2026-11-16")!)!

    @Test func aFailureThenASuccessReadBackTyped() async throws {
        try await TestCluster.withDatabase { database in
            let store = CycleJobStore(database: database)
            struct Broken: Error, CustomStringConvertible { var description: String { "no list yet" } }
            let failed = try await store.attempt(
                job: .openWeek,
                week: Self.week,
                runner: "test",
                manual: false,
                force: false,
                now: Date(),
                retryDelay: { _ in 60 }
            ) { throw Broken() }
            guard case .failed(let error, 1, _?) = failed else {
                Issue.record("expected a failure with a retry, got \(failed)")
                return
            }
            #expect(error == "no list yet")
            let first = try #require(try await store.runs().first)
            #expect(first.status == .failed && first.trigger == .schedule && first.lastError == "no list yet" && first.nextAttemptAt != nil)

            let succeeded = try await store.attempt(
                job: .openWeek,
                week: Self.week,
                runner: "test",
                manual: true,
                force: true,
                now: Date(),
                retryDelay: { _ in nil }
            ) { "opened" }
            #expect(succeeded == .succeeded(result: "opened"))
            let second = try #require(try await store.runs().first)
            #expect(second.status == .succeeded && second.trigger == .manual && second.attempts == 2)
            #expect(second.result == "opened" && second.lastError == nil && second.nextAttemptAt == nil)
            #expect(try await store.lastSucceeded() == [.openWeek: Self.week])
        }
    }

    /// A value the code does not know means the database and the code
    /// disagree: reading it is an error that names the column, never a guess.
    @Test("an unknown status or trigger is an error naming its column", arguments: ["status", "trigger"])
    func anUnknownValueNamesItsColumn(column: String) async throws {
        try await TestCluster.withDatabase { database in
            let store = CycleJobStore(database: database)
            _ = try await store.attempt(
                job: .openWeek,
                week: Self.week,
                runner: "test",
                manual: false,
                force: false,
                now: Date(),
                retryDelay: { _ in nil }
            ) { "opened" }
            try await database.client.execute(.init(unsafeSQL: "ALTER TABLE cycle_job_run DROP CONSTRAINT cycle_job_run_\(column)_check"))
            try await database.client.execute(.init(unsafeSQL: "UPDATE cycle_job_run SET \(column) = 'paused'"))
            await expectUnknownStoredValue("paused", in: column) { _ = try await store.runs() }
        }
    }
}
