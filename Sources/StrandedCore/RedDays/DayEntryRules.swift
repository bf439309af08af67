import Foundation

/// Why a board-round entry cannot be stored, with the field it concerns.
public struct DayEntryProblem: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// "status", "reason" or "date".
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

extension RedDayPolicy {
    /// Whether `date` may be recorded or corrected on `today`: not in the
    /// future, and no older than the correction window.
    public func dateProblem(_ date: CalendarDate, today: CalendarDate) -> DayEntryProblem? {
        if date > today {
            return DayEntryProblem(field: "date", message: "\(date.iso) is in the future; a day is marked at or after its board round.")
        }
        let age = date.days(until: today)
        if age > correctionWindowDays {
            return DayEntryProblem(
                field: "date",
                message:
                    "\(date.iso) is \(age) days ago; days can be recorded or corrected up to \(correctionWindowDays) days back, so it stays as it was."
            )
        }
        return nil
    }

    /// Checks one entry as typed: `status` "red" or "green", `reason` a code of
    /// this policy on a red day and absent on a green one. Returns the day or
    /// the problem, naming its field and the fix.
    public func entry(date: CalendarDate, status: String?, reason: String?) -> Result<RecordedDay, DayEntryProblem> {
        let statusText = status?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let reasonText = reason?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let parsed = DayStatus(rawValue: statusText) else {
            let message =
                statusText.isEmpty ? "Choose red or green." : "\"\(String(statusText.prefix(20)))\" is not a day status; use red or green."
            return .failure(DayEntryProblem(field: "status", message: message))
        }
        switch parsed {
        case .green:
            guard reasonText.isEmpty else {
                return .failure(DayEntryProblem(field: "reason", message: "A green day has no red reason; clear the reason or mark the day red."))
            }
            return .success(RecordedDay(date: date, status: .green))
        case .red:
            guard !reasonText.isEmpty else {
                return .failure(DayEntryProblem(field: "reason", message: "Give the reason for the red day."))
            }
            guard self.reason(reasonText) != nil else {
                return .failure(
                    DayEntryProblem(
                        field: "reason",
                        message:
                            "\"\(String(reasonText.prefix(40)))\" is not a red reason; use one of: \(reasons.map(\.code).joined(separator: ", "))."
                    )
                )
            }
            return .success(RecordedDay(date: date, status: .red, reason: reasonText))
        }
    }
}
