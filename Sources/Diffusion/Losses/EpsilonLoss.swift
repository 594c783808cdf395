import Torch

/// The ε-prediction objective of DDPM / CaloDiffusion `noise_pred` (spec §A.5): per sample t ~ U{0, …, T−1},
/// ε ~ N(0, I), x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε, loss = mean over all elements of (F(x_t, √(1−ᾱ_t), c) − ε)².
public struct EpsilonLoss {
    /// The schedule t is drawn from.
    public let schedule: DDPMSchedule

    /// The ε objective over `schedule`.
    public init(schedule: DDPMSchedule) { self.schedule = schedule }

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
        let predicted = try network(xt, noiseLevel, condition)
        return try mseLoss(predicted, noise)
    }
}

extension EpsilonLoss: TrainingObjective {
    /// ε, then t (int64 time indices in `levels`), exactly as `callAsFunction` draws them.
    public func draw(for clean: Tensor, generator: Generator) throws -> TrainingDraw {
        try discreteTrainingDraw(for: clean, stepCount: schedule.stepCount, generator: generator)
    }

    /// The ε loss at time indices `draw.levels`: with nil `weights` bit-identical to `loss(…timesteps:noise:)`,
    /// otherwise Σ w·(F − ε)² / Σ w.
    public func loss(
        _ network: DiffusionNetwork, clean: Tensor, condition: DiffusionCondition, weights: Tensor?, draw: TrainingDraw
    ) throws -> Tensor {
        guard let weights else { return try loss(network, clean: clean, condition: condition, timesteps: draw.levels, noise: draw.noise) }
        let (xt, noiseLevel) = try forwardProcess(schedule, clean: clean, timesteps: draw.levels, noise: draw.noise)
        let residual = try network(xt, noiseLevel, condition) - draw.noise
        return try weightedMean(residual * residual, weights: weights)
    }
}

/// ε ~ N(0, I) like `clean`, then t ~ U{0, …, T−1} per sample (the order of the reference code).
func draws(for clean: Tensor, stepCount: Int, generator: Generator) throws -> (noise: Tensor, timesteps: Tensor) {
    let noise = try Tensor.randn(clean.shape, dtype: clean.dtype, device: clean.device, generator: generator)
    let timesteps = try Tensor.randint(0, stepCount, shape: [clean.dim(0)], device: clean.device, generator: generator)
    return (noise, timesteps)
}

/// `draws` as a ``TrainingDraw`` (time indices in `levels`), shared by the discrete-time objectives.
func discreteTrainingDraw(for clean: Tensor, stepCount: Int, generator: Generator) throws -> TrainingDraw {
    let (noise, timesteps) = try draws(for: clean, stepCount: stepCount, generator: generator)
    return TrainingDraw(levels: timesteps, noise: noise)
}

/// x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε and the noise levels √(1−ᾱ_t) `[batch]`, every sample with its own t
/// (not the reference's whole-batch shortcut at t = 0, spec §A.14).
func forwardProcess(
    _ schedule: DDPMSchedule, clean: Tensor, timesteps: Tensor, noise: Tensor
) throws -> (xt: Tensor, noiseLevel: Tensor) {
    guard timesteps.shape == [clean.dim(0)], noise.shape == clean.shape else {
        throw DiffusionError.invalidParameter(
            name: "timesteps/noise", value: "shapes \(timesteps.shape) and \(noise.shape) for a clean batch \(clean.shape)",
            requirement: "pass one time index per sample ([batch]) and noise shaped like the clean batch")
    }
    func lookUp(_ table: [Double]) throws -> Tensor {
        try Tensor(table).to(dtype: clean.dtype, device: clean.device).indexSelect(dim: 0, index: timesteps)
    }
    let sqrtAlphaBar = try lookUp(schedule.alphaBars.map { $0.squareRoot() })
    let noiseLevel = try lookUp(schedule.noiseLevels)
    let xt =
        try sqrtAlphaBar.appendingUnitAxes(toRank: clean.ndim) * clean + noiseLevel.appendingUnitAxes(toRank: clean.ndim) * noise
    return (xt, noiseLevel)
}
