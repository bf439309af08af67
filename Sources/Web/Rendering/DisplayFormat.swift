import Foundation
import Store
import StrandedCore

/// How dates, instants and identifiers read on every page: the London clock,
/// UK day-month order, short month names.
enum DisplayFormat {
    static let london: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .london
        return calendar
    }()
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `"Wed 18 Nov 2026, 17:00"` on the London clock.
    static func instant(_ date: Date) -> String {
        let c = london.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = CalendarDate.today(in: .london, now: date)
        return "\(weekdays[day.isoWeekday - 1]) \(c.day ?? 0) \(months[(c.month ?? 1) - 1]) \(c.year ?? 0), \(two(c.hour ?? 0)):\(two(c.minute ?? 0))"
    }

    /// `"27 Nov 2026"`.
    static func date(_ date: CalendarDate) -> String { "\(date.day) \(months[date.month - 1]) \(date.year)" }

    /// `"2 days 4 hours left"`, `"3 hours left"`, `"Overdue by 1 day 2 hours"`.
    static func timeLeft(until deadline: Date, now: Date) -> (text: String, overdue: Bool) {
        let seconds = Int(deadline.timeIntervalSince(now))
        let minutes = abs(seconds) / 60
        let days = minutes / (24 * 60)
        let hours = (minutes / 60) % 24
        let mins = minutes % 60
        var parts: [String] = []
        if days > 0 { parts.append(days == 1 ? "1 day" : "\(days) days") }
        if hours > 0 { parts.append(hours == 1 ? "1 hour" : "\(hours) hours") }
        if days == 0, mins > 0 { parts.append(mins == 1 ? "1 minute" : "\(mins) minutes") }
        let span = parts.isEmpty ? "less than a minute" : parts.joined(separator: " ")
        return seconds >= 0 ? ("\(span) left", false) : ("Overdue by \(span)", true)
    }

    /// `"999 000 0018"`, or the stored text when it is not a valid number.
    static func nhsNumber(_ digits: String?) -> String {
        guard let digits else { return "—" }
        return NHSNumber(digits)?.formatted ?? digits
    }

    /// `"2026-11-23 14:05"` on the London clock, for tables where times sort as text.
    static func sortableInstant(_ date: Date) -> String {
        let c = london.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(c.year ?? 0)-\(two(c.month ?? 0))-\(two(c.day ?? 0)) \(two(c.hour ?? 0)):\(two(c.minute ?? 0))"
    }

    static func daysSince(_ instant: Date?, now: Date) -> String {
        guard let instant else { return "Never reviewed" }
        let days = CalendarDate.today(in: .london, now: instant).days(until: CalendarDate.today(in: .london, now: now))
        switch days {
        case ..<1: return "Today"
        case 1: return "1 day"
        default: return "\(days) days"
        }
    }

    static func age(_ form: Level1FormRecord) -> String {
        if let age = form.age { return "\(age)" }
        if let dob = form.dateOfBirth, let age = AgeBand.age(dateOfBirth: dob, on: form.snapshotDate) { return "\(age)" }
        return "—"
    }

    static func statusClass(_ status: FormStatus) -> String {
        switch status {
        case .notStarted: return "status-not-started"
        case .inProgress: return "status-in-progress"
        case .complete: return "status-complete"
        case .escalated: return "status-escalated"
        case .discharged: return "status-discharged"
        }
    }

    /// The element id of a form field key: `q2.actions[0].owner` → `q2-actions-0-owner`.
    static func elementID(_ field: String) -> String {
        var id = ""
        for character in field {
            switch character {
            case ".", "[": if !id.hasSuffix("-") { id.append("-") }
            case "]": continue
            default: id.append(character)
            }
        }
        if id.hasSuffix("-") { id.removeLast() }
        return id
    }
}
