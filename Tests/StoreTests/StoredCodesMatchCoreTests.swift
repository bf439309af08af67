import Postgres
import Store
import StrandedCore
import TestSupport
import Testing

/// The text columns that hold a Core enum's raw values are guarded by CHECK
/// constraints in the migrations; these keep the two lists the same, so a
/// new case cannot be written that the database refuses, nor a stored value
/// appear that the code cannot read.
@Suite("Stored codes: each CHECK constraint allows exactly Core's cases")
struct StoredCodesMatchCoreTests {
    @Test(arguments: [
        ("import_file_verdict_check", ImportVerdict.allCases.map(\.rawValue)),
        ("import_file_source_check", ImportSource.allCases.map(\.rawValue)),
        ("snapshot_list_kind_check", WardListKind.allCases.map(\.rawValue)),
        ("cycle_job_run_status_check", CycleJobRunStatus.allCases.map(\.rawValue)),
        ("cycle_job_run_trigger_check", CycleJobRunTrigger.allCases.map(\.rawValue)),
    ])
    func theConstraintAllowsExactlyTheCases(constraint: String, cases: [String]) async throws {
        try await TestCluster.withDatabase { database in
            let definition: String = try await database.client.query(
                """
                SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = \(constraint)
                """
            )[0].decode("definition")
            let allowed = definition.matches(of: /'([^']*)'::text/).map { String($0.output.1) }
            #expect(Set(allowed) == Set(cases), "\(definition)")
        }
    }
}
