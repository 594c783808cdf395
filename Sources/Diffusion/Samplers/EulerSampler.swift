import Torch

/// Euler's method for the probability-flow ODE dx/dσ = (x − D(x; σ))/σ (Karras et al. 2022 eq. 3), with
/// optional churn (Alg. 2; k-diffusion `sample_euler`). First order; one evaluation per step.
public struct EulerSampler: Sampler {
    /// Noise added before each step; `.none` (the default) keeps the sampler deterministic.
    public var churn: Churn

    /// An Euler sampler with `churn`.
    public init(churn: Churn = .none) { self.churn = churn }

    /// Runs Euler from x = `noise`·σ₀ over `sigmas` (see `Sampler`); the generator feeds the churn only.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try churn.walk(
            .euler, denoiser, noise: noise, sigmas: sigmas, condition: condition, generator: generator, onStep: onStep)
    }
}
