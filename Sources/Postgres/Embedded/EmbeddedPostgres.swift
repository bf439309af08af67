import Foundation
import Logging

/// A private PostgreSQL cluster in a data directory: the service's default
/// when no database URL is given, and the test suite's throwaway server.
///
/// It listens on a Unix socket only (in the data directory), so it is
/// reachable by nothing but this machine's processes with access to that
/// directory. When run as root, PostgreSQL's programs run as the `postgres`
/// system user (`initdb` refuses root). `pg_ctl` puts the server in its own
/// session, so a Ctrl-C meant for the service does not kill the database
/// mid-write; the service stops it cleanly on shutdown. A cluster left running
/// by a crashed service is adopted on the next start.
public struct EmbeddedPostgres: Sendable {
    public struct Options: Sendable {
        /// Trades durability for speed: only for tests.
        public var unsafeFastMode = false
        public var maxConnections = 100
        /// PostgreSQL's own default (128MB) is smaller than a year of a
        /// national system's cases and their indexes (~250MB), and the weekly
        /// import then reads them back from the OS cache a page at a time:
        /// measured, a year's growth made it 40% slower at 128MB and 7% at 1GB.
        /// Written when the cluster is created; tests use 64MB.
        public var sharedBuffers = "512MB"
        public init(unsafeFastMode: Bool = false, maxConnections: Int = 100, sharedBuffers: String = "512MB") {
            self.unsafeFastMode = unsafeFastMode
            self.maxConnections = maxConnections
            self.sharedBuffers = sharedBuffers
        }
    }

    public let dataDirectory: String
    public let options: Options
    public let port = 5432
    let binaries: PostgresBinaries
    let logger: Logger
    /// Unix sockets have a ~107-byte path limit; a deep data directory gets its socket in /tmp.
    public let socketDirectory: String

    public init(dataDirectory: String, options: Options = Options(), logger: Logger = Logger(label: "stranded.embedded-postgres")) throws {
        let absolute = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        self.dataDirectory = absolute
        self.options = options
        self.logger = logger
        binaries = try PostgresBinaries.locate()
        if (absolute + "/.s.PGSQL.5432").utf8.count < 100 {
            socketDirectory = absolute
        } else {
            var hash: UInt64 = 14_695_981_039_346_656_037
            for byte in absolute.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            socketDirectory = "/tmp/stranded-pg-\(String(hash, radix: 36))"
        }
    }

    /// A libpq conninfo string for a database in this cluster, as `user`
    /// (the superuser `postgres` unless told: migrations and set-up; the
    /// service itself connects as its application role). A connection not
    /// made in `connectTimeout` seconds fails.
    public func connectionString(database: String, user: String = "postgres", connectTimeout: Int = 10) -> String {
        "host='\(socketDirectory)' port=\(port) user='\(user)' dbname='\(database)' connect_timeout=\(connectTimeout)"
    }

    private var runsAsRoot: Bool { getuid() == 0 }

    // MARK: Start and stop

    /// What ``start()`` found.
    public enum StartOutcome: Sendable {
        /// This call started the server.
        case started
        /// A server was already running in the directory (a running service's,
        /// or one left by a crash) and is used as it is.
        case adopted
    }

