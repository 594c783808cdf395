import Torch

/// The EDM objective (Karras et al. 2022 Table 1; CaloClouds II, spec §C.2): ln σ ~ N(P_mean, P_std²) per
/// sample, x_σ = x₀ + σ·n, loss = mean over all elements of λ(σ)·(D(x_σ; σ) − x₀)² with
/// λ = (σ² + σ_d²)/(σ·σ_d)², so λ·c_out² = 1 (an unweighted regression in F space).
public struct EDMLoss {
    /// P_mean, the mean of ln σ (EDM −1.2).
    public let logSigmaMean: Double
    /// P_std, the standard deviation of ln σ (EDM 1.2).
    public let logSigmaStd: Double

    /// The EDM objective with ln σ ~ N(`logSigmaMean`, `logSigmaStd`²).
    public init(logSigmaMean: Double = -1.2, logSigmaStd: Double = 1.2) {
        self.logSigmaMean = logSigmaMean
        self.logSigmaStd = logSigmaStd
    }

    /// λ(σ) = (σ² + σ_d²)/(σ·σ_d)² for noise levels `[batch]`.
    public static func weight(sigma: Tensor, sigmaData: Double) throws -> Tensor {
        try (sigma * sigma + sigmaData * sigmaData) / (sigma * sigma * (sigmaData * sigmaData))
    }

    /// The scalar loss for a clean batch `[batch, …]`, drawing σ, then n, from `generator`.
    public func callAsFunction(
        _ denoiser: EDMPreconditioner, clean: Tensor, condition: DiffusionCondition, generator: Generator
    ) throws -> Tensor {
        let normal = try Tensor.randn([clean.dim(0)], dtype: clean.dtype, device: clean.device, generator: generator)
        let sigma = try exp(normal * logSigmaStd + logSigmaMean)
        let noise = try Tensor.randn(clean.shape, dtype: clean.dtype, device: clean.device, generator: generator)
        return try loss(denoiser, clean: clean, condition: condition, sigma: sigma, noise: noise)
    }

    /// The scalar loss at given noise levels `sigma` `[batch]` and unit noise `noise` (like `clean`).
    public func loss(
        _ denoiser: EDMPreconditioner, clean: Tensor, condition: DiffusionCondition, sigma: Tensor, noise: Tensor
    ) throws -> Tensor {
        let sigmaB = try sigma.appendingUnitAxes(toRank: clean.ndim)
        let denoised = try denoiser(clean + sigmaB * noise, sigma: sigma, condition: condition)
        let lambda = try Self.weight(sigma: sigma, sigmaData: denoiser.sigmaData).appendingUnitAxes(toRank: clean.ndim)
        let residual = try denoised - clean
        return try (lambda * residual * residual).mean()
    }
}
