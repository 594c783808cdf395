import Torch

/// The EDM objective (Karras et al. 2022 Table 1; CaloClouds II, spec §C.2): ln σ ~ N(P_mean, P_std²) per
/// sample, x_σ = x₀ + σ·n, loss = mean over all elements of λ(σ)·(D(x_σ; σ) − x₀)² with
/// λ = (σ² + σ_d²)/(σ·σ_d)², so λ·c_out² = 1 (an unweighted regression in F space).
public struct EDMLoss {
    /// P_mean, the mean of ln σ (EDM −1.2).
    public let logSigmaMean: Double
    /// P_std, the standard deviation of ln σ (EDM 1.2).
    public let logSigmaStd: Double

    /// σ_data of the `EDMPreconditioner` built around a bare network (`TrainingObjective` entry points).
    public let sigmaData: Double
    /// c_noise of that preconditioner.
    public let noiseInput: EDMPreconditioner.NoiseInput
    /// The dtype that preconditioner runs the network in (nil: the clean batch's dtype).
    public let networkDType: DType?

    /// The EDM objective with ln σ ~ N(`logSigmaMean`, `logSigmaStd`²); `sigmaData`, `noiseInput` and
    /// `networkDType` describe the preconditioner used when it is handed a bare network.
    public init(
        logSigmaMean: Double = -1.2, logSigmaStd: Double = 1.2, sigmaData: Double = 0.5,
        noiseInput: EDMPreconditioner.NoiseInput = .quarterLogSigma, networkDType: DType? = nil
    ) {
        self.logSigmaMean = logSigmaMean
        self.logSigmaStd = logSigmaStd
        self.sigmaData = sigmaData
        self.noiseInput = noiseInput
        self.networkDType = networkDType
    }

    /// The noise-level distribution: ln σ ~ N(P_mean, P_std²).
    public var sigmaDistribution: LogNormalSigmaDistribution {
        LogNormalSigmaDistribution(logSigmaMean: logSigmaMean, logSigmaStd: logSigmaStd)
    }

    /// λ(σ) = (σ² + σ_d²)/(σ·σ_d)² for noise levels `[batch]`.
    public static func weight(sigma: Tensor, sigmaData: Double) throws -> Tensor {
        try (sigma * sigma + sigmaData * sigmaData) / (sigma * sigma * (sigmaData * sigmaData))
    }

    /// The scalar loss for a clean batch `[batch, …]`, drawing σ, then n, from `generator`.
    public func callAsFunction(
        _ denoiser: EDMPreconditioner, clean: Tensor, condition: DiffusionCondition, generator: Generator
    ) throws -> Tensor {
        let draw = try draw(for: clean, generator: generator)
        return try loss(denoiser, clean: clean, condition: condition, sigma: draw.levels, noise: draw.noise)
    }

    /// The scalar loss at given noise levels `sigma` `[batch]` and unit noise `noise` (like `clean`).
    public func loss(
        _ denoiser: EDMPreconditioner, clean: Tensor, condition: DiffusionCondition, sigma: Tensor, noise: Tensor
    ) throws -> Tensor {
        try weightedLoss(denoiser, clean: clean, condition: condition, sigma: sigma, noise: noise).mean()
    }

    /// λ(σ)·(D(x_σ; σ) − x₀)² per element.
    private func weightedLoss(
        _ denoiser: EDMPreconditioner, clean: Tensor, condition: DiffusionCondition, sigma: Tensor, noise: Tensor
    ) throws -> Tensor {
        guard sigma.shape == [clean.dim(0)], noise.shape == clean.shape else {
            throw DiffusionError.invalidParameter(
                name: "sigma/noise", value: "shapes \(sigma.shape) and \(noise.shape) for a clean batch \(clean.shape)",
                requirement: "pass one noise level per sample ([batch]) and noise shaped like the clean batch")
        }
        let sigmaB = try sigma.appendingUnitAxes(toRank: clean.ndim)
        let denoised = try denoiser(clean + sigmaB * noise, sigma: sigma, condition: condition)
        let lambda = try Self.weight(sigma: sigma, sigmaData: denoiser.sigmaData).appendingUnitAxes(toRank: clean.ndim)
        let residual = try denoised - clean
        return try lambda * residual * residual
    }
}

extension EDMLoss: TrainingObjective {
    /// σ `[batch]` (ln σ ~ N(P_mean, P_std²)), then n, exactly as `callAsFunction` draws them.
    public func draw(for clean: Tensor, generator: Generator) throws -> TrainingDraw {
        let sigma = try sigmaDistribution.sample(count: clean.dim(0), dtype: clean.dtype, device: clean.device, generator: generator)
        let noise = try Tensor.randn(clean.shape, dtype: clean.dtype, device: clean.device, generator: generator)
        return TrainingDraw(levels: sigma, noise: noise)
    }

    /// The EDM loss of `network` wrapped in `EDMPreconditioner(sigmaData:noiseInput:networkDType:)` at noise levels
    /// `draw.levels`: mean of λ·(D − x₀)² with nil `weights` (as `loss(_:clean:condition:sigma:noise:)`), else
    /// Σ w·λ·(D − x₀)² / Σ w. Throws `DiffusionError.invalidParameter` for σ_data ≤ 0.
    public func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, weights: Tensor?, draw: TrainingDraw
    ) throws -> Tensor {
        try withoutActuallyEscaping(network) { network in
            let denoiser = try EDMPreconditioner(
                sigmaData: sigmaData, noiseInput: noiseInput, networkDType: networkDType, network: network)
            let perElement = try weightedLoss(denoiser, clean: clean, condition: condition, sigma: draw.levels, noise: draw.noise)
            return try weightedMean(perElement, weights: weights)
        }
    }
}
