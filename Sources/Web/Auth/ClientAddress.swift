import Foundation
import HTTPTypes
import NIOCore

/// The address of the client a request comes from: the connection's peer,
/// or, when the peer is one of the trusted proxies, the address that proxy
/// says it forwarded for. `X-Forwarded-For` from anyone else is ignored:
/// a client could otherwise pick a fresh address for every guess.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func resolve(peer: SocketAddress?, headers: HTTPFields, trustedProxies: [String]) -> String? {
        resolve(peer: peer?.ipAddress, forwardedFor: headers[values: forwardedFor], trustedProxies: trustedProxies)
    }

    /// Proxies append the address they received from, so the list is read
    /// from the right: the first entry that is not itself a trusted proxy is
    /// the client. An entry that is not an IP address means the chain cannot
    /// be read; then the peer (the proxy) is the most that is known.
    static func resolve(peer: String?, forwardedFor: [String], trustedProxies: [String]) -> String? {
        guard let peer, trustedProxies.contains(peer) else { return peer }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for entry in chain.reversed() {
            guard isIPAddress(entry) else { return peer }
            if !trustedProxies.contains(entry) { return entry }
        }
        return chain.first ?? peer
    }

    static func isIPAddress(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 45 else { return false }
        return (try? SocketAddress(ipAddress: text, port: 0)) != nil
    }
}
