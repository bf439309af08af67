import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to a port on 127.0.0.1 (no Nagle delay): the
/// wire under the benchmarks' clients, HTTP and MLLP alike.
public final class LoopbackSocket {
    public enum Failure: Error { case connect, closed }

    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    public init(port: Int) throws {
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

    /// Sends every byte, however many writes it takes.
    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure.closed }
            sent += n
        }
    }

    /// Appends what one read returns to `bytes`; throws when the peer closed.
    public func receive(appendingTo bytes: inout [UInt8]) throws {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure.closed }
        bytes.append(contentsOf: buffer[0..<n])
    }
}
