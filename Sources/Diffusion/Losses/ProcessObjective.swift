import Torch

/// A training objective for any `DiffusionProcess`: t from `timeDistribution`, then n ~ N(0, I);
/// x_t = s(t)·x₀ + s(t)σ(t)·n; F = network(x_t, time input); loss = Σ w·λ(t)·(F − target)² / Σ w
/// (plain mean over all elements without weights). `VPredictionLoss`, `ScoreMatchingLoss` and
/// `FlowMatchingLoss` are instances.
public struct ProcessObjective: TrainingObjective {
    /// The forward process.
    public let process: any DiffusionProcess
    /// What the network output means, hence its target.
    public let parametrisation: any Parametrisation
    /// Where t is drawn from (continuous t; or indices for a `DiscreteVarianceProcess`).
    public let timeDistribution: any NoiseLevelDistribution
    /// λ(t).
    public let weighting: any LossWeighting
    /// The network's noise-level input.
    public let timeInput: NetworkTimeInput
    /// The dtype the network runs in (nil: the clean batch's dtype).
    public let networkDType: DType?

    /// The objective of the given parts.
    public init(
        process: any DiffusionProcess, parametrisation: any Parametrisation, timeDistribution: any NoiseLevelDistribution,
        weighting: any LossWeighting = UnitLossWeighting(), timeInput: NetworkTimeInput = .time, networkDType: DType? = nil
    ) {
        self.process = process
        self.parametrisation = parametrisation
        self.timeDistribution = timeDistribution
        self.weighting = weighting
        self.timeInput = timeInput
        self.networkDType = networkDType
    }

    /// t `[batch]`, then n like `clean`.
    public func draw(for clean: Tensor, generator: Generator) throws -> TrainingDraw {
        let t = try timeDistribution.sample(count: clean.dim(0), dtype: clean.dtype, device: clean.device, generator: generator)
        let noise = try Tensor.randn(clean.shape, dtype: clean.dtype, device: clean.device, generator: generator)
        return TrainingDraw(levels: t, noise: noise)
    }

    /// Σ w·λ·(F − target)² / Σ w at times `draw.levels` `[batch]` and noise `draw.noise`.
    public func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, weights: Tensor?, draw: TrainingDraw
    ) throws -> Tensor {
        let c = try process.coefficients(at: draw.levels, dtype: clean.dtype)
        let xt = try process.noised(clean: clean, coefficients: c, noise: draw.noise)
        let output = try evaluate(network, xt, noiseLevel: timeInput.value(c), condition: condition, dtype: networkDType)
        let residual = try output - parametrisation.target(clean: clean, noise: draw.noise, coefficients: c)
        let lambda = try c.perSample(weighting.weight(c), like: clean)
        return try weightedMean(lambda * residual * residual, weights: weights)
    }
}
