import Hummingbird
import Logging
import NIOCore
import Store

/// The per-request context every route sees.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (the proxy, behind one).
    public let remoteAddress: SocketAddress?
    /// Who is asking, set by ``AuthMiddleware`` before any route runs; nil
    /// only on the public routes (login, health, static files).
    public var identity: Identity?
    /// Set when the CSRF check of a multipart upload is left to its route.
    public var csrfCheckPending = false

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The records the requester may see: lookups by id are filtered by it.
    public var scope: RecordScope { identity?.scope ?? .none }
}
