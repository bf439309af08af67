import Foundation
import Postgres
import Store
import StrandedCore

extension Database {
    /// Tests import past weeks today, which would make every list a late one
    /// (its forms due hours after opening, not at the deadline). Fixtures that
    /// simulate lists arriving on time call this: each week's forms count as
    /// opened at the timetable's list time (Monday 12:00 unless configured).
    public func listsArrivedOnTime(_ timetable: WeeklyTimetable = .standard) async throws {
        let weeks: [CalendarDate] = try await client.query("SELECT DISTINCT week_start FROM level1_form").map { try $0.decode("week_start") }
        let reviews = ReviewStore(database: self, policy: .standard)
        for monday in weeks {
            guard let week = ReviewWeek(monday: monday) else { continue }
            try await reviews.recordOpening(of: week, at: timetable.instant(of: .listsDue, in: week))
        }
    }
}
