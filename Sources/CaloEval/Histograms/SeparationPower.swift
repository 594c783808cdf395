import CaloData

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
    // numpy's `ret.sum()`: the pairwise sum, so that S agrees with evaluate.py to the last bit.
    return 0.5 * terms.withUnsafeBufferPointer { pairwiseSum($0) }
}
