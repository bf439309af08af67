import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory only this process's user can enter (0700), made with
/// `mkdtemp`, for an upload's bytes: a ward list is patient data, so it is
/// never readable by other users of the machine, not even for a moment, and
/// the whole directory goes when the request ends, however it ends.
struct PrivateSpool: Sendable {
    let directory: URL

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Makes a new private directory in `parent` (default: the system's temporary directory).
    static func make(in parent: URL? = nil) throws -> PrivateSpool {
        let parent = parent ?? FileManager.default.temporaryDirectory
        var template = Array(parent.appendingPathComponent("stranded-upload-XXXXXX").path.utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw Failure(description: "cannot create a private temporary directory (errno \(errno))") }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // mkdtemp makes it 0700 already; say so explicitly, whatever the umask.
        chmod(path, 0o700)
        return PrivateSpool(directory: URL(fileURLWithPath: path, isDirectory: true))
    }

    /// Creates a new file (0600) in the directory for writing; never opens an existing one.
    func createFile(named name: String) throws -> (URL, FileHandle) {
        let url = directory.appendingPathComponent(name)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "cannot create a private temporary file (errno \(errno))") }
        fchmod(descriptor, 0o600)
        return (url, FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }

    /// Removes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Removes spool directories a killed process left behind in `parent`:
    /// those not touched for `age` (an upload in progress on another replica
    /// writes to its directory far more often than that). Returns how many.
    @discardableResult
    static func removeLeftovers(in parent: URL? = nil, olderThan age: TimeInterval, now: Date = Date()) -> Int {
        let parent = parent ?? FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        var removed = 0
        for name in names where name.hasPrefix("stranded-upload-") {
            let url = parent.appendingPathComponent(name, isDirectory: true)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                attributes[.type] as? FileAttributeType == .typeDirectory,
                attributes[.ownerAccountID] as? NSNumber == NSNumber(value: getuid()),
                let modified = attributes[.modificationDate] as? Date, now.timeIntervalSince(modified) > age
            else { continue }
            if (try? FileManager.default.removeItem(at: url)) != nil { removed += 1 }
        }
        return removed
    }
}

/// What the executable does about upload spools at start-up.
public enum UploadSpools {
    /// Removes spool directories left by a process killed mid-upload (a ward
    /// list is patient data: it must not linger on disk), untouched for an hour.
    @discardableResult
    public static func removeLeftovers(in parent: URL?) -> Int {
        PrivateSpool.removeLeftovers(in: parent, olderThan: 3600)
    }
}
