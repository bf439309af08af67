import BenchmarkSupport

/// One MLLP connection on loopback, as an interface engine uses it: send a
/// framed message, wait for its framed ACK.
final class MLLPClient {
    private let socket: LoopbackSocket
    private var pending: [UInt8] = []

    init(port: Int) throws { socket = try LoopbackSocket(port: port) }

    /// Sends one message and returns its ACK's text.
    func exchange(_ message: String) throws -> String {
        try socket.send([0x0B] + Array(message.utf8) + [0x1C, 0x0D])
        while true {
            if let end = pending.firstIndex(of: 0x1C), end + 1 < pending.count {
                let start = (pending.firstIndex(of: 0x0B) ?? -1) + 1
                let ack = String(decoding: pending[start..<end], as: UTF8.self)
                pending.removeFirst(end + 2)
                return ack
            }
            try socket.receive(appendingTo: &pending)
        }
    }
}
