import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One MLLP connection on loopback with blocking sockets, as an interface
/// engine uses it: send a framed message, wait for its framed ACK.
final class MLLPClient {
    enum Failure: Error { case connect, closed }

    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 14)
    private var pending: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.connect }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure.connect
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Sends one message and returns its ACK's text.
    func exchange(_ message: String) throws -> String {
        let bytes = [0x0B] + Array(message.utf8) + [0x1C, 0x0D]
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure.closed }
            sent += n
        }
        while true {
            if let end = pending.firstIndex(of: 0x1C), end + 1 < pending.count {
                let start = (pending.firstIndex(of: 0x0B) ?? -1) + 1
                let ack = String(decoding: pending[start..<end], as: UTF8.self)
                pending.removeFirst(end + 2)
                return ack
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure.closed }
            pending += buffer[0..<n]
        }
    }
}
