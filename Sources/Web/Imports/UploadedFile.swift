import Foundation
import Hummingbird
import NIOCore

/// A request body spooled to a private temporary file, so an upload never
/// holds a database transaction open while a slow client sends it, and is
/// never held whole in memory.
struct UploadedFile {
    let url: URL
    let fileName: String?
    let fields: [String: String]

    static let maximumBytes = 200 * 1024 * 1024

    /// Receives a `text/csv` body, or the `file` part of a
    /// `multipart/form-data` body, into a private spool; runs `body` with it;
    /// then removes the spool — also when receiving or `body` fails or the
    /// request is cancelled.
    ///
    /// `beforeFile` runs, for a multipart upload, with the fields that came
    /// before the file, before any of the file is written.
    static func withUpload<T>(
        _ request: Request,
        wording: UploadWording,
        spoolIn parent: URL? = nil,
        beforeFile: @escaping ([String: String]) throws -> Void = { _ in },
        _ body: (UploadedFile) async throws -> T
    ) async throws -> T {
        let spool = try PrivateSpool.make(in: parent)
        defer { spool.remove() }
        let upload = try await receive(request, into: spool, wording: wording, beforeFile: beforeFile)
        return try await body(upload)
    }

    private static func receive(
        _ request: Request,
        into spool: PrivateSpool,
        wording: UploadWording,
        beforeFile: @escaping ([String: String]) throws -> Void
    ) async throws -> UploadedFile {
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        if contentType.hasPrefix("multipart/form-data") {
            let spooler = MultipartSpooler(
                boundary: try boundary(request.headers[.contentType] ?? ""),
                spool: spool,
                wording: wording,
                beforeFile: beforeFile
            )
            try await forEachChunk(of: request) { try spooler.feed($0) }
            let received = try spooler.finish()
            return UploadedFile(url: received.url, fileName: received.name, fields: received.fields)
        }
        guard
            contentType.isEmpty || contentType.hasPrefix("text/csv") || contentType.hasPrefix("text/plain")
                || contentType.hasPrefix("text/tab-separated-values") || contentType.hasPrefix("application/octet-stream")
        else {
            throw HTTPError(.unsupportedMediaType, message: "send the \(wording.fileKind) as text/csv or as a multipart/form-data upload with a `file` part")
        }
        let (url, handle) = try spool.createFile(named: "upload")
        defer { try? handle.close() }
        try await forEachChunk(of: request) { try handle.write(contentsOf: $0.readableBytesView) }
        let fileName = request.uri.queryParameters["file_name"].flatMap { MultipartSpooler.baseName(String($0)) }
        return UploadedFile(url: url, fileName: fileName, fields: [:])
    }

    /// Reads the body a chunk at a time, refusing it past `maximumBytes`.
    private static func forEachChunk(of request: Request, _ handle: (ByteBuffer) throws -> Void) async throws {
        var total = 0
        for try await buffer in request.body {
            total += buffer.readableBytes
            guard total <= maximumBytes else {
                throw HTTPError(.contentTooLarge, message: "the upload is larger than \(maximumBytes / 1024 / 1024) MB")
            }
            try handle(buffer)
        }
    }

    /// The `boundary` parameter of a multipart Content-Type (RFC 2046: 1 to 70 characters).
    private static func boundary(_ contentType: String) throws -> String {
        guard let range = contentType.range(of: "boundary=", options: .caseInsensitive) else {
            throw HTTPError(.badRequest, message: "multipart upload without a boundary")
        }
        var boundary = String(contentType[range.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard (1...70).contains(boundary.utf8.count) else {
            throw HTTPError(.badRequest, message: "the multipart boundary must be 1 to 70 characters")
        }
        return boundary
    }
}
