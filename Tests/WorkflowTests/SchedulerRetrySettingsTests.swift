import Foundation
import Testing

@testable import Workflow

/// The scheduler's retry settings from a configuration file: whatever numbers
/// a file gives, the service either refuses them by name or can use them.
/// (Fuzz/Corpus/cycle-configuration/regression-retry-overflow.json was the
/// fuzzer's input: a long base wait, doubled, overflowed and stopped the process.)
@Suite struct SchedulerRetrySettingsTests {
    @Test func aLongBaseWaitSaturatesAtTheLongestWaitInsteadOfOverflowing() {
        let settings = SchedulerSettings(retryBaseSeconds: Int.max / 2, retryMaxSeconds: Int.max, maxAttempts: 40)
        #expect(settings.retryDelay(afterAttempts: 3) == TimeInterval(Int.max))
        #expect(SchedulerSettings(retryBaseSeconds: 3600, retryMaxSeconds: 7200, maxAttempts: 40).retryDelay(afterAttempts: 30) == 7200)
    }

    @Test func aConfigurationAskingForRetriesMoreThanAWeekApartIsRefusedNamingTheSetting() throws {
        let file = #"{"scheduler": {"retryBaseSeconds": 4611686018427387904, "retryMaxSeconds": 9223372036854775807, "maxAttempts": 40}}"#
        do {
            _ = try CycleConfiguration.parse(Data(file.utf8), source: "retries.json")
            Issue.record("should refuse")
        } catch let error as CycleConfigurationError {
            #expect(error.problems.contains { $0.contains("scheduler.retryMaxSeconds must be at most 604800") })
        }
        let week = try CycleConfiguration.parse(Data(#"{"scheduler": {"retryMaxSeconds": 604800}}"#.utf8), source: "week.json")
        #expect(week.scheduler.retryDelay(afterAttempts: 9) == 15360)
    }
}
