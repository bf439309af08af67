import Foundation

/// Flags fall back to environment variables, then to defaults: the daemon is
/// configured by flags on a laptop and by an EnvironmentFile under systemd.
enum Environment {
    static func string(_ flag: String?, _ variable: String, default fallback: String? = nil) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
        return fallback
    }

    static func int(_ flag: Int?, _ variable: String, default fallback: Int) throws -> Int {
        if let flag { return flag }
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return fallback }
        guard let value = Int(text) else { throw ConfigurationError("\(variable)=\(text) is not a whole number") }
        return value
    }

    static func bool(_ flag: Bool, _ variable: String) -> Bool {
        if flag { return true }
        let value = ProcessInfo.processInfo.environment[variable]?.lowercased()
        return ["1", "true", "yes", "on"].contains(value ?? "")
    }
}

struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
