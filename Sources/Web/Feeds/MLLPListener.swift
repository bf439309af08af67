import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Workflow

/// Where and how the HL7 v2 listener runs (`stranded serve --hl7-listen HOST:PORT`).
public struct MLLPConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Larger frames close the connection: an ADT message is a few kilobytes.
    public var maximumFrameBytes: Int
    /// A connection with nothing read for this many seconds is closed.
    public var idleTimeoutSeconds: Int

    public init(host: String, port: Int, maximumFrameBytes: Int = 1 << 20, idleTimeoutSeconds: Int = 60) {
        self.host = host
        self.port = port
        self.maximumFrameBytes = maximumFrameBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }

    /// Reads `HOST:PORT` (`[::1]:2575` for IPv6).
    public init?(listen text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }
}

/// The HL7 v2 listener: MLLP over TCP on SwiftNIO, one ACK per message,
/// sent only once the message is stored (``FeedReceiver``). Messages on one
/// connection are handled in order; connections run side by side. A message
/// body never reaches the log.
public struct MLLPListener: Service {
    let configuration: MLLPConfiguration
    let receiver: FeedReceiver
    let logger: Logger
    /// Called with the bound port once listening (tests bind port 0).
    let onListening: (@Sendable (Int) -> Void)?

    public init(configuration: MLLPConfiguration, receiver: FeedReceiver, logger: Logger, onListening: (@Sendable (Int) -> Void)? = nil) {
        self.configuration = configuration
        self.receiver = receiver
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let configuration = configuration
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: .seconds(Int64(configuration.idleTimeoutSeconds))),
                        IdleConnectionCloser(),
                        ByteToMessageHandler(MLLPFrameDecoder(maximumFrameBytes: configuration.maximumFrameBytes)),
                        MessageToByteHandler(MLLPFrameEncoder()),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? configuration.port
        logger.info("HL7 v2 listener started", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
        onListening?(port)
        await cancelWhenGracefulShutdown {
            do {
                try await withThrowingDiscardingTaskGroup { group in
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await handle(connection) }
                        }
                    }
                }
            } catch is CancellationError {
            } catch {
                logger.error("HL7 v2 listener stopped", metadata: ["error": "\(error)"])
            }
        }
        logger.info("HL7 v2 listener stopped")
    }

    func handle(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let peer = connection.channel.remoteAddress?.description ?? "?"
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    let text = String(decoding: frame.readableBytesView, as: UTF8.self)
                    let ack = try await receiver.receiveHL7(text)
                    try await outbound.write(ByteBuffer(string: ack))
                }
            }
        } catch let error as MLLPFrameDecoder.FrameTooLarge {
            logger.notice("HL7 v2 connection closed", metadata: ["peer": "\(peer)", "why": "\(error)"])
        } catch is CancellationError {
        } catch {
            // No ACK was sent for the message in hand, so the sender sends it again.
            logger.warning("HL7 v2 connection closed without an ACK", metadata: ["peer": "\(peer)", "error": "\(type(of: error))"])
        }
    }
}
