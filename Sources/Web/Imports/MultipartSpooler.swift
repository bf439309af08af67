import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import StrandedCore

/// How an upload's messages name what to fix: the upload page's fields by
/// their labels, the API's parts by their names.
struct UploadWording: Sendable, Equatable {
    /// A page's form (its fields named by their labels), else the API (by their names).
    let isPage: Bool
    /// What the file is, in messages: "ward list".
    let fileKind: String
    /// The page's label of its file field.
    let fileLabel: String

    static let api = UploadWording(isPage: false, fileKind: "ward list", fileLabel: "")
    static let page = UploadWording(isPage: true, fileKind: "ward list", fileLabel: "Ward list file")

    /// The upload form of another kind of file on the imports page.
    static func page(_ fileKind: String, label: String) -> UploadWording {
        UploadWording(isPage: true, fileKind: fileKind, fileLabel: label)
    }

    var fileField: String { isPage ? "the “\(fileLabel)” field" : "the part named `file`" }
    /// The field's bare name, for messages that begin with it.
    var snapshotDateFieldName: String { isPage ? "Snapshot date" : "snapshot_date" }
}

/// Streams a `multipart/form-data` body (RFC 7578) to disk as it arrives,
/// with MultipartKit's streaming parser: the one file part is written to a
/// file in a private spool, small fields are kept; the body is never held
/// whole in memory.
final class MultipartSpooler {
    static let maximumFieldBytes = 4096
    static let maximumFields = 32
    /// Bytes gathered before each write: the parser hands over a line at a time.
    static let writeChunk = 256 * 1024

    private let parser: MultipartParser
    private let spool: PrivateSpool
    private let wording: UploadWording
    /// Runs before the file's first byte is written, with the fields so far
    /// (the page's CSRF token comes before its file).
    private let beforeFile: ([String: String]) throws -> Void

    private(set) var fields: [String: String] = [:]
    private(set) var file: (url: URL, name: String?)?
    private var headers: [(name: String, value: String)] = []
    private enum Part {
        case none
        case field(name: String, bytes: [UInt8])
        case file(FileHandle)
        case skipped
    }
    private var part: Part = .none
    private var inPart = false
    private var fileFieldName: String?
    private var pending: [UInt8] = []
    private var failure: (any Error)?

    init(boundary: String, spool: PrivateSpool, wording: UploadWording, beforeFile: @escaping ([String: String]) throws -> Void) {
        parser = MultipartParser(boundary: boundary)
        self.spool = spool
        self.wording = wording
        self.beforeFile = beforeFile
        parser.onHeader = { [unowned self] name, value in
            inPart = true
            headers.append((name, value))
        }
        parser.onBody = { [unowned self] buffer in
            inPart = true
            guard failure == nil else { return }
            do { try body(buffer) } catch { failure = error }
        }
        parser.onPartComplete = { [unowned self] in
            guard failure == nil else { return }
            do { try completePart() } catch { failure = error }
        }
    }

    /// Hands the next piece of the body to the parser.
    func feed(_ buffer: ByteBuffer) throws {
        do {
            try parser.execute(buffer)
        } catch {
            closeFile()
            throw HTTPError(.badRequest, message: "the multipart upload is malformed; send it again as multipart/form-data")
        }
        if let failure {
            closeFile()
            throw failure
        }
    }

    /// Ends the body: the upload's file and fields.
    func finish() throws -> (url: URL, name: String?, fields: [String: String]) {
        defer { closeFile() }
        if inPart {
            throw HTTPError(.badRequest, message: "the upload ended before its last part was complete; send it again")
        }
        guard let file else {
            throw HTTPError(.badRequest, message: "the upload has no file: choose the \(wording.fileKind) file in \(wording.fileField)")
        }
        return (file.url, file.name, fields)
    }

    // MARK: Parts

    private func body(_ buffer: ByteBuffer) throws {
        if case .none = part { try beginPart() }
        switch part {
        case .none, .skipped:
            break
        case .field(let name, var bytes):
            bytes.append(contentsOf: buffer.readableBytesView)
            guard bytes.count <= Self.maximumFieldBytes else {
                throw HTTPError(.contentTooLarge, message: "the form field \(Self.shown(name)) is longer than \(Self.maximumFieldBytes) bytes")
            }
            part = .field(name: name, bytes: bytes)
        case .file(let handle):
            pending.append(contentsOf: buffer.readableBytesView)
            if pending.count >= Self.writeChunk { try write(to: handle) }
        }
    }

    private func completePart() throws {
        if case .none = part { try beginPart() }
        switch part {
        case .field(let name, let bytes):
            fields[name] = String(decoding: bytes, as: UTF8.self)
        case .file(let handle):
            try write(to: handle)
            try handle.close()
        case .none, .skipped:
            break
        }
        part = .none
        headers = []
        inPart = false
    }

    /// Decides from the part's headers what it is.
    private func beginPart() throws {
        let disposition = headers.first { $0.name.lowercased() == "content-disposition" }?.value ?? ""
        guard let name = Self.parameter("name", in: disposition) else {
            part = .skipped
            return
        }
        guard let fileName = Self.parameter("filename", in: disposition) else {
            guard fields.count < Self.maximumFields else {
                throw HTTPError(.badRequest, message: "the upload has more than \(Self.maximumFields) form fields")
            }
            part = .field(name: name, bytes: [])
            return
        }
        if let first = fileFieldName {
            if wording.isPage {
                throw HTTPError(
                    .badRequest,
                    message: "the upload has more than one file; import one \(wording.fileKind) at a time: choose a single file in \(wording.fileField)"
                )
            }
            throw HTTPError(
                .badRequest,
                message: "the upload has more than one file part (\(Self.shown(first)) and \(Self.shown(name))); "
                    + "send one \(wording.fileKind) per request, in \(wording.fileField)"
            )
        }
        fileFieldName = name
        guard name == "file" else {
            throw HTTPError(
                .badRequest,
                message: "the upload's file is in a part named \(Self.shown(name)); send the \(wording.fileKind) in \(wording.fileField)"
            )
        }
        try beforeFile(fields)
        let (url, handle) = try spool.createFile(named: "upload")
        file = (url, Self.baseName(fileName))
        part = .file(handle)
    }

    private func write(to handle: FileHandle) throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    private func closeFile() {
        if case .file(let handle) = part {
            try? handle.close()
            part = .skipped
        }
    }

    // MARK: Header values

    /// `key="value"` in a Content-Disposition header.
    static func parameter(_ key: String, in header: String) -> String? {
        var searchFrom = header.startIndex
        while let range = header.range(of: "\(key)=\"", range: searchFrom..<header.endIndex) {
            searchFrom = range.upperBound
            // `filename=` must not match inside `name=`: require a boundary before the key.
            let before = header[..<range.lowerBound].last
            guard before == nil || before == " " || before == ";" else { continue }
            let rest = header[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<end])
        }
        return nil
    }

    /// The name without any folder a browser sent, and without control
    /// characters: it is shown on pages, stored, audited and logged.
    static func baseName(_ fileName: String) -> String? {
        let base = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String(String.UnicodeScalarView(base.unicodeScalars.filter { !ReferenceCode.isControlOrInvisible($0) }))
        if cleaned.count > 200 { cleaned = String(cleaned.prefix(200)) }
        return cleaned.isEmpty ? nil : cleaned
    }

    /// A field name as a message quotes it.
    static func shown(_ name: String) -> String {
        let visible = ReferenceCode.visible(name)
        return "“" + (visible.count > 40 ? String(visible.prefix(40)) + "…" : visible) + "”"
    }
}
