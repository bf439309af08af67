import Foundation

/// CPU time (user + system) used so far by an embedded PostgreSQL: the
/// postmaster and every process it started, read from /proc. On a machine
/// shared with other builds a wall-clock figure moves with their load; the
/// CPU seconds the database spent on a step move much less, so printed
/// beside it they say whether the work or the machine changed.
public struct ServerCPU: Sendable {
    let postmaster: Int32

    /// The server whose data directory is `dataDirectory` (its postmaster.pid), or nil off Linux.
    public init?(dataDirectory: String) {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let line = text.split(separator: "\n").first, let pid = Int32(line.trimmingCharacters(in: .whitespaces)),
            FileManager.default.fileExists(atPath: "/proc/\(pid)/stat")
        else { return nil }
        postmaster = pid
    }

    /// Seconds of CPU used by the postmaster and its children that are alive now.
    public func seconds() -> Double {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after "(comm)": state ppid … utime (14th overall) stime (15th).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let pid = Int32(entry), let parent = Int32(fields[1]),
                pid == postmaster || parent == postmaster,
                let user = Double(fields[11]), let system = Double(fields[12])
            else { continue }
            total += (user + system) / ticks
        }
        return total
    }
}
