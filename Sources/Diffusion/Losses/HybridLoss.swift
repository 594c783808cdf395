import Torch

/// CaloDiffusion's `hybrid_weight` objective (ds3, spec §A.5): t and ε as for `EpsilonLoss`,
/// D = c_skip·x_t + c_out·F(x_t, n, c) (`HybridDenoiser`) with n² = 1 − ᾱ_t, weight w = 1 + 1/n², and
/// loss = Σ_b Σ_v w_b·(D − x₀)² / (mean_b(w_b) · voxels).
///
/// It is not divided by the batch size, so it grows linearly with the batch, as in the reference code.
/// Since w·c_out² = 1, it is an unweighted regression of F onto (x₀ − c_skip·x_t)/c_out.
public struct HybridLoss {
    /// The schedule t is drawn from.
    public let schedule: DDPMSchedule

    /// The hybrid objective over `schedule`.
    public init(schedule: DDPMSchedule) { self.schedule = schedule }

    /// w = 1 + 1/n² for VP noise levels n = √(1−ᾱ) `[batch]`.
    public static func weight(noiseLevel n: Tensor) throws -> Tensor {
        try 1 + 1 / (n * n)
    }

    /// The scalar loss for a clean batch `[batch, …]`, drawing ε, then t, from `generator`.
    public func callAsFunction(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, generator: Generator
    ) throws -> Tensor {
        let (noise, timesteps) = try draws(for: clean, stepCount: schedule.stepCount, generator: generator)
        return try loss(network, clean: clean, condition: condition, timesteps: timesteps, noise: noise)
    }

    /// The scalar loss at given time indices `timesteps` (int64 `[batch]`) and noise `noise` (like `clean`).
    public func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, timesteps: Tensor, noise: Tensor
    ) throws -> Tensor {
        let (xt, noiseLevel) = try forwardProcess(schedule, clean: clean, timesteps: timesteps, noise: noise)
        let denoised = try withoutActuallyEscaping(network) { network in
            try HybridDenoiser(network: network).denoised(variancePreserving: xt, noiseLevel: noiseLevel, condition: condition)
        }
        let w = try Self.weight(noiseLevel: noiseLevel)
        let residual = try denoised - clean
        let weighted = try (w.appendingUnitAxes(toRank: clean.ndim) * residual * residual).sum()
        let voxels = Double(clean.elementCount / max(clean.dim(0), 1))
        return try weighted / (w.mean() * voxels)
    }
}

extension HybridLoss: TrainingObjective {
    /// ε, then t (int64 time indices in `levels`), exactly as `callAsFunction` draws them.
    public func draw(for clean: Tensor, generator: Generator) throws -> TrainingDraw {
        try discreteTrainingDraw(for: clean, stepCount: schedule.stepCount, generator: generator)
    }

    /// The hybrid loss at time indices `draw.levels`: with nil `weights` bit-identical to `loss(…timesteps:noise:)`;
    /// with per-element weights m, Σ m·λ_b·(D − x₀)² / (mean_b(λ_b)·Σ m / batch), which is the unweighted value when
    /// m = 1 (Σ m / batch = voxels) and ignores elements with m = 0.
    public func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, weights: Tensor?, draw: TrainingDraw
    ) throws -> Tensor {
        guard let weights else { return try loss(network, clean: clean, condition: condition, timesteps: draw.levels, noise: draw.noise) }
        let (xt, noiseLevel) = try forwardProcess(schedule, clean: clean, timesteps: draw.levels, noise: draw.noise)
        let denoised = try withoutActuallyEscaping(network) { network in
            try HybridDenoiser(network: network).denoised(variancePreserving: xt, noiseLevel: noiseLevel, condition: condition)
        }
        let lambda = try Self.weight(noiseLevel: noiseLevel)
        let residual = try denoised - clean
        let mask = try broadcastWeights(weights, to: clean.shape, dtype: clean.dtype)
        let weighted = try (mask * lambda.appendingUnitAxes(toRank: clean.ndim) * residual * residual).sum()
        return try weighted / (lambda.mean() * mask.sum() / Double(max(clean.dim(0), 1)))
    }
}
