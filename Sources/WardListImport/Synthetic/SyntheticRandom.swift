import Foundation

/// SplitMix64 finaliser: a good 64-bit mixing function. Used to derive
/// independent seeds (per week, per purpose) from the configured seed, so the
/// synthetic data never depends on `SystemRandomNumberGenerator`.
@inline(__always)
func syntheticMix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64. Fast, small
/// state, and the same sequence on every platform for a given seed.
struct SyntheticRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    init(seed: UInt64) {
        var x = seed
        func next() -> UInt64 {
            x = x &+ 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next()
        s1 = next()
        s2 = next()
        s3 = next()
    }

    /// A generator for one purpose (`stream`) derived from a seed, independent
    /// of every other stream.
    init(seed: UInt64, stream: UInt64) {
        self.init(seed: syntheticMix(seed ^ syntheticMix(stream &* 0xD1B5_4A32_D192_ED03)))
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 53 bits.
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in 0..<bound (bound > 0). Multiply-shift: the bias is below
    /// 2⁻³² for the small bounds used here, irrelevant for synthetic data.
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(((next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Standard normal (Box–Muller; one of the pair is discarded).
    mutating func gaussian() -> Double {
        let u1 = 1 - unit()  // (0, 1]
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Uniform integer in a closed range.
    @inline(__always)
    mutating func between(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }
}
