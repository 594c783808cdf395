import Torch

/// D from a network that predicts the noise ε of a variance-preserving sample (CaloDiffusion `noise_pred`,
/// spec §A.5–A.6; k-diffusion `DiscreteEpsDDPMDenoiser`).
///
/// With ᾱ = 1/(1 + σ²) (spec §A.15): x_t = √ᾱ·x, noise-level input √(1−ᾱ) = σ/√(1 + σ²),
/// ε̂ = F(x_t, √(1−ᾱ), c), and D = (x_t − √(1−ᾱ)·ε̂)/√ᾱ = x − σ·ε̂.
public struct EpsilonDenoiser: Denoiser {
    /// F(x_t `[batch, …]`, √(1−ᾱ_t) `[batch]`, condition) → ε̂ `[batch, …]`.
    public let network: DiffusionNetwork
    /// The dtype the network runs in (nil: the state's dtype).
    public let networkDType: DType?

    /// Wraps an ε-prediction `network`.
    public init(networkDType: DType? = nil, network: @escaping DiffusionNetwork) {
        self.network = network
        self.networkDType = networkDType
    }

    /// D(x; σ, c) = x − σ·ε̂ for VE-scaled `x` `[batch, …]` and noise levels `sigma` `[batch]`.
    public func callAsFunction(_ x: Tensor, sigma: Tensor, condition: DiffusionCondition) throws -> Tensor {
        let (xt, noiseLevel) = try variancePreserving(x, sigma: sigma)
        let epsilon = try evaluate(network, xt, noiseLevel: noiseLevel, condition: condition, dtype: networkDType)
        let sigmaB = try sigma.appendingUnitAxes(toRank: x.ndim)
        return try x - sigmaB * epsilon
    }
}

/// x_t = x/√(1 + σ²) and the VP noise level √(1−ᾱ) = σ/√(1 + σ²) for VE-scaled `x` (spec §A.15).
func variancePreserving(_ x: Tensor, sigma: Tensor) throws -> (xt: Tensor, noiseLevel: Tensor) {
    let sqrtAlphaBar = try rsqrt(1 + sigma * sigma)
    let xt = try x * sqrtAlphaBar.appendingUnitAxes(toRank: x.ndim)
    return try (xt, sigma * sqrtAlphaBar)
}
