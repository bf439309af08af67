import CLibPQ
import Foundation

extension PostgresConnection {
    /// Streams data into `COPY … FROM STDIN`.
    ///
    ///     let rows = try await connection.copyFrom("COPY staging (a, b) FROM STDIN WITH (FORMAT csv)") { writer in
    ///         for try await chunk in file { try await writer.write(chunk) }
    ///     }
    ///
    /// The writer buffers up to `bufferSize` bytes before each hand-off to
    /// libpq (one chunk filling while the previous one is sent), so memory
    /// stays bounded whatever the size of the input. If
    /// `body` throws, the COPY is aborted and the error rethrown; the
    /// enclosing transaction (if any) is then in error and must roll back.
    /// Returns the number of rows copied.
    @discardableResult
    public func copyFrom(
        _ statement: String,
        bufferSize: Int = 256 * 1024,
        _ body: (PostgresCopyWriter) async throws -> Void
    ) async throws -> Int {
        try await withConn { conn in
            guard let result = PQexec(conn, statement) else { throw Self.error(from: nil, conn: conn) }
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COPY_IN else {
                if PQresultStatus(result) == PGRES_FATAL_ERROR { throw Self.error(from: result, conn: conn) }
                throw PostgresError(kind: .client, message: "copyFrom needs a COPY … FROM STDIN statement")
            }
        }
        let writer = PostgresCopyWriter(connection: self, bufferSize: bufferSize)
        do {
            try await body(writer)
            try await writer.finish()
        } catch {
            // The connection is free for the abort only once no chunk is in flight.
            try? await writer.waitForSend()
            // A fixed reason: the server logs it ("COPY from stdin failed: …"),
            // and the error may quote the data being copied.
            _ = try? await withConn { conn in
                _ = PQputCopyEnd(conn, Self.copyAbortReason)
                Self.drainResults(conn)
            }
            throw error
        }
        return try await withConn { conn in
            guard PQputCopyEnd(conn, nil) == 1 else { throw Self.error(from: nil, conn: conn) }
            // Drain every result; the COPY's own must be COMMAND_OK.
            var firstError: PostgresError?
            var copied = 0
            while let result = PQgetResult(conn) {
                if PQresultStatus(result) == PGRES_COMMAND_OK {
                    copied = Int(String(cString: PQcmdTuples(result))) ?? 0
                } else if firstError == nil {
                    firstError = Self.error(from: result, conn: conn)
                }
                PQclear(result)
            }
            if let firstError { throw firstError }
            return copied
        }
    }

    /// What the server is told when a COPY is abandoned.
    public static let copyAbortReason = "aborted by the client"

    func putCopyData(_ bytes: [UInt8]) async throws {
        try await withConn { conn in
            let status = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(conn, $0.baseAddress, Int32($0.count)) }
            }
            // 1 = queued; -1 = error. (0 happens only in non-blocking mode, which we do not use.)
            guard status == 1 else { throw Self.error(from: nil, conn: conn) }
        }
    }

    static func drainResults(_ conn: OpaquePointer) {
        while let result = PQgetResult(conn) { PQclear(result) }
    }
}

/// Collects COPY data and hands it to libpq in large chunks.
///
/// Double-buffered: while one chunk is being sent (on the connection's
/// thread), the caller goes on filling the next, so producing the rows and
/// PostgreSQL's work on them overlap. At most two chunks are held at once.
public final class PostgresCopyWriter {
    private let connection: PostgresConnection
    private let bufferSize: Int
    private var buffer: [UInt8] = []
    /// The chunk being sent, if any; it hands its array back once sent.
    private var sending: Task<[UInt8], any Error>?
    /// A sent chunk's array, emptied, for the next chunk: two arrays in turn
    /// rather than fresh memory (page faults) for every chunk.
    private var spare: [UInt8] = []

    init(connection: PostgresConnection, bufferSize: Int) {
        self.connection = connection
        self.bufferSize = bufferSize
        buffer.reserveCapacity(bufferSize)
    }

    /// Appends bytes (e.g. CSV or text-format lines, UTF-8).
    public func write(_ bytes: some Sequence<UInt8>) async throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferSize { try await flush() }
    }

    public func write(_ text: String) async throws {
        try await write(text.utf8)
    }

    /// Appends one line built in place by `build`, with no intermediate
    /// strings: the fast path for row-at-a-time producers.
    public func writeLine(_ build: (inout PostgresCopyLine) -> Void) async throws {
        var line = PostgresCopyLine(bytes: buffer)
        buffer = []
        build(&line)
        line.bytes.append(0x0A)
        buffer = line.bytes
        if buffer.count >= bufferSize { try await flush() }
    }

    /// Starts sending what is buffered, once the previous chunk has gone.
    /// A failed send is reported here or by the next call.
    public func flush() async throws {
        guard !buffer.isEmpty else { return }
        try await waitForSend()
        let chunk = buffer
        buffer = spare
        spare = []
        buffer.reserveCapacity(bufferSize)
        sending = Task { [connection] in
            try await connection.putCopyData(chunk)
            return chunk
        }
    }

    /// Sends what is left and waits until libpq has it all.
    func finish() async throws {
        try await flush()
        try await waitForSend()
    }

    /// Waits for the chunk in flight; used before ending or aborting the COPY.
    func waitForSend() async throws {
        guard let sending else { return }
        self.sending = nil
        spare = try await sending.value
        spare.removeAll(keepingCapacity: true)
    }
}

/// One line of COPY text format being built: tab-separated fields, `\N` for
/// NULL, backslash escapes for the four special bytes.
public struct PostgresCopyLine {
    var bytes: [UInt8]
    private var first = true

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func separate() {
        if first { first = false } else { bytes.append(0x09) }
    }

    public mutating func null() {
        separate()
        bytes.append(0x5C)
        bytes.append(UInt8(ascii: "N"))
    }

    public mutating func text(_ value: String?) {
        guard var value else { return null() }
        separate()
        value.withUTF8 { utf8 in
            // Nearly every value has none of the four bytes COPY escapes: copied whole.
            if !utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case 0x5C:
                    bytes.append(0x5C)
                    bytes.append(0x5C)
                case 0x09:
                    bytes.append(0x5C)
                    bytes.append(UInt8(ascii: "t"))
                case 0x0A:
                    bytes.append(0x5C)
                    bytes.append(UInt8(ascii: "n"))
                case 0x0D:
                    bytes.append(0x5C)
                    bytes.append(UInt8(ascii: "r"))
                default: bytes.append(byte)
                }
            }
        }
    }

    public mutating func integer<T: BinaryInteger>(_ value: T?) {
        guard let value else { return null() }
        digits(negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    /// The common cases, not generic: a caller in another module (a row
    /// sink writing ~100,000 lines) then needs no unspecialised generic call per field.
    public mutating func integer(_ value: Int?) {
        guard let value else { return null() }
        digits(negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    public mutating func integer(_ value: Int64?) {
        guard let value else { return null() }
        digits(negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    private mutating func digits(negative: Bool, magnitude value: UInt64) {
        separate()
        var magnitude = value
        if negative { bytes.append(UInt8(ascii: "-")) }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(scratch[index]) }
        }
    }

    /// A date as `yyyy-mm-dd`.
    public mutating func date(year: Int, month: Int, day: Int) {
        separate()
        func two(_ value: Int) {
            bytes.append(UInt8(ascii: "0") + UInt8(value / 10))
            bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        two(year / 100)
        two(year % 100)
        bytes.append(UInt8(ascii: "-"))
        two(month)
        bytes.append(UInt8(ascii: "-"))
        two(day)
    }
}
