/// The random stream of NumPy's `np.random.default_rng(seed)`, reproduced bit for bit so that FPD
/// and KPD draw exactly the rows JetNet draws (spec/calochallenge.md §6.3, §6.4: JetNet resamples
/// with `default_rng(42).choice(n, size)`).
///
/// `default_rng(seed)` is a PCG64 bit generator (128-bit LCG with the XSL-RR output function)
/// seeded through a `SeedSequence`; `choice(n, size)` with replacement draws integers in
/// `[0, n)` with Lemire's bounded method on 32-bit words (n ≤ 2³²), taking the two halves of each
/// 64-bit output low half first. Verified against NumPy 2.4 in the tests.
struct NumPyRandomStream {
    private var state: UInt128Parts
    private let increment: UInt128Parts
    private var bufferedWord: UInt32?

    /// The stream of `np.random.default_rng(seed)`.
    init(seed: UInt64) {
        let words = Self.seedSequenceState(entropy: seed, wordCount: 8)
        func parts(_ i: Int) -> UInt64 { UInt64(words[2 * i]) | UInt64(words[2 * i + 1]) << 32 }
        let initialState = UInt128Parts(high: parts(0), low: parts(1))
        let sequence = UInt128Parts(high: parts(2), low: parts(3))
        increment = UInt128Parts(high: sequence.high << 1 | sequence.low >> 63, low: sequence.low << 1 | 1)
        state = UInt128Parts(high: 0, low: 0)
        step()
        state = state &+ initialState
        step()
    }

    /// `SeedSequence(entropy).generate_state(wordCount, uint32)`: the entropy's 32-bit words
    /// hashed into a pool of four, then hashed out again.
    static func seedSequenceState(entropy: UInt64, wordCount: Int) -> [UInt32] {
        let entropyWords: [UInt32] =
            entropy >> 32 == 0
            ? [UInt32(truncatingIfNeeded: entropy)]
            : [UInt32(truncatingIfNeeded: entropy), UInt32(truncatingIfNeeded: entropy >> 32)]
        var hashConstant: UInt32 = 0x43b0_d7e5
        func hashMix(_ value: UInt32) -> UInt32 {
            var v = value ^ hashConstant
            hashConstant = hashConstant &* 0x931e_8875
            v = v &* hashConstant
            return v ^ (v >> 16)
        }
        func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
            let r = 0xca01_f9dd &* x &- 0x4973_f715 &* y
            return r ^ (r >> 16)
        }
        var pool = (0..<4).map { hashMix($0 < entropyWords.count ? entropyWords[$0] : 0) }
        for source in 0..<4 {
            for destination in 0..<4 where source != destination {
                pool[destination] = mix(pool[destination], hashMix(pool[source]))
            }
        }
        for source in 4..<Swift.max(4, entropyWords.count) {
            for destination in 0..<4 { pool[destination] = mix(pool[destination], hashMix(entropyWords[source])) }
        }
        var outConstant: UInt32 = 0x8b51_f9dd
        return (0..<wordCount).map { i in
            var v = pool[i % 4] ^ outConstant
            outConstant = outConstant &* 0x58f3_8ded
            v = v &* outConstant
            return v ^ (v >> 16)
        }
    }

    private mutating func step() {
        state = state &* UInt128Parts.pcgMultiplier &+ increment
    }

    /// The next 64-bit output (PCG64 `next64`: advance, then XSL-RR of the new state).
    mutating func next64() -> UInt64 {
        step()
        let folded = state.high ^ state.low
        let rotation = state.high >> 58
        return folded >> rotation | folded << ((64 &- rotation) & 63)
    }

    /// The next 32-bit output: the low half of a fresh 64-bit output, its high half buffered for
    /// the following call.
    mutating func next32() -> UInt32 {
        if let word = bufferedWord {
            bufferedWord = nil
            return word
        }
        let value = next64()
        bufferedWord = UInt32(truncatingIfNeeded: value >> 32)
        return UInt32(truncatingIfNeeded: value)
    }

    /// One integer uniform in `0..<bound` (NumPy `integers(0, bound)` for bound ≤ 2³²).
    mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0 && UInt64(bound) <= 1 << 32, "index bound \(bound) outside 1...2^32")
        if bound == 1 { return 0 }
        if bound == 1 << 32 { return Int(next32()) }
        let range = UInt32(bound - 1)
        let exclusive = UInt64(bound)
        var product = UInt64(next32()) * exclusive
        var leftover = UInt32(truncatingIfNeeded: product)
        if UInt64(leftover) < exclusive {
            let threshold = UInt32((UInt64(UInt32.max - range)) % exclusive)
            while leftover < threshold {
                product = UInt64(next32()) * exclusive
                leftover = UInt32(truncatingIfNeeded: product)
            }
        }
        return Int(product >> 32)
    }

    /// `count` indices uniform in `0..<bound`, drawn with replacement (`rng.choice(bound, count)`).
    mutating func choice(_ bound: Int, count: Int) -> [Int] {
        (0..<count).map { _ in nextIndex(below: bound) }
    }
}

/// A 128-bit unsigned integer as two words, with the wrapping arithmetic PCG64 needs.
struct UInt128Parts: Equatable {
    var high: UInt64
    var low: UInt64

    static let pcgMultiplier = UInt128Parts(high: 0x2360_ED05_1FC6_5DA4, low: 0x4385_DF64_9FCC_F645)

    static func &+ (a: UInt128Parts, b: UInt128Parts) -> UInt128Parts {
        let (low, carry) = a.low.addingReportingOverflow(b.low)
        return UInt128Parts(high: a.high &+ b.high &+ (carry ? 1 : 0), low: low)
    }

    static func &* (a: UInt128Parts, b: UInt128Parts) -> UInt128Parts {
        let (productHigh, productLow) = a.low.multipliedFullWidth(by: b.low)
        let high = productHigh &+ a.high &* b.low &+ a.low &* b.high
        return UInt128Parts(high: high, low: productLow)
    }
}
