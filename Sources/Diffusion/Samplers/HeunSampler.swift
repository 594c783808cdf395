import Torch

/// Heun's method for the probability-flow ODE (Karras et al. 2022 Alg. 1, with Alg. 2's churn; spec §C.2;
/// k-diffusion `sample_heun`): an Euler predictor, then the average of both slopes; the last step, to σ = 0,
/// stays Euler. Second order; 2N − 1 evaluations for N steps.
public struct HeunSampler: Sampler {
    /// Noise added before each step; `.none` (the default) keeps the sampler deterministic.
    public var churn: Churn

    /// A Heun sampler with `churn`.
    public init(churn: Churn = .none) { self.churn = churn }

    /// Runs Heun from x = `noise`·σ₀ over `sigmas` (see `Sampler`); the generator feeds the churn only.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try churn.walk(
            .heun, denoiser, noise: noise, sigmas: sigmas, condition: condition, generator: generator, onStep: onStep)
    }
}
