import Foundation

/// A scratch directory for one test, named so stale ones are swept up.
public func makeScratchDirectory(_ purpose: String) throws -> String {
    let dir = "\(TestCluster.scratchRoot)/stranded-test-\(purpose)-\(UUID().uuidString.prefix(8))-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}
