import Foundation
import StrandedCore

// The service's configuration file (`--config FILE`, `STRANDED_CONFIG`), read
// by Workflow's CycleConfiguration (compiled in here from its source: Workflow
// itself needs the database layer). A file is refused with its problems or
// accepted; what is accepted must then work for everything the service does
// with it: the scheduler's retries, every week's timetable, the form deadlines.

private let weeks: [ReviewWeek] = [
    ReviewWeek.containing(CalendarDate(year: 2026, month: 3, day: 25)!),  // the clocks go forward
    ReviewWeek.containing(CalendarDate(year: 2026, month: 10, day: 21)!),  // and back
    ReviewWeek.containing(CalendarDate(year: 2026, month: 12, day: 30)!),  // the year turns
]

func fuzzCycleConfiguration(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let data else { return 0 }
    let configuration: CycleConfiguration
    do {
        configuration = try CycleConfiguration.parse(Data(bytes: data, count: count), source: "fuzz.json")
    } catch let error as CycleConfigurationError {
        precondition(!error.problems.isEmpty, "a refused configuration names no problem")
        _ = error.description
        return 0
    } catch {
        preconditionFailure("the configuration reader threw \(type(of: error)), not CycleConfigurationError")
    }
    let scheduler = configuration.scheduler
    for attempts in 0...min(scheduler.maxAttempts, 100) {
        if let delay = scheduler.retryDelay(afterAttempts: attempts) {
            precondition(delay >= 1 && delay <= TimeInterval(scheduler.retryMaxSeconds))
        }
    }
    let timetable = configuration.policy.timetable
    for week in weeks {
        let schedule = timetable.schedule(for: week)
        precondition(zip(schedule, schedule.dropFirst()).allSatisfy { $0.at <= $1.at }, "the milestones of a week are out of order")
        let deadline = timetable.instant(of: .level1Deadline, in: week)
        precondition(timetable.formDue(week: week, openedAt: deadline.addingTimeInterval(60)) > deadline)
        for milestone in Milestone.allCases { _ = timetable.date(of: milestone, in: week) }
    }
    // What is accepted prints back to a file that is accepted again.
    guard let encoded = try? JSONEncoder().encode(configuration) else { preconditionFailure("an accepted configuration does not encode") }
    guard let again = try? CycleConfiguration.parse(encoded, source: "fuzz.json") else {
        preconditionFailure("an accepted configuration, printed, is refused")
    }
    precondition(again == configuration, "an accepted configuration changes when printed and read again")
    return 0
}
