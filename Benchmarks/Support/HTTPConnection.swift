import Foundation

/// One keep-alive HTTP/1.1 connection on loopback with blocking sockets: the
/// load generator's client, small enough that its own cost stays out of the figures.
public final class HTTPConnection {
    public struct Answer {
        public let status: Int
        public let head: String
        public let body: [UInt8]
        public var size: Int { head.utf8.count + 4 + body.count }

        public func header(_ name: String) -> String? {
            let prefix = name.lowercased() + ":"
            return head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(prefix) }
                .map { String($0.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) }
        }
    }

    private let socket: LoopbackSocket
    private var pending: [UInt8] = []

    public init(port: Int) throws { socket = try LoopbackSocket(port: port) }

    public func get(_ path: String, cookie: String) throws -> Answer {
        try exchange("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\nConnection: keep-alive\r\n\r\n")
    }

    public func postForm(_ path: String, cookie: String, form: String) throws -> Answer {
        try exchange(
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\nConnection: keep-alive\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(form.utf8.count)\r\n\r\n\(form)"
        )
    }

    private func exchange(_ request: String) throws -> Answer {
        try socket.send(Array(request.utf8))
        // Byte scans only, each byte looked at once: this client shares the
        // machine's cores with the server it measures.
        var response = pending
        pending = []
        var scanned = 0
        var headEnd: Int?
        var expected: Int?
        while true {
            if headEnd == nil, let end = Self.headEnd(in: response, from: scanned) {
                headEnd = end
                expected = end + 4 + Self.contentLength(response[..<end])
            } else if headEnd == nil {
                scanned = max(0, response.count - 3)
            }
            if let expected, response.count >= expected { break }
            try socket.receive(appendingTo: &response)
        }
        let end = expected!
        if response.count > end { pending = Array(response[end...]) }
        let head = String(decoding: response[..<headEnd!], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return Answer(status: status, head: head, body: Array(response[(headEnd! + 4)..<end]))
    }

    /// Where "\r\n\r\n" starts, looking from `start`.
    private static func headEnd(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index + 3 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// The Content-Length of a response head (0 when absent).
    private static func contentLength(_ head: ArraySlice<UInt8>) -> Int {
        let name = Array("content-length:".utf8)
        var index = head.startIndex
        while index + name.count <= head.endIndex {
            var matches = true
            for offset in 0..<name.count where head[index + offset] | 0x20 != name[offset] | 0x20 {
                matches = false
                break
            }
            if matches {
                var value = 0
                var cursor = index + name.count
                while cursor < head.endIndex, head[cursor] == 32 { cursor += 1 }
                while cursor < head.endIndex, (48...57).contains(head[cursor]) {
                    value = value * 10 + Int(head[cursor] - 48)
                    cursor += 1
                }
                return value
            }
            index += 1
        }
        return 0
    }
}

/// Waits until something listens on the port.
public func waitForPort(_ port: Int) async throws {
    for _ in 0..<400 {
        if (try? HTTPConnection(port: port)) != nil { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw LoopbackSocket.Failure.connect
}
