import Torch

/// Mean and covariance of a sample of feature vectors: the summary statistics the Fréchet
/// distance compares (spec/calochallenge.md §6.3; JetNet `fpd` uses `np.mean` and `np.cov`).
///
/// Both are float64 tensors on the features' device: `mean` `[features]`, `covariance`
/// `[features, features]` with the unbiased N − 1 normalisation.
public struct GaussianStatistics {
    public let mean: Tensor
    public let covariance: Tensor

    /// Wraps given moments (converted to float64).
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` unless `mean` is `[d]` and `covariance` `[d, d]`.
    public init(mean: Tensor, covariance: Tensor) throws {
        guard mean.ndim == 1, covariance.shape == [mean.dim(0), mean.dim(0)] else {
            throw EvaluationError.invalidArgument(
                "Gaussian statistics: mean \(mean.shape) and covariance \(covariance.shape) must be [d] and [d, d]")
        }
        self.mean = try mean.to(dtype: .float64)
        self.covariance = try covariance.to(dtype: .float64)
    }

    /// The sample mean and the unbiased sample covariance (N − 1) of `features` `[events, d]`.
    ///
    /// - Throws: ``EvaluationError/invalidArgument(_:)`` unless `features` is 2-D with at least 2 rows.
    public init(features: Tensor) throws {
        guard features.ndim == 2, features.dim(0) >= 2 else {
            throw EvaluationError.invalidArgument(
                "Gaussian statistics need features [events, d] with at least 2 events, got shape \(features.shape)")
        }
        let x = try features.to(dtype: .float64)
        let mean = try x.mean(dims: [0])
        let centred = try x - mean
        let covariance = try centred.transposed(0, 1).matmul(centred) / Double(x.dim(0) - 1)
        try self.init(mean: mean, covariance: covariance)
    }
}

/// The Fréchet distance between the Gaussians N(μ₁, Σ₁) and N(μ₂, Σ₂) (spec §6.3; Dowson &
/// Landau 1982, as in JetNet's `_calculate_frechet_distance`):
///
///     FD = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^{1/2}).
///
/// The trace of the principal square root uses Tr (Σ₁Σ₂)^{1/2} = Tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}:
/// Σ₁Σ₂ is similar to the symmetric positive semi-definite Σ₁^{1/2} Σ₂ Σ₁^{1/2}, so both roots
/// come from `eigh` with eigenvalues below 0 (rounding) clipped to 0. JetNet uses scipy's Schur
/// `sqrtm` and drops a small imaginary part instead; the two agree to rounding for
/// well-conditioned covariances. As JetNet, when the result is not finite, 1e-6·I is added to
/// both covariances and the distance is computed again.
///
/// - Throws: ``EvaluationError/invalidArgument(_:)`` when the dimensions differ.
public func frechetDistance(_ a: GaussianStatistics, _ b: GaussianStatistics) throws -> Double {
    guard a.mean.shape == b.mean.shape else {
        throw EvaluationError.invalidArgument(
            "Fréchet distance: the Gaussians have \(a.mean.dim(0)) and \(b.mean.dim(0)) features; compare features of one kind")
    }
    let difference = try a.mean - b.mean
    let meanTerm = try (difference * difference).sum().item()
    let traces = try a.covariance.trace() + b.covariance.trace()
    var rootTrace = try traceOfSquareRoot(productOf: a.covariance, b.covariance)
    if !rootTrace.isFinite {
        let offset = try Tensor.eye(a.mean.dim(0), dtype: .float64, device: a.mean.device) * 1e-6
        rootTrace = try traceOfSquareRoot(productOf: a.covariance + offset, b.covariance + offset)
    }
    return meanTerm + traces - 2 * rootTrace
}

/// Tr (AB)^{1/2} for symmetric positive semi-definite A and B, via two symmetric eigendecompositions.
func traceOfSquareRoot(productOf a: Tensor, _ b: Tensor) throws -> Double {
    let (values, vectors) = try eigh(a)
    let rootValues = try values.clamped(min: 0).sqrt()
    let rootA = try (vectors * rootValues).matmul(vectors.transposed(0, 1))
    let product = try rootA.matmul(b).matmul(rootA)
    let symmetric = try (product + product.transposed(0, 1)) * 0.5
    return try eigh(symmetric).eigenvalues.clamped(min: 0).sqrt().sum().item()
}

extension Tensor {
    /// The sum of the diagonal of a square matrix.
    func trace() throws -> Double {
        let n = dim(0)
        return try (self * Tensor.eye(n, dtype: dtype, device: device)).sum().item()
    }
}
