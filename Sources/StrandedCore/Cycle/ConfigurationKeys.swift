import Foundation

/// Shared by the configuration types of the weekly cycle (thresholds,
/// timetable, escalation policy), which decode every key as optional so a file
/// only names what it changes.
///
/// The catch with optional keys is that a misspelt one (`"levelOneDeadline"`)
/// would be silently ignored and the default used instead; for settings that
/// decide when patients are escalated that is the worst kind of failure. So
/// unknown keys are refused, naming the key and listing the ones allowed.
enum ConfigurationKeys {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func rejectUnknown(in decoder: any Decoder, allowed: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let allowedSet = Set(allowed)
        for key in container.allKeys where !allowedSet.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription: "unknown setting \"\(key.stringValue)\"; allowed: \(allowed.joined(separator: ", "))"
            )
        }
    }
}
