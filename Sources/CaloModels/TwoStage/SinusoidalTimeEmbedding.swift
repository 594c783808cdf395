import Foundation
import Torch

/// CaloScore v2's deterministic time features (spec/models.md §B.2.3): for t `[B]` in [0, 1] and H
/// frequencies f_k = exp(−k·ln(10 000)/(H − 1)), k = 0 … H − 1, the angles 1000·t·f_k give
/// [sin, cos] `[B, 2H]`.
struct SinusoidalTimeEmbedding {
    let frequencies: Int

    func callAsFunction(_ t: Tensor) throws -> Tensor {
        let k = try Tensor.arange(0, Double(frequencies), dtype: t.dtype, device: t.device)
        let f = try (k * (-Foundation.log(10_000) / Double(Swift.max(frequencies - 1, 1)))).exp()
        let angles = try t.reshaped([-1, 1]) * 1000 * f.reshaped([1, frequencies])
        return try Tensor.cat([angles.sin(), angles.cos()], dim: 1)
    }
}
