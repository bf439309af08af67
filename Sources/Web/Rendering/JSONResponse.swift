import Foundation
import Hummingbird
import NIOCore

/// A JSON API response: sorted keys and ISO 8601 dates so answers are stable,
/// and `no-store` because most of them carry patient data.
func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    return Response(
        status: status,
        headers: [.contentType: "application/json", .cacheControl: "no-store"],
        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
    )
}