    /// Creates the cluster if the directory has none, then starts it (or adopts a running one).
    @discardableResult
    public func start() async throws -> StartOutcome {
        try prepareDirectories()
        if !FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") {
            logger.info("creating a PostgreSQL cluster", metadata: ["dir": "\(dataDirectory)"])
            try await run(binaries.initdb, ["-D", dataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-instructions"])
            try writeConfiguration()
        }
        if try await isRunning() {
            logger.info("adopting the PostgreSQL server already running in the data directory", metadata: ["dir": "\(dataDirectory)"])
            return .adopted
        }
        let log = dataDirectory + "/server.log"
        do {
            try await run(binaries.pgCtl, ["-D", dataDirectory, "-l", log, "-w", "-t", "60", "-o", "-k '\(socketDirectory)'", "start"])
        } catch {
            let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(15).joined(separator: "\n") ?? ""
            throw EmbeddedPostgresError.setup("PostgreSQL did not start in \(dataDirectory): \(error)\nLast lines of \(log):\n\(tail)")
        }
        logger.info("PostgreSQL started", metadata: ["socket": "\(socketDirectory)"])
        return .started
    }

    /// Stops the server (fast shutdown: open sessions are disconnected, data is flushed).
    public func stop() async throws {
        guard try await isRunning() else { return }
        try await run(binaries.pgCtl, ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"])
        logger.info("PostgreSQL stopped")
    }

    /// Restarts the server; existing connections break (used to test reconnection).
    public func restart() async throws {
        try await run(
            binaries.pgCtl,
            ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "-l", dataDirectory + "/server.log", "-o", "-k '\(socketDirectory)'", "restart"]
        )
    }

    public func isRunning() async throws -> Bool {
        do {
            try await run(binaries.pgCtl, ["-D", dataDirectory, "status"], quiet: true)
            return true
        } catch EmbeddedPostgresError.commandFailed {
            return false
        }
    }

    /// The postmaster's process id, read from `postmaster.pid`.
    public var serverPID: pid_t? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return pid_t(first)
    }

    /// Creates a database unless it exists.
    public func createDatabase(_ name: String, template: String? = nil) async throws {
        let executor = BlockingExecutor(threads: 1)
        defer { Task { await executor.shutdown() } }
        let connection = try await PostgresConnection.connect(to: connectionString(database: "postgres"), executor: executor, logger: logger)
        defer { connection.close() }
        let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)").count > 0
        guard !exists else { return }
        // CREATE DATABASE takes no parameters; the name is checked, then quoted.
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), template?.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) ?? true
        else {
            throw EmbeddedPostgresError.setup("database names may hold letters, digits and underscores only: \(name)")
        }
        var sql = "CREATE DATABASE \"\(name)\""
        if let template { sql += " TEMPLATE \"\(template)\"" }
        try await connection.runScript(sql)
    }

    // MARK: Setup

    private func prepareDirectories() throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        if socketDirectory != dataDirectory {
            try fileManager.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        }
        try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dataDirectory)
        if runsAsRoot {
            guard let user = getpwnam("postgres") else {
                throw EmbeddedPostgresError.setup(
                    "running as root needs a `postgres` system user to run the database (apt-get install postgresql creates one), or run as an ordinary user"
                )
            }
            for dir in Set([dataDirectory, socketDirectory]) {
                guard chown(dir, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                    throw EmbeddedPostgresError.setup("could not give \(dir) to the postgres user (errno \(errno))")
                }
            }
        }
    }

    private func writeConfiguration() throws {
        var settings = [
            "listen_addresses = ''",
            "port = \(port)",
            "max_connections = \(options.maxConnections)",
            "log_min_messages = warning",
            "log_line_prefix = '%m [%p] '",
            // An error's DETAIL can quote row values ("Key (nhs_number)=(…)
            // already exists"); the server log keeps the message, not the values.
            "log_error_verbosity = terse",
        ]
        if options.unsafeFastMode {
            settings += ["fsync = off", "synchronous_commit = off", "full_page_writes = off", "shared_buffers = 64MB"]
        } else {
            settings.append("shared_buffers = '\(options.sharedBuffers)'")
        }
        let path = dataDirectory + "/postgresql.conf"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n# Added by stranded (embedded default)\n" + settings.joined(separator: "\n") + "\n").utf8))
    }

    /// Runs a PostgreSQL program (as the postgres user when we are root) and
    /// waits for it without blocking a cooperative thread.
    private func run(_ program: String, _ arguments: [String], quiet: Bool = false) async throws {
        let argv = runsAsRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments : [program] + arguments
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-pg-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status = try await ChildProcess.run(argv, outputPath: outputPath)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if !quiet { logger.debug("command failed", metadata: ["program": "\(program)", "status": "\(status)"]) }
            throw EmbeddedPostgresError.commandFailed(command: ([program] + arguments).joined(separator: " "), status: status, output: text)
        }
    }
}
