/// Count, mean and spread of a stream of values, accumulated one value at a time with Welford's
/// update (numerically stable: no difference of large sums) and mergeable (Chan et al.'s pairwise
/// combination), so batches can be accumulated separately.
public struct RunningMoments: Sendable, Equatable, Codable {
    /// Values added.
    public private(set) var count = 0
    /// Running mean (0 while empty; ``mean`` says NaN then).
    private var runningMean = 0.0
    /// Sum of squared deviations from the running mean, Σ (x − x̄)².
    private var squaredDeviations = 0.0

    /// No values yet.
    public init() {}

    /// The moments of `values`.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        for value in values { add(value) }
    }

    /// Adds one value. A NaN or infinite value makes the mean and spread NaN, as in numpy.
    public mutating func add(_ value: Double) {
        count += 1
        let delta = value - runningMean
        runningMean += delta / Double(count)
        squaredDeviations += delta * (value - runningMean)
    }

    /// Adds the values summarised by `other`.
    public mutating func merge(_ other: RunningMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let total = Double(count + other.count)
        let delta = other.runningMean - runningMean
        runningMean += delta * Double(other.count) / total
        squaredDeviations += other.squaredDeviations + delta * delta * Double(count) * Double(other.count) / total
        count += other.count
    }

    /// The mean; NaN when empty.
    public var mean: Double { count > 0 ? runningMean : .nan }

    /// The sample standard deviation sqrt(Σ (x − x̄)² / (n − 1)); NaN for fewer than two values.
    public var standardDeviation: Double {
        count > 1 ? (Swift.max(squaredDeviations, 0) / Double(count - 1)).squareRoot() : .nan
    }

    /// The standard error of the mean, standard deviation / √n; NaN for fewer than two values.
    public var standardError: Double {
        count > 1 ? standardDeviation / Double(count).squareRoot() : .nan
    }
}
