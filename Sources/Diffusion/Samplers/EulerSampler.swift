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
        let levels = try samplingLevels(sigmas)
        var x = try noise * levels[0]
        for i in 0..<(levels.count - 1) {
            let (sigma, next) = (levels[i], levels[i + 1])
            let denoised = try denoiser(x, sigma: sigma, condition: condition)
            let d = try odeDerivative(x, denoised: denoised, sigma: sigma)
            x = try x + (next - sigma) * d
            try onStep?(SamplerStep(index: i, count: levels.count - 1, sigma: sigma, nextSigma: next, x: x, denoised: denoised))
        }
        return x
    }
}
