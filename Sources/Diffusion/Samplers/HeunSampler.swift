import Torch

/// Heun's method for the probability-flow ODE (Karras et al. 2022 Alg. 1; spec §C.2): an Euler predictor,
/// then the average of both slopes; the last step, to σ = 0, stays Euler. Second order; 2N − 1 evaluations.
public struct HeunSampler: Sampler {
    /// A deterministic Heun sampler (no knobs yet).
    public init() {}

    /// Runs Heun from x = `noise`·σ₀ over `sigmas` (see `Sampler`); the generator is not used.
    public func sample(
        _ denoiser: some Denoiser, noise: Tensor, sigmas: [Double], condition: DiffusionCondition,
        generator: Generator, onStep: SamplerStepCallback?
    ) throws -> Tensor {
        try walkLevels(sigmas, start: { try noise * $0 }, onStep: onStep) { x, sigma, next in
            let denoised = try denoiser(x, sigma: sigma, condition: condition)
            let d = try odeDerivative(x, denoised: denoised, sigma: sigma)
            let predictor = try x + (next - sigma) * d
            guard next > 0 else { return (predictor, denoised) }
            let d2 = try odeDerivative(predictor, denoised: denoiser(predictor, sigma: next, condition: condition), sigma: next)
            return (try x + (next - sigma) / 2 * (d + d2), denoised)
        }
    }
}
