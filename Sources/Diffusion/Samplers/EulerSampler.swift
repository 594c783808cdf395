import Torch

/// Euler's method for the probability-flow ODE dx/dσ = (x − D(x; σ))/σ (Karras et al. 2022 eq. 3;
/// k-diffusion `sample_euler` without churn). First order; one evaluation per step.
public struct EulerSampler: Sampler {
    /// A deterministic Euler sampler (no knobs yet).
    public init() {}

    /// Runs Euler from x = `noise`·σ₀ over `sigmas` (see `Sampler`); the generator is not used.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try walkLevels(sigmas, start: { try noise * $0 }, onStep: onStep) { x, sigma, next in
            let denoised = try denoiser(x, sigma: sigma, condition: condition)
            return (try x + (next - sigma) * odeDerivative(x, denoised: denoised, sigma: sigma), denoised)
        }
    }
}
