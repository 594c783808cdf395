/// A fitted isotonic (monotone non-decreasing) regression y ≈ f(x), evaluated by linear
/// interpolation between its points — the calibration map of the classifier test
/// (spec/calochallenge.md §5.4 step 2; evaluate.py uses sklearn's
/// `IsotonicRegression(out_of_bounds='clip', y_min=1e-6, y_max=1-1e-6)`).
///
/// Fitting follows sklearn's `IsotonicRegression.fit`: points sorted by x (ties by y), runs of x
/// closer than 1e-15 to the run's first x merged into one point carrying the weighted mean of
/// their y and the sum of their weights, pool-adjacent-violators on those means, the result
/// clipped to [`minimum`, `maximum`]. Evaluation clips x to the fitted range and interpolates
/// linearly as scipy's `interp1d` does.
public struct IsotonicRegression: Sendable, Equatable {
    /// The distinct x values, increasing.
    public let thresholds: [Double]
    /// The fitted value at each threshold, non-decreasing.
    public let values: [Double]

    /// Fits the regression.
    ///
    /// - Parameters:
    ///   - x: inputs (for the calibration: raw classifier probabilities of the test set).
    ///   - y: targets (the test labels).
    ///   - weights: positive weights (default 1); points with weight ≤ 0 are ignored, as sklearn does.
    ///   - minimum, maximum: bounds the fitted values are clipped to.
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` for mismatched lengths, no usable point or
    ///   non-finite inputs.
    public init(fitting x: [Double], _ y: [Double], weights: [Double]? = nil, minimum: Double? = nil, maximum: Double? = nil)
        throws
    {
        let weights = weights ?? [Double](repeating: 1, count: x.count)
        guard x.count == y.count, weights.count == x.count else {
            throw EvaluationError.invalidArgument(
                "isotonic regression: \(x.count) inputs, \(y.count) targets and \(weights.count) weights must match")
        }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite), weights.allSatisfy(\.isFinite) else {
            throw EvaluationError.invalidArgument("isotonic regression: inputs, targets and weights must be finite")
        }
        let kept = x.indices.filter { weights[$0] > 0 }.sorted { (x[$0], y[$0]) < (x[$1], y[$1]) }
        guard !kept.isEmpty else {
            throw EvaluationError.invalidArgument("isotonic regression: no point with positive weight to fit")
        }
        // Merge (nearly) equal x: sklearn `_make_unique`, which compares with the run's first x.
        let resolution = 1e-15
        var uniqueX: [Double] = [], meanY: [Double] = [], totalWeight: [Double] = []
        var runX = x[kept[0]], runWeightedY = 0.0, runWeight = 0.0
        for i in kept {
            if x[i] - runX >= resolution {
                uniqueX.append(runX)
                meanY.append(runWeightedY / runWeight)
                totalWeight.append(runWeight)
                runX = x[i]
                runWeightedY = 0
                runWeight = 0
            }
            runWeightedY += y[i] * weights[i]
            runWeight += weights[i]
        }
        uniqueX.append(runX)
        meanY.append(runWeightedY / runWeight)
        totalWeight.append(runWeight)
        var fitted = isotonicRegression(meanY, weights: totalWeight)
        for i in fitted.indices {
            if let minimum, fitted[i] < minimum { fitted[i] = minimum }
            if let maximum, fitted[i] > maximum { fitted[i] = maximum }
        }
        thresholds = uniqueX
        values = fitted
    }

    /// f(x): x clipped to [first, last] threshold, then interpolated linearly between the
    /// neighbouring thresholds (scipy `interp1d`: the interval (xₖ₋₁, xₖ] with xₖ the first
    /// threshold ≥ x, and y = slope·(x − xₖ₋₁) + yₖ₋₁).
    public func callAsFunction(_ x: Double) -> Double {
        guard thresholds.count > 1 else { return values[0] }
        let t = Swift.min(Swift.max(x, thresholds[0]), thresholds[thresholds.count - 1])
        var low = 0, high = thresholds.count
        while low < high {  // first index with thresholds[index] >= t
            let middle = (low + high) / 2
            if thresholds[middle] < t { low = middle + 1 } else { high = middle }
        }
        let upper = Swift.min(Swift.max(low, 1), thresholds.count - 1)
        let lower = upper - 1
        let slope = (values[upper] - values[lower]) / (thresholds[upper] - thresholds[lower])
        return slope * (t - thresholds[lower]) + values[lower]
    }

    /// f applied to every element.
    public func callAsFunction(_ xs: [Double]) -> [Double] { xs.map { self($0) } }
}

/// The weighted least-squares non-decreasing fit to `y` in the given order, by
/// pool-adjacent-violators: adjacent values that violate the order (or tie) are pooled into
/// blocks holding their weighted mean until the block means increase; each element then takes
/// its block's mean (Barlow et al. 1972; sklearn `isotonic_regression` without bounds).
///
/// - Parameters:
///   - y: the values, in x order.
///   - weights: positive weights (default 1).
/// - Returns: the fitted values, same count.
public func isotonicRegression(_ y: [Double], weights: [Double]? = nil) -> [Double] {
    precondition(
        weights == nil || weights!.count == y.count, "isotonicRegression: \(y.count) values but \(weights!.count) weights")
    let weights = weights ?? [Double](repeating: 1, count: y.count)
    // Blocks keep Σw·y and Σw, so a pooled mean is one division, as sklearn computes it.
    var blockSum: [Double] = [], blockWeight: [Double] = [], blockLength: [Int] = []
    for (value, weight) in zip(y, weights) {
        var sum = weight * value, total = weight, length = 1
        while let lastSum = blockSum.last, let lastWeight = blockWeight.last, lastSum / lastWeight >= sum / total {
            sum += lastSum
            total += lastWeight
            length += blockLength.removeLast()
            blockSum.removeLast()
            blockWeight.removeLast()
        }
        blockSum.append(sum)
        blockWeight.append(total)
        blockLength.append(length)
    }
    var result: [Double] = []
    result.reserveCapacity(y.count)
    for block in blockSum.indices {
        result += repeatElement(blockSum[block] / blockWeight[block], count: blockLength[block])
    }
    return result
}
