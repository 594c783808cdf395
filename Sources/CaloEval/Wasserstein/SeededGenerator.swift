/// A small deterministic random-number generator (SplitMix64, Steele, Lea & Flood 2014) for the
/// evaluation's subsampling: the same seed gives the same draws on every platform and Swift version,
/// because bounded values come from ``index(below:)`` rather than the standard library's algorithms.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound (bound > 0), unbiased by rejection.
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        let range = UInt64(bound)
        // Reject the top partial copy of [0, range) so every value is equally likely.
        let limit = UInt64.max - UInt64.max % range
        while true {
            let value = next()
            if value < limit { return Int(value % range) }
        }
    }

    /// `count` distinct indices drawn uniformly from 0..<population, in draw order (a partial
    /// Fisher–Yates shuffle). `count` must not exceed `population`.
    public mutating func sample(_ count: Int, from population: Int) -> [Int] {
        precondition(count >= 0 && count <= population, "cannot draw \(count) of \(population) without replacement")
        var indices = Array(0..<population)
        for position in 0..<count {
            let other = position + index(below: population - position)
            indices.swapAt(position, other)
        }
        return Array(indices.prefix(count))
    }
}

/// A uniform random sample of at most `capacity` values from a stream of unknown length (reservoir
/// sampling, Vitter's algorithm R), reproducible through its seeded generator.
public struct ReservoirSample: Sendable, Equatable {
    public let capacity: Int
    /// The sampled values (all values while fewer than `capacity` were seen).
    public private(set) var values: [Double] = []
    /// Values offered so far.
    public private(set) var seen = 0
    private var generator: SeededGenerator

    public static func == (lhs: ReservoirSample, rhs: ReservoirSample) -> Bool {
        lhs.capacity == rhs.capacity && lhs.values == rhs.values && lhs.seen == rhs.seen
    }

    public init(capacity: Int, seed: UInt64) {
        precondition(capacity >= 0, "reservoir capacity must not be negative")
        self.capacity = capacity
        generator = SeededGenerator(seed: seed)
        values.reserveCapacity(Swift.min(capacity, 1 << 20))
    }

    /// Offers one value.
    public mutating func offer(_ value: Double) {
        if values.count < capacity {
            values.append(value)
        } else if capacity > 0 {
            let slot = generator.index(below: seen + 1)
            if slot < capacity { values[slot] = value }
        }
        seen += 1
    }
}
