import NIOCore

/// Minimal Lower Layer Protocol framing: a message is sent as
/// `0x0B` + bytes + `0x1C 0x0D`. Bytes between frames (a stray line break some
/// engines send) are skipped; a frame longer than `maximumFrameBytes` without
/// its end closes the connection, so a broken or hostile sender cannot make
/// the service buffer without limit.
struct MLLPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    static let start: UInt8 = 0x0B
    static let end: UInt8 = 0x1C
    static let carriageReturn: UInt8 = 0x0D

    let maximumFrameBytes: Int

    struct FrameTooLarge: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "an MLLP frame is larger than \(limit) bytes" }
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        // Skip anything before a start block.
        guard let startIndex = buffer.readableBytesView.firstIndex(of: Self.start) else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        buffer.moveReaderIndex(to: startIndex)
        let view = buffer.readableBytesView.dropFirst()
        var search = view.startIndex
        while let endIndex = view[search...].firstIndex(of: Self.end) {
            let next = view.index(after: endIndex)
            guard next < view.endIndex else { break }  // need the byte after 0x1C
            if view[next] == Self.carriageReturn {
                let length = endIndex - view.startIndex
                guard length <= maximumFrameBytes else { throw FrameTooLarge(limit: maximumFrameBytes) }
                buffer.moveReaderIndex(forwardBy: 1)
                let frame = buffer.readSlice(length: length)!
                buffer.moveReaderIndex(forwardBy: 2)
                context.fireChannelRead(wrapInboundOut(frame))
                return .continue
            }
            search = next
        }
        if buffer.readableBytes > maximumFrameBytes + 3 { throw FrameTooLarge(limit: maximumFrameBytes) }
        return .needMoreData
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A frame cut off by the sender closing is not a message: nothing is stored or acknowledged.
        .needMoreData
    }
}

/// Frames outgoing messages (the ACKs).
struct MLLPFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = ByteBuffer

    func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.writeInteger(MLLPFrameDecoder.start)
        out.writeImmutableBuffer(data)
        out.writeInteger(MLLPFrameDecoder.end)
        out.writeInteger(MLLPFrameDecoder.carriageReturn)
    }
}

/// Closes a connection on which nothing has been read for the idle time
/// (`IdleStateHandler` raises the event), so a client that connects and
/// sends nothing holds no connection.
final class IdleConnectionCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
