/// xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2021): the
/// deterministic generator of the synthetic showers. Integer arithmetic only, so one seed gives
/// the same stream on every machine and with every Swift version, unlike
/// `SystemRandomNumberGenerator`.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeds the state from `seed` and `stream` through SplitMix64, so that nearby seeds and
    /// streams (event 0, 1, 2, …) give unrelated sequences.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = SplitMix64(seed: seed)
        // Mixing the stream through a second SplitMix64 keeps (seed, stream) pairs apart.
        var streamMixer = SplitMix64(seed: stream ^ 0x6A09_E667_F3BC_C909)
        let offset = streamMixer.next()
        mixer.state ^= offset
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is the one fixed point
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
