import Torch

extension Tensor {
    /// Appends trailing unit axes until the rank is `rank`, so a per-sample value `[batch]` broadcasts
    /// against a state `[batch, …]` (k-diffusion's `append_dims`).
    ///
    /// Throws `DiffusionError.rankMismatch` when this tensor already has more than `rank` axes.
    public func appendingUnitAxes(toRank rank: Int) throws -> Tensor {
        guard ndim <= rank else { throw DiffusionError.rankMismatch(valueShape: shape, targetRank: rank) }
        guard ndim < rank else { return self }
        return try reshaped(shape + Array(repeating: 1, count: rank - ndim))
    }
}
