import Foundation
import Store
import StrandedCore

/// Decoded agenda versions, kept in memory: a version is frozen when it is
/// built and never changes, so a copy can be reused by every request of a
/// meeting (about a hundred cases' JSON decoded once, not on every page) and
/// by every replica for itself without any invalidation.
final class FrozenAgendaCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: StoredAgenda<Level2Agenda>] = [:]
    private var order: [String] = []
    /// A few weeks' versions: a meeting reads one or two at a time.
    private let capacity = 8

    func agenda(week: ReviewWeek, version: Int) -> StoredAgenda<Level2Agenda>? {
        lock.lock()
        defer { lock.unlock() }
        return entries[Self.key(week.monday, version)]
    }

    func store(_ agenda: StoredAgenda<Level2Agenda>) {
        let key = Self.key(agenda.week, agenda.version)
        lock.lock()
        defer { lock.unlock() }
        guard entries[key] == nil else { return }
        entries[key] = agenda
        order.append(key)
        if order.count > capacity { entries[order.removeFirst()] = nil }
    }

    private static func key(_ monday: CalendarDate, _ version: Int) -> String { "\(monday.iso)#\(version)" }
}
