import Foundation

/// Where the PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`) live.
public struct PostgresBinaries: Sendable {
    public let directory: String

    public var initdb: String { directory + "/initdb" }
    public var pgCtl: String { directory + "/pg_ctl" }

    /// Finds the server programs: `$STRANDED_PG_BIN`, then the newest
    /// `/usr/lib/postgresql/*/bin` (Debian's layout, where `initdb` is not on
    /// PATH), then PATH.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresBinaries {
        let fileManager = FileManager.default
        func hasServer(_ dir: String) -> Bool {
            fileManager.isExecutableFile(atPath: dir + "/initdb") && fileManager.isExecutableFile(atPath: dir + "/pg_ctl")
        }
        if let explicit = environment["STRANDED_PG_BIN"], !explicit.isEmpty {
            guard hasServer(explicit) else {
                throw EmbeddedPostgresError.binariesMissing("STRANDED_PG_BIN=\(explicit) does not contain initdb and pg_ctl")
            }
            return PostgresBinaries(directory: explicit)
        }
        let debianRoot = "/usr/lib/postgresql"
        let versions = ((try? fileManager.contentsOfDirectory(atPath: debianRoot)) ?? [])
            .compactMap { Int($0) }
            .sorted(by: >)
        for version in versions where hasServer("\(debianRoot)/\(version)/bin") {
            return PostgresBinaries(directory: "\(debianRoot)/\(version)/bin")
        }
        for dir in (environment["PATH"] ?? "").split(separator: ":").map(String.init) where hasServer(dir) {
            // Resolve symlinks so initdb finds its sibling `postgres` program.
            let resolved = URL(fileURLWithPath: dir + "/initdb").resolvingSymlinksInPath().deletingLastPathComponent().path
            return PostgresBinaries(directory: hasServer(resolved) ? resolved : dir)
        }
        throw EmbeddedPostgresError.binariesMissing(
            "PostgreSQL server programs (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql. "
                + "Install them (Debian/Ubuntu: apt-get install postgresql), set STRANDED_PG_BIN to their directory, "
                + "or set DATABASE_URL to use an existing PostgreSQL server."
        )
    }
}

public enum EmbeddedPostgresError: Error, CustomStringConvertible {
    case binariesMissing(String)
    case commandFailed(command: String, status: Int32, output: String)
    case setup(String)

    public var description: String {
        switch self {
        case .binariesMissing(let message): return message
        case .commandFailed(let command, let status, let output):
            return "\(command) failed (exit \(status)):\n\(output)"
        case .setup(let message): return message
        }
    }
}
