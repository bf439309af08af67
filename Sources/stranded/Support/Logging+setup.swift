import Logging

enum LogSetup {
    /// Structured logs to stderr at the configured level.
    static func logger(label: String = "stranded", level: String?) -> Logger {
        let resolved = Environment.string(level, "STRANDED_LOG_LEVEL", default: "info")!
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: resolved.lowercased()) ?? .info
        return logger
    }
}
