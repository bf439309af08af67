import Foundation

/// Prints and flushes at once, so progress shows when output is a file.
public func say(_ text: String) {
    print(text)
    fflush(nil)
}

public func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The 1, 5 and 15 minute load averages from /proc/loadavg ("?" elsewhere):
/// on a machine shared with other builds, figures mean little without them.
public func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

/// `--name value` pairs from the command line, as integers.
public struct BenchmarkArguments {
    private var values: [String: Int] = [:]

    public init(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard flag.hasPrefix("--"), let value = iterator.next().flatMap(Int.init) else { continue }
            values[String(flag.dropFirst(2))] = value
        }
    }

    public subscript(_ name: String, default fallback: Int) -> Int { values[name] ?? fallback }
}

/// Figures from a debug build are not the ones to quote: say which this is.
#if DEBUG
public let buildKind = "DEBUG (not for figures)"
#else
public let buildKind = "release"
#endif
