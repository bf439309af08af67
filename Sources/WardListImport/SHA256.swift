import CSHA256
import Foundation

/// SHA-256 (FIPS 180-4), streamed: feed chunks, then `finalize()`.
///
/// Used to recognise a ward list that was sent before; kept here rather than
/// adding a crypto package to every build for one digest. Whole blocks go to
/// the processor's SHA instructions where it has them (CSHA256), about ten
/// times faster; the rounds below are the same function everywhere else.
public struct SHA256 {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
    private var block = [UInt8](repeating: 0, count: 64)
    private var blockCount = 0
    private var totalBytes: UInt64 = 0
    /// The Swift rounds only, never the processor's instructions: the
    /// benchmarks' CPU-only machine control, and tests comparing the two.
    private let portable: Bool

    public init(portable: Bool = false) {
        self.portable = portable
    }

    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        totalBytes &+= UInt64(bytes.count)
        var index = 0
        // Top up a partial block first, then hash whole blocks straight from the input.
        if blockCount > 0 {
            let take = min(64 - blockCount, bytes.count)
            for i in 0..<take { block[blockCount + i] = bytes[i] }
            blockCount += take
            index = take
            if blockCount == 64 {
                block.withUnsafeBufferPointer { compress($0.baseAddress!, blocks: 1) }
                blockCount = 0
            }
        }
        let wholeBlocks = (bytes.count - index) / 64
        if wholeBlocks > 0 {
            compress(bytes.baseAddress! + index, blocks: wholeBlocks)
            index += wholeBlocks * 64
        }
        while index < bytes.count {
            block[blockCount] = bytes[index]
            blockCount += 1
            index += 1
        }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    /// The digest as 64 lowercase hex digits.
    public mutating func finalize() -> String {
        let bitLength = totalBytes &* 8
        var padding: [UInt8] = [0x80]
        let afterOne = (blockCount + 1) % 64
        padding += [UInt8](repeating: 0, count: afterOne <= 56 ? 56 - afterOne : 120 - afterOne)
        for shift in stride(from: 56, through: 0, by: -8) { padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        let saved = totalBytes
        update(padding)
        totalBytes = saved
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        let hex: [Character] = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(64)
        for word in words {
            for shift in stride(from: 28, through: 0, by: -4) { out.append(hex[Int((word >> UInt32(shift)) & 0xf)]) }
        }
        return out
    }

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private mutating func compress(_ blocks: UnsafePointer<UInt8>, blocks count: Int) {
        if !portable {
            let done = withUnsafeMutableBytes(of: &state) { words in
                csha256_compress_blocks(words.baseAddress!.assumingMemoryBound(to: UInt32.self), blocks, count)
            }
            if done == 1 { return }
        }
        for block in 0..<count { compress(blocks + block * 64) }
    }

    private mutating func compress(_ p: UnsafePointer<UInt8>) {
        // The message schedule lives on the stack: no allocation per block.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                w[i] = UInt32(p[i * 4]) << 24 | UInt32(p[i * 4 + 1]) << 16 | UInt32(p[i * 4 + 2]) << 8 | UInt32(p[i * 4 + 3])
            }
            for i in 16..<64 {
                let s0 = w[i - 15].rotatedRight(7) ^ w[i - 15].rotatedRight(18) ^ (w[i - 15] >> 3)
                let s1 = w[i - 2].rotatedRight(17) ^ w[i - 2].rotatedRight(19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = state
            SHA256.k.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                }
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
        }
    }
}

extension UInt32 {
    @inline(__always) fileprivate func rotatedRight(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}

/// Hashes a ward list so that the same content is recognised however it was
/// saved: the BOM is skipped and CRLF counts as LF (per Schema/ward-list.md §10).
public struct ContentFingerprint {
    private var sha: SHA256
    private var pendingCR = false
    private var scratch: [UInt8] = []

    /// `portable`: as ``SHA256/init(portable:)``.
    public init(portable: Bool = false) {
        sha = SHA256(portable: portable)
    }

    /// Feeds bytes that have already had any BOM removed.
    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        // A chunk with no CR (every LF-only file) is hashed as it is, not copied first.
        if !pendingCR, bytes.isEmpty || memchr(bytes.baseAddress!, 0x0D, bytes.count) == nil {
            sha.update(bytes)
            return
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.reserveCapacity(bytes.count + 1)
        for byte in bytes {
            if pendingCR {
                pendingCR = false
                if byte != UInt8(ascii: "\n") { scratch.append(UInt8(ascii: "\r")) }
            }
            if byte == UInt8(ascii: "\r") { pendingCR = true } else { scratch.append(byte) }
        }
        sha.update(scratch)
    }

    public mutating func finalize() -> String {
        if pendingCR { sha.update([UInt8(ascii: "\r")]) }
        return sha.finalize()
    }
}
