import Foundation
import WardListImport

/// A CPU-only control: the median of five fingerprints of the same file (no
/// database, no disk after the first read), timed before a run and after it.
/// If the machine itself ran slower at the end, the drift figures say so.
/// Hashed with the portable Swift rounds, as every run before the import
/// used the processor's SHA instructions, so its figures compare across runs.
public func machineControl(_ url: URL) throws -> Double {
    let data = try Data(contentsOf: url)
    var times: [Double] = []
    for _ in 0..<5 {
        let start = ContinuousClock.now
        var fingerprint = ContentFingerprint(portable: true)
        data.withUnsafeBytes { fingerprint.update($0.bindMemory(to: UInt8.self)) }
        _ = fingerprint.finalize()
        times.append(seconds(ContinuousClock.now - start))
    }
    return times.sorted()[2]
}
