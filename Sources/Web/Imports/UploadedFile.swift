import Foundation
import Hummingbird
import NIOCore

/// A request body spooled to a temporary file, so an upload never holds a
/// database transaction open while a slow client sends it, and is never
/// held whole in memory.
struct UploadedFile {
    let url: URL
    let fileName: String?
    let fields: [String: String]

    static let maximumBytes = 200 * 1024 * 1024

    /// Reads a `text/csv` body, or the `file` part of a `multipart/form-data` body.
    static func receive(_ request: Request, context: some RequestContext) async throws -> UploadedFile {
        let contentType = request.headers[.contentType] ?? ""
        let spooled = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-upload-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: spooled.path, contents: nil)
        let handle = try FileHandle(forWritingTo: spooled)
        var total = 0
        do {
            for try await buffer in request.body {
                total += buffer.readableBytes
                guard total <= maximumBytes else {
                    throw HTTPError(.contentTooLarge, message: "the upload is larger than \(maximumBytes / 1024 / 1024) MB")
                }
                try handle.write(contentsOf: buffer.readableBytesView)
            }
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: spooled)
            throw error
        }
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            defer { try? FileManager.default.removeItem(at: spooled) }
            return try extractMultipart(spooled, contentType: contentType)
        }
        guard contentType.isEmpty || contentType.lowercased().hasPrefix("text/csv") || contentType.lowercased().hasPrefix("text/plain")
                || contentType.lowercased().hasPrefix("text/tab-separated-values") || contentType.lowercased().hasPrefix("application/octet-stream") else {
            try? FileManager.default.removeItem(at: spooled)
            throw HTTPError(.unsupportedMediaType, message: "send the ward list as text/csv or as a multipart/form-data upload with a `file` part")
        }
        return UploadedFile(url: spooled, fileName: request.uri.queryParameters["file_name"].map(String.init), fields: [:])
    }

    /// Splits a multipart body (RFC 7578) into its parts: the `file` part is
    /// written to its own file; other parts become fields.
    private static func extractMultipart(_ spooled: URL, contentType: String) throws -> UploadedFile {
        guard let boundaryRange = contentType.range(of: "boundary=") else {
            throw HTTPError(.badRequest, message: "multipart upload without a boundary")
        }
        var boundary = String(contentType[boundaryRange.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let body = try Data(contentsOf: spooled)
        let delimiter = Data(("--" + boundary).utf8)
        var fields: [String: String] = [:]
        var fileURL: URL?
        var fileName: String?
        var searchStart = body.startIndex
        var parts: [Range<Data.Index>] = []
        var previousEnd: Data.Index?
        while let found = body.range(of: delimiter, in: searchStart..<body.endIndex) {
            if let previousEnd { parts.append(previousEnd..<found.lowerBound) }
            previousEnd = found.upperBound
            searchStart = found.upperBound
        }
        for range in parts {
            var part = body[range]
            // Each part: CRLF, headers, CRLF CRLF, content, CRLF.
            if part.starts(with: Data("\r\n".utf8)) { part = part.dropFirst(2) }
            guard let split = part.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let headers = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self)
            var content = part[split.upperBound...]
            if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
            guard let name = Self.parameter("name", in: headers) else { continue }
            if let filename = Self.parameter("filename", in: headers) {
                guard name == "file" else { continue }
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("stranded-upload-\(UUID().uuidString)")
                try Data(content).write(to: url)
                fileURL = url
                fileName = filename.isEmpty ? nil : filename
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        guard let fileURL else {
            throw HTTPError(.badRequest, message: "the upload has no file: send the ward list in a part named `file`")
        }
        return UploadedFile(url: fileURL, fileName: fileName, fields: fields)
    }

    private static func parameter(_ key: String, in headers: String) -> String? {
        guard let range = headers.range(of: "\(key)=\"") else { return nil }
        let rest = headers[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        // `filename=` must not match inside `name=`: require a boundary before the key.
        let before = headers[..<range.lowerBound].last
        guard before == nil || before == " " || before == ";" else { return nil }
        return String(rest[..<end])
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
