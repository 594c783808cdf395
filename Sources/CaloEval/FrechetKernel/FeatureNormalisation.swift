import Torch

/// Divides every feature column of both samples by the largest absolute value that column takes
/// in the reference (spec/calochallenge.md §6.2; JetNet `_normalise_features`): columns whose
/// maximum is 0 are left as they are.
///
/// - Parameters:
///   - reference: `[events, features]` (Geant4; JetNet's `real_features`).
///   - generated: `[events, features]`.
/// - Returns: both samples in float64, scaled.
/// - Throws: ``EvaluationError/invalidArgument(_:)`` when the shapes are not `[n, d]` and `[m, d]`.
public func maxAbsNormalised(reference: Tensor, generated: Tensor) throws -> (reference: Tensor, generated: Tensor) {
    try checkFeatureMatrices(reference, generated, metric: "feature normalisation")
    let x = try reference.to(dtype: .float64)
    let y = try generated.to(dtype: .float64)
    let maxima = try x.abs().amax(dims: [0])
    let scale = try `where`(maxima .== 0, maxima.onesLike(), maxima)
    return (try x / scale, try y / scale)
}

/// Checks that two feature samples are `[n, d]` and `[m, d]` with n, m ≥ 1.
func checkFeatureMatrices(_ a: Tensor, _ b: Tensor, metric: String) throws {
    guard a.ndim == 2, b.ndim == 2, a.dim(1) == b.dim(1), a.dim(0) > 0, b.dim(0) > 0 else {
        throw EvaluationError.invalidArgument(
            "\(metric): reference \(a.shape) and generated \(b.shape) must both be [events, features] with the same features and at least one event"
        )
    }
}
