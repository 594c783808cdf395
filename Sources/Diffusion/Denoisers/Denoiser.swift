import Torch

/// A raw network F(input, noiseLevel, condition): input `[batch, …]`, noise level `[batch]`, output shaped
/// like the input. What the input and noise level mean is fixed by the adapter that wraps it.
public typealias DiffusionNetwork = (_ input: Tensor, _ noiseLevel: Tensor, _ condition: DiffusionCondition) throws -> Tensor

/// D(x; σ, c): the estimate of the clean sample x₀ from x = x₀ + σ·n, n ~ N(0, I) (variance-exploding
/// scaling, Karras et al. 2022 eq. 2). Samplers see nothing else of a model (STYLE §6).
public protocol Denoiser {
    /// D(x; σ, c) for `x` `[batch, …]` and per-sample noise levels `sigma` `[batch]`; returns `[batch, …]`.
    func callAsFunction(_ x: Tensor, sigma: Tensor, condition: DiffusionCondition) throws -> Tensor
}

extension Denoiser {
    /// D(x; σ, c) at one noise level σ > 0 for the whole batch.
    public func callAsFunction(_ x: Tensor, sigma: Double, condition: DiffusionCondition) throws -> Tensor {
        let sigmas = try Tensor.full([x.dim(0)], value: sigma, dtype: x.dtype, device: x.device)
        return try self(x, sigma: sigmas, condition: condition)
    }
}

/// Runs `network` in `dtype` (when given) and returns its output in `input`'s dtype, so sampler state
/// can stay in float64 while the network runs in float32 (STYLE §4).
func evaluate(
    _ network: DiffusionNetwork, _ input: Tensor, noiseLevel: Tensor, condition: DiffusionCondition, dtype: DType?
) throws -> Tensor {
    guard let dtype, dtype != input.dtype else { return try network(input, noiseLevel, condition) }
    let output = try network(input.to(dtype: dtype), noiseLevel.to(dtype: dtype), condition)
    return try output.to(dtype: input.dtype)
}
