/// The separation power ("triangular discrimination") of two histograms on the same bins
/// (spec/calochallenge.md §4.6; eq. 15 of arXiv:2009.03796; eq. 39 of the CaloChallenge review):
///
///     S = ½ Σᵢ (p₁ᵢ − p₂ᵢ)² / (p₁ᵢ + p₂ᵢ + 10⁻¹⁶),   pᵢ = densityᵢ · widthᵢ.
///
/// S is 0 for identical and 1 for disjoint histograms; NaN when either has no in-range entry.
/// Throws ``EvaluationError/invalidArgument(_:)`` when the edges differ.
public func separationPower(_ reference: Histogram, _ generated: Histogram) throws -> Double {
    guard reference.edges == generated.edges else {
        throw EvaluationError.invalidArgument(
            "separation power needs histograms on the same bins; got \(reference.binCount) and \(generated.binCount) bins with different edges"
        )
    }
    return separationPower(referenceProbabilities: reference.probabilities, generatedProbabilities: generated.probabilities)
}

/// The separation power of two lists of per-bin probabilities (each summing to 1), as above.
/// The lists must have the same length (a programmer error otherwise).
public func separationPower(referenceProbabilities p1: [Double], generatedProbabilities p2: [Double]) -> Double {
    precondition(p1.count == p2.count, "separation power of \(p1.count) and \(p2.count) bins")
    let terms = zip(p1, p2).map { a, b in
        let difference = a - b
        return difference * difference / (a + b + 1e-16)
    }
    return 0.5 * terms.withUnsafeBufferPointer { pairwiseSum($0) }
}

/// The sum numpy's `ndarray.sum()` computes for float64 (its pairwise summation, with eight partial
/// sums below 128 elements), so that separation powers agree with evaluate.py to the last bit rather
/// than to summation-order rounding.
func pairwiseSum(_ values: UnsafeBufferPointer<Double>) -> Double {
    let n = values.count
    if n < 8 {
        var result = 0.0
        for value in values { result += value }
        return result
    }
    if n <= 128 {
        var r = (0..<8).map { values[$0] }
        var i = 8
        while i < n - n % 8 {
            for j in 0..<8 { r[j] += values[i + j] }
            i += 8
        }
        var result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n {
            result += values[i]
            i += 1
        }
        return result
    }
    var half = n / 2
    half -= half % 8
    return pairwiseSum(UnsafeBufferPointer(rebasing: values[0..<half]))
        + pairwiseSum(UnsafeBufferPointer(rebasing: values[half..<n]))
}
