import NIOCore
import NIOEmbedded
import Testing

@testable import Web

/// MLLP framing as real senders produce it: frames split across reads, two
/// in one read, stray bytes between them, and frames too large to hold.
@Suite("HL7 v2 over MLLP: framing")
struct MLLPFramingTests {
    static func channel(limit: Int = 64) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MLLPFrameDecoder(maximumFrameBytes: limit)))
        return channel
    }

    static func frame(_ text: String) -> [UInt8] { [0x0B] + Array(text.utf8) + [0x1C, 0x0D] }

    static func read(_ channel: EmbeddedChannel) throws -> [String] {
        var frames: [String] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { frames.append(String(buffer: buffer)) }
        return frames
    }

    @Test func framesSplitAcrossReadsAndSharingOneAreEachDelivered() throws {
        let channel = try Self.channel()
        let bytes = Self.frame("MSH|one") + [0x0A] + Self.frame("MSH|two") + Self.frame("MSH|three")
        // Byte by byte, then the rest at once.
        for byte in bytes.prefix(5) { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        try channel.writeInbound(ByteBuffer(bytes: bytes.dropFirst(5)))
        #expect(try Self.read(channel) == ["MSH|one", "MSH|two", "MSH|three"])
        #expect(try channel.finish().isClean)
    }

    @Test func anEndBlockInsideTheBodyIsOnlyAnEndBeforeACarriageReturn() throws {
        let channel = try Self.channel()
        try channel.writeInbound(ByteBuffer(bytes: [0x0B] + Array("MSH|a".utf8) + [0x1C] + Array("b".utf8) + [0x1C, 0x0D]))
        #expect(try Self.read(channel) == ["MSH|a\u{1C}b"])
    }

    @Test func aFrameCutOffBySenderIsNotAMessage() throws {
        let channel = try Self.channel()
        try channel.writeInbound(ByteBuffer(bytes: [0x0B] + Array("MSH|half".utf8)))
        #expect(try Self.read(channel).isEmpty)
        _ = try? channel.finish()
    }

    @Test func aFrameLargerThanTheLimitIsRefused() throws {
        let channel = try Self.channel(limit: 16)
        #expect(throws: MLLPFrameDecoder.FrameTooLarge.self) {
            try channel.writeInbound(ByteBuffer(bytes: [0x0B] + Array(repeating: UInt8(ascii: "x"), count: 40)))
        }
        let whole = try Self.channel(limit: 16)
        #expect(throws: MLLPFrameDecoder.FrameTooLarge.self) {
            try whole.writeInbound(ByteBuffer(bytes: Self.frame(String(repeating: "y", count: 17))))
        }
    }

    @Test func acknowledgementsAreFramed() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MLLPFrameEncoder()))
        try channel.writeOutbound(ByteBuffer(string: "MSH|ack"))
        let out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(out.readableBytesView) == Self.frame("MSH|ack"))
    }
}
